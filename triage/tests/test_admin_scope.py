"""The triage tables in the admin (routing rules, early warnings, labelled history) are the administrator's: the
admin site refuses everybody else (access.admin_site); staff keep their routing rules on the product's page
(/triage/routing/) and read early warnings with the hotspots."""

from __future__ import annotations

import pytest

from appeals import services as appeal_services
from audit.models import AuditEvent
from linli import clock
from triage.models import EarlyWarning, LabelledExample, RoutingRule
from triage.services import routing_rule_set

pytestmark = pytest.mark.django_db

RULES = "/admin/triage/routingrule/"
WARNINGS = "/admin/triage/earlywarning/"
HISTORY = "/admin/triage/labelledexample/"


@pytest.fixture
def rules(world, categories) -> dict[str, RoutingRule]:
    """One rule for 环境保护 at the district, the subdistrict s1, and each community."""
    env = categories["HJBH"]
    return {
        "d": routing_rule_set(user=world.admin, category=env, area=world.d, unit=world.dept),
        "s1": routing_rule_set(user=world.subdistrict, category=env, area=world.s1, unit=world.dept),
        "c1": routing_rule_set(user=world.community, category=env, area=world.c1, unit=world.pm1),
        "c2": routing_rule_set(user=world.community2, category=env, area=world.c2, unit=world.pm2),
    }


# the personas of the area staff (and the administrator), each of whom has rules in sight on the product's page
SEES = {
    "community": {"d", "s1", "c1"},
    "community2": {"d", "c2"},
    "subdistrict": {"d", "s1", "c1"},
    "gridworker": {"d", "s1", "c1"},
    "district": {"d", "s1", "c1", "c2"},
    "admin": {"d", "s1", "c1", "c2"},
}


STAFF = sorted(set(SEES) - {"admin"})


def test_the_administrator_lists_every_rule(world, rules, client_for):
    response = client_for("admin").get(RULES)
    assert response.status_code == 200
    assert {r.pk for r in response.context["cl"].result_list} == {r.pk for r in rules.values()}


@pytest.mark.parametrize("persona", [*STAFF, "unit", "resident", "buildinghead"])
def test_nobody_but_the_administrator_reaches_the_triage_tables(world, rules, client_for, persona):
    client = client_for(persona)
    for url in (RULES, WARNINGS, HISTORY, f"{RULES}add/", f"{RULES}{rules['c1'].pk}/change/"):
        assert client.get(url).status_code == 403, url
    # a forged save or delete changes nothing
    assert (
        client.post(f"{RULES}{rules['c1'].pk}/change/", {"unit": world.dept.pk, "_save": "保存"}).status_code
        == 403
    )
    assert client.post(f"{RULES}{rules['c1'].pk}/delete/", {"post": "yes"}).status_code == 403
    assert RoutingRule.objects.get(pk=rules["c1"].pk).unit == world.pm1


def test_the_administrator_changes_the_unit_of_a_rule_with_an_audit_row(world, rules, client_for):
    url = f"{RULES}{rules['c1'].pk}/change/"
    before = AuditEvent.objects.filter(object_type="triage.routingrule").count()
    response = client_for("admin").post(url, {"unit": world.dept.pk, "_save": "保存"})
    # then the rule is changed in place (its area and category stay), through the service with an audit row
    assert response.status_code == 302
    rule = RoutingRule.objects.get(pk=rules["c1"].pk)
    assert rule.unit == world.dept and rule.area == world.c1 and rule.updated_by == world.admin
    assert AuditEvent.objects.filter(object_type="triage.routingrule").count() == before + 1


def test_the_administrator_deletes_a_rule_through_the_service(world, rules, client_for):
    assert client_for("admin").post(f"{RULES}{rules['c1'].pk}/delete/", {"post": "yes"}).status_code == 302
    assert not RoutingRule.objects.filter(pk=rules["c1"].pk).exists()
    assert AuditEvent.objects.filter(object_type="triage.routingrule", action="delete").count() == 1


@pytest.fixture
def warnings(world, categories) -> dict[str, EarlyWarning]:
    def warning(area):
        return EarlyWarning.objects.create(
            kind=EarlyWarning.Kind.GRID,
            area=area,
            week_start=clock.now().date(),
            count=9,
            baseline=1.0,
            score=8.0,
            area_path=area.path,
            created_at=clock.now(),
        )

    return {"g1a": warning(world.g1a), "g2a": warning(world.g2a)}


def test_early_warnings_are_listed_read_only_for_the_administrator(world, warnings, client_for):
    client = client_for("admin")
    response = client.get(WARNINGS)
    assert response.status_code == 200
    assert {w.pk for w in response.context["cl"].result_list} == {w.pk for w in warnings.values()}
    for warning in warnings.values():
        page = client.get(f"{WARNINGS}{warning.pk}/change/")
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        assert client.post(f"{WARNINGS}{warning.pk}/change/", {"count": 1}).status_code == 403
        assert EarlyWarning.objects.filter(pk=warning.pk).exists()
    assert client.get(f"{WARNINGS}add/").status_code == 403


def test_labelled_history_is_listed_for_the_appeals_in_scope(world, categories, client_for):
    # given a labelled appeal in each community
    examples = {}
    for name, staff, building, person in (
        ("c1", world.community, world.b1a, world.resident_person),
        ("c2", world.community2, world.b2a, world.resident_c2),
    ):
        appeal = appeal_services.appeal_submit(
            user=staff,
            title="楼道灯坏了",
            body="楼道灯坏了一周",
            channel="hotline",
            building=building,
            raised_by=person,
        )
        examples[name] = LabelledExample.objects.create(
            appeal=appeal, label="城乡建设", confirmed_at=clock.now()
        )
    # then the administrator sees both, community staff are refused, and nobody changes them
    client = client_for("admin")
    assert {e.pk for e in client.get(HISTORY).context["cl"].result_list} == {e.pk for e in examples.values()}
    assert client.post(f"{HISTORY}{examples['c1'].pk}/change/", {"label": "交通运输"}).status_code in (
        302,
        403,
    )
    assert client_for("community").get(HISTORY).status_code == 403
    assert LabelledExample.objects.get(pk=examples["c1"].pk).label == "城乡建设"
