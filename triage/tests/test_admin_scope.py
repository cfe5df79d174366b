"""The triage tables in the admin (routing rules, early warnings, labelled history) follow each persona's scope:
staff see the rows of their own areas, change only the rules they keep, and cannot reach another community."""

from __future__ import annotations

import pytest
from django.urls import reverse

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


# what each persona sees of the rules (its areas, below them, and the rules it inherits from above) and changes
SEES = {
    "community": {"d", "s1", "c1"},
    "community2": {"d", "c2"},
    "subdistrict": {"d", "s1", "c1"},
    "gridworker": {"d", "s1", "c1"},
    "district": {"d", "s1", "c1", "c2"},
    "admin": {"d", "s1", "c1", "c2"},
}
CHANGES = {
    "community": {"c1"},
    "community2": {"c2"},
    "subdistrict": {"s1", "c1"},
    "admin": set(SEES["admin"]),
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_the_rule_list_shows_only_the_rules_in_scope(world, rules, client_for, persona):
    response = client_for(persona).get(RULES)
    assert response.status_code == 200
    listed = {r.pk for r in response.context["cl"].result_list}
    assert listed == {rules[name].pk for name in SEES[persona]}


@pytest.mark.parametrize("persona", ["unit", "resident", "buildinghead"])
def test_those_without_areas_do_not_reach_the_triage_tables(world, rules, client_for, persona):
    for url in (RULES, WARNINGS, HISTORY):
        response = client_for(persona).get(url)
        # unit staff are let into the admin but not to these tables; residents are sent to the login page
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("persona", sorted(SEES))
def test_a_rule_is_changed_only_by_those_who_keep_it(world, rules, client_for, persona, categories):
    client = client_for(persona)
    for name, rule in rules.items():
        url = f"{RULES}{rule.pk}/change/"
        response = client.get(url)
        if name not in SEES[persona]:
            # then it is not shown at all
            assert response.status_code == 302 and rule.area.name not in response.content.decode()
            continue
        html = response.content.decode()
        assert response.status_code == 200 and rule.unit.name in html
        if name in CHANGES.get(persona, set()):
            assert 'name="_save"' in html  # saving is tested below
        else:
            # then it is read-only, and a forged save is refused and changes nothing
            assert 'name="_save"' not in html
            assert client.post(url, {"unit": world.pm1.pk, "_save": "保存"}).status_code == 403
            assert RoutingRule.objects.get(pk=rule.pk).unit == rule.unit


def test_community_staff_change_the_unit_of_their_rule_with_an_audit_row(world, rules, client_for):
    # given community staff of c1 on the change page of their own rule
    url = f"{RULES}{rules['c1'].pk}/change/"
    before = AuditEvent.objects.filter(object_type="triage.routingrule").count()
    # when they pick the district's department instead of the property manager
    response = client_for("community").post(url, {"unit": world.dept.pk, "_save": "保存"})
    # then the rule is changed in place (its area and category stay), through the service with an audit row
    assert response.status_code == 302
    rule = RoutingRule.objects.get(pk=rules["c1"].pk)
    assert rule.unit == world.dept and rule.area == world.c1 and rule.updated_by == world.community
    assert AuditEvent.objects.filter(object_type="triage.routingrule").count() == before + 1


def test_community_staff_add_a_rule_for_their_community_but_not_for_another(world, categories, client_for):
    client = client_for("community")
    traffic = categories["JTYS"]
    add = f"{RULES}add/"
    form = client.get(add).context["adminform"].form
    assert set(form.fields["area"].queryset) == {world.c1}  # no grid, no other community, nothing above
    # when community staff of c1 add a rule for 和平社区 (typing its id into the raw id box)
    response = client.post(
        add, {"category": traffic.pk, "area": world.c2.pk, "unit": world.pm1.pk, "_save": "保存"}
    )
    # then the form says so and nothing is saved
    assert response.status_code == 200
    assert "area" in response.context["adminform"].form.errors
    # nor for one of their grids (rules are kept at communities, subdistricts and the district)
    response = client.post(
        add, {"category": traffic.pk, "area": world.g1a.pk, "unit": world.pm1.pk, "_save": "保存"}
    )
    assert response.status_code == 200 and "area" in response.context["adminform"].form.errors
    # nor with a unit outside their scope
    response = client.post(
        add, {"category": traffic.pk, "area": world.c1.pk, "unit": world.pm2.pk, "_save": "保存"}
    )
    assert response.status_code == 200 and "unit" in response.context["adminform"].form.errors
    assert not RoutingRule.objects.exists()
    # when they add one for their own community, then it is saved with an audit row
    response = client.post(
        add, {"category": traffic.pk, "area": world.c1.pk, "unit": world.pm1.pk, "_save": "保存"}
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert (rule.area, rule.category, rule.unit, rule.updated_by) == (
        world.c1,
        traffic,
        world.pm1,
        world.community,
    )
    assert AuditEvent.objects.filter(object_type="triage.routingrule", action="create").count() == 1


@pytest.mark.parametrize("persona", ["gridworker", "district"])
def test_staff_who_do_not_keep_rules_cannot_add_one(world, categories, client_for, persona):
    client = client_for(persona)
    assert client.get(f"{RULES}add/").status_code == 403
    data = {"category": categories["JTYS"].pk, "area": world.c1.pk, "unit": world.pm1.pk, "_save": "保存"}
    assert client.post(f"{RULES}add/", data).status_code == 403
    assert not RoutingRule.objects.exists()


def test_a_rule_is_deleted_through_the_service_only_by_those_who_keep_it(world, rules, client_for):
    client = client_for("community")
    # the subdistrict's rule is theirs to read, not to delete
    assert client.post(f"{RULES}{rules['s1'].pk}/delete/", {"post": "yes"}).status_code == 403
    # nor through the list's bulk action
    client.post(RULES, {"action": "delete_selected", "_selected_action": [rules["s1"].pk], "post": "yes"})
    assert RoutingRule.objects.filter(pk=rules["s1"].pk).exists()
    # their own community's is, with an audit row
    assert client.post(f"{RULES}{rules['c1'].pk}/delete/", {"post": "yes"}).status_code == 302
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


WARNING_SEES = {
    "community": {"g1a"},
    "subdistrict": {"g1a"},
    "gridworker": {"g1a"},
    "community2": {"g2a"},
    "gridworker2": {"g2a"},
    "district": {"g1a", "g2a"},
    "admin": {"g1a", "g2a"},
}


@pytest.mark.parametrize("persona", sorted(WARNING_SEES))
def test_early_warnings_are_listed_in_scope_and_read_only(world, warnings, client_for, persona):
    client = client_for(persona)
    response = client.get(WARNINGS)
    assert response.status_code == 200
    assert {w.pk for w in response.context["cl"].result_list} == {
        warnings[n].pk for n in WARNING_SEES[persona]
    }
    for name, warning in warnings.items():
        page = client.get(f"{WARNINGS}{warning.pk}/change/")
        if name in WARNING_SEES[persona]:
            assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
            assert client.post(f"{WARNINGS}{warning.pk}/change/", {"count": 1}).status_code == 403
        else:
            assert page.status_code == 302
        assert client.post(f"{WARNINGS}{warning.pk}/delete/", {"post": "yes"}).status_code in (302, 403)
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
    # then each community's staff see their own, the administrator both, and nobody changes them
    for persona, expected in (("community", {"c1"}), ("community2", {"c2"}), ("admin", {"c1", "c2"})):
        client = client_for(persona)
        listed = {e.pk for e in client.get(HISTORY).context["cl"].result_list}
        assert listed == {examples[n].pk for n in expected}
        url = f"{HISTORY}{examples['c1'].pk}/change/"
        assert client.post(url, {"label": "交通运输"}).status_code in (302, 403)
    assert LabelledExample.objects.get(pk=examples["c1"].pk).label == "城乡建设"
