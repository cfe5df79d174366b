"""The demo's year of disputes, and the figures recounted from the raw rows."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from areas.models import Area
from demo.loader import load_demo_district
from disputes.demo import load_demo_disputes
from disputes.figures import disputes_table
from disputes.models import Agreement, Case, CaseEvent, Level, Status, Term
from disputes.selectors import party_keys
from evaluation.ledgers import Rate, ledger_tables

CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=CST)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.db import transaction
    from django.test import override_settings

    from linli import clock

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        with override_settings(DEMO_MODE=True), clock.travel(NOW):
            district = load_demo_district()
            made = load_demo_disputes(district)
        yield district, made
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


def test_a_year_of_every_kind_and_outcome(demo):
    district, made = demo
    cases = Case.objects.filter(community=district.community)
    assert made == cases.count() >= 50
    assert set(cases.values_list("kind__code", flat=True)) >= {
        "neighbour",
        "family",
        "property",
        "labour",
        "land_house",
    }
    statuses = set(cases.values_list("status", flat=True))
    assert {Status.CLOSED, Status.REFERRED, Status.WITHDRAWN} <= statuses
    assert statuses & {Status.REGISTERED, Status.ACCEPTED, Status.MEDIATING, Status.AGREED, Status.FOLLOWING}
    assert cases.filter(level__gt=Level.GRID).exists() and cases.filter(may_escalate=True).exists()
    assert CaseEvent.objects.filter(action="reopen", case__in=cases).exists()
    assert Agreement.objects.filter(case__in=cases, broken_at__isnull=False).exists()
    first = cases.order_by("registered_at").first()
    assert (NOW - first.registered_at).days > 300  # a year of history
    assert load_demo_disputes(district) == 0  # idempotent


def recount(area: Area, start: datetime, end: datetime) -> list:
    """The total row, from the raw rows with plain loops (no code shared with disputes.figures but party_keys)."""
    cases = [c for c in Case.objects.all() if c.area_path.startswith(area.path)]
    concluded = [
        c for c in cases if c.status in ("closed", "referred") and c.closed_at and start <= c.closed_at < end
    ]
    agreed = [c for c in concluded if c.status == "closed"]
    local = [c for c in agreed if c.level == 0]
    referred = [c for c in concluded if c.status == "referred"]
    terms = [
        t for t in Term.objects.select_related("agreement__case")
        if t.agreement.case.area_path.startswith(area.path) and t.agreement.signed_at
        and start.date() <= t.due_on < end.date()
    ]  # fmt: skip
    kept = [t for t in terms if t.state == "kept" and t.kept_on <= t.due_on]
    signed = [
        a for a in Agreement.objects.select_related("case")
        if a.case.area_path.startswith(area.path) and a.signed_at and start <= a.signed_at < end
    ]  # fmt: skip
    days = [(a.signed_at - a.case.registered_at).total_seconds() / 86400 for a in signed]
    registered = [c for c in cases if start <= c.registered_at < end]
    repeats = 0
    for c in registered:
        mine = party_keys(list(c.parties.all()))
        if any(
            o.community_id == c.community_id and o.registered_at < c.registered_at
            and len(mine & party_keys(list(o.parties.all()))) >= 2
            for o in cases
        ):  # fmt: skip
            repeats += 1
    return [
        len(registered), len(concluded), len(agreed), Rate(len(agreed), len(concluded)),
        Rate(len(local), len(concluded)), len(referred), len(terms), len(kept), Rate(len(kept), len(terms)),
        round(sum(days) / len(days), 1) if days else "—", repeats,
    ]  # fmt: skip


@pytest.mark.parametrize("level", ["community", "subdistrict"])
def test_figures_recount_on_the_demo(demo, level):
    district, _ = demo
    area = district.community if level == "community" else district.community.parent
    start, end = datetime(2025, 12, 1, tzinfo=CST), datetime(2026, 12, 1, tzinfo=CST)
    table = disputes_table(area, start, end)
    total = table.rows[-1]
    assert total[0] == f"{area.name} 合计"
    assert total[1:] == recount(area, start, end)
    assert total[1] > 30 and total[2] > 20 and total[11] >= 1  # a year's cases, with a repeat dispute
    # the child rows add up to the total
    for col in (1, 2, 3, 6, 7, 8, 11):
        assert sum(r[col] for r in table.rows[:-1]) == total[col]
    assert len(table.links) == len(table.rows) and all(link.startswith("/disputes/?") for link in table.links)
    assert len(table.definitions) >= 6
    assert any(t.key == "disputes" for t in ledger_tables(area, start, end))
