"""The fuzzed API: the OpenAPI document drf-spectacular builds, called in-process through the WSGI app.

``fuzz_world`` is the shared ``world`` plus a category and appeals in every status, made through the
service functions. ``api_schema`` is that world's schemathesis schema: generated ids are steered onto
rows that exist (see ``_steer``), so the actions reach their services instead of stopping at a 404.
"""

from __future__ import annotations

import copy
import os
from types import SimpleNamespace
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator

from appeals import services, whistle
from appeals.models import Appeal, Channel, Satisfaction, TriageKind
from areas.models import Area, Building
from categories.models import Category
from people.models import Person
from units.models import PartyOrg, Unit

# Examples per operation and persona. Anonymous requests all stop at authentication, so a few suffice; the
# spreadsheet downloads build a whole workbook per request and take only a ``?format=``.
MAX_EXAMPLES = int(os.environ.get("LINLI_API_FUZZ_EXAMPLES", "25"))  # more for a deeper local run
MAX_EXAMPLES_ANONYMOUS = 6
MAX_EXAMPLES_WORKBOOK = 4

_openapi: dict[str, Any] = {}


def openapi_document() -> dict[str, Any]:
    """The same document ``/api/schema/`` serves; built once per session (it does not touch the database)."""
    if not _openapi:
        _openapi.update(SchemaGenerator().get_schema(request=None, public=True))
    return copy.deepcopy(_openapi)


def schemathesis_config(max_examples: int) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": 20240301,
            # Both valid and schema-violating inputs: neither may cause a 5xx.
            "generation": {
                "mode": "all",
                "max-examples": max_examples,
                "deterministic": True,
                "database": "none",
                # The persona's token is sent by the test; generated Authorization values would only test DRF.
                "with-security-parameters": False,
            },
            "phases": {
                # The coverage phase enumerates boundary values of every field on top of the fuzzing budget,
                # for every operation × persona; off to keep `make test` bounded (see MAX_EXAMPLES).
                "coverage": {"enabled": False},
                "stateful": {"enabled": False},
            },
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
            "operations": [
                {
                    "include-path-regex": "^/api/spreadsheets/(export|template)/$",
                    "generation": {"max-examples": min(max_examples, MAX_EXAMPLES_WORKBOOK)},
                }
            ],
        }
    )


@pytest.fixture
def fuzz_world(world):
    """``world`` plus a category and appeals in every status (all in c1 except ``other``, in c2)."""
    w = world
    root = Category.objects.create(code="CX", name="城乡建设", contact_hours=24, resolve_working_days=5)
    w.category = Category.objects.create(
        code="CX-WY", name="物业管理", parent=root, contact_hours=4, resolve_working_days=3
    )

    def submit(title: str, **extra) -> Appeal:
        extra.setdefault("building", w.b1a)
        return services.appeal_submit(
            user=extra.pop("user", w.resident),
            title=title,
            body=f"{title}，请尽快处理。",
            channel=Channel.APP,
            category=w.category,
            **extra,
        )

    a = SimpleNamespace()
    a.submitted = submit("楼道灯坏了")
    a.triaged = submit("垃圾桶满了")
    services.appeal_triage(user=w.community, appeal_id=a.triaged.pk, kind=TriageKind.TRANSFER)
    a.dispatched = submit("电梯异响")
    services.appeal_dispatch(user=w.community, appeal_id=a.dispatched.pk, unit=w.pm1)
    a.accepted = submit("水管漏水")
    services.appeal_dispatch(user=w.community, appeal_id=a.accepted.pk, unit=w.pm1)
    services.appeal_accept(user=w.unit, appeal_id=a.accepted.pk)
    a.completed = submit("门禁失灵")
    services.appeal_dispatch(user=w.community, appeal_id=a.completed.pk, unit=w.pm1)
    services.appeal_accept(user=w.unit, appeal_id=a.completed.pk)
    services.appeal_complete(user=w.unit, appeal_id=a.completed.pk, report="已修好门禁。")
    a.closed = submit("路灯不亮")
    services.appeal_dispatch(user=w.community, appeal_id=a.closed.pk, unit=w.pm1)
    services.appeal_accept(user=w.unit, appeal_id=a.closed.pk)
    services.appeal_complete(user=w.unit, appeal_id=a.closed.pk, report="已更换灯泡。")
    services.appeal_rate(
        user=w.resident, appeal_id=a.closed.pk, resolved=True, satisfaction=Satisfaction.SATISFIED
    )
    a.returned = submit("绿化带杂草")
    services.appeal_dispatch(user=w.community, appeal_id=a.returned.pk, unit=w.pm1)
    services.appeal_return(user=w.unit, appeal_id=a.returned.pk, reason="不属于物业职责。")
    a.whistled = submit("小区停车难")
    whistle.appeal_whistle(user=w.community, appeal_id=a.whistled.pk, units=[w.pm1, w.dept], task="现场会商")
    whistle.whistle_report_in(user=w.unit, appeal_id=a.whistled.pk)
    a.withdrawn = submit("噪音扰民")
    services.appeal_withdraw(user=w.resident, appeal_id=a.withdrawn.pk, reason="已自行解决")
    a.merged = submit("楼道灯又坏了")
    services.appeal_merge(user=w.community, appeal_id=a.merged.pk, into_id=a.submitted.pk)
    a.other = submit("和平社区井盖松动", user=w.community2, raised_by=w.resident_c2, building=w.b2a)
    w.appeals = a
    return w


# Which table an id names: by the collection in the path, and by the name of a body or query field.
PATH_MODELS = {
    "/api/appeals/": Appeal,
    "/api/areas/": Area,
    "/api/buildings/": Building,
    "/api/units/": Unit,
    "/api/party-orgs/": PartyOrg,
    "/api/people/": Person,
}
FIELD_MODELS = {
    "unit": Unit,
    "units": Unit,
    "into": Appeal,
    "category": Category,
    "community": Area,
    "grid": Area,
    "building": Building,
    "raised_by": Person,
}


def _steer(value: Any, ids: list[int]) -> Any:
    """Most generated integers become one of ``ids`` (deterministically); one in five stays as generated,
    so unknown ids are still tried."""
    if isinstance(value, bool) or not isinstance(value, int) or not ids or value % 5 == 4:
        return value
    return ids[value % len(ids)]


def _steer_id_string(value: Any, ids: list[int]) -> Any:
    if isinstance(value, str) and value.lstrip("-").isdigit() and len(value) < 20:
        steered = _steer(int(value), ids)
        return str(steered)
    return _steer(value, ids)


@pytest.fixture
def api_schema(fuzz_world, persona, auth_headers):
    """The schemathesis schema of this app, calling the WSGI handler inside the test's transaction.

    It depends on ``persona`` (also so that its parameters reach the fuzz test, which requests this fixture
    only by name)."""
    ids = {
        model: list(model.objects.order_by("pk").values_list("pk", flat=True))
        for model in {*PATH_MODELS.values(), *FIELD_MODELS.values()}
    }

    max_examples = MAX_EXAMPLES_ANONYMOUS if persona == "anonymous" else MAX_EXAMPLES
    schema = schemathesis.openapi.from_dict(openapi_document(), config=schemathesis_config(max_examples))
    schema.app = WSGIHandler()

    def path_model(ctx) -> type | None:
        path = ctx.operation.path
        return next((m for prefix, m in PATH_MODELS.items() if path.startswith(prefix)), None)

    @schema.hook("map_path_parameters")
    def steer_path_ids(ctx, path_parameters):
        model = path_model(ctx)
        if model is not None and isinstance(path_parameters, dict) and "id" in path_parameters:
            path_parameters["id"] = _steer_id_string(path_parameters["id"], ids[model])
        return path_parameters

    @schema.hook("map_body")
    def steer_body_ids(ctx, body):
        if isinstance(body, dict):
            for name, model in FIELD_MODELS.items():
                if name not in body:
                    continue
                if isinstance(body[name], list):
                    body[name] = [_steer(v, ids[model]) for v in body[name]]
                else:
                    body[name] = _steer(body[name], ids[model])
        return body

    @schema.hook("map_query")
    def steer_query_ids(ctx, query):
        if isinstance(query, dict):
            for name in ("category", "community", "grid", "unit"):
                if name in query:
                    query[name] = _steer_id_string(query[name], ids[FIELD_MODELS[name]])
        return query

    # The WSGI handler closes "old" connections at the start and end of each request, which would close the
    # test's connection mid-transaction; Django's own test client unhooks the same receiver.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(params=["community", "unit", "resident", "anonymous"])
def persona(request, fuzz_world) -> str:
    return request.param


@pytest.fixture
def auth_headers(persona, fuzz_world) -> dict[str, str]:
    if persona == "anonymous":
        return {}
    from access.tokens import token_issue

    _, key = token_issue(user=getattr(fuzz_world, persona), name="fuzz")
    return {"Authorization": f"Token {key}"}
