"""Routing rules (precedence, scope, audit), the labelled history staff confirm, and the detail page."""

from __future__ import annotations

import pytest

from appeals import services as appeal_services
from appeals.errors import PermissionDenied, ValidationError
from audit.models import AuditEvent
from triage import selectors
from triage.models import LabelledExample, RoutingRule
from triage.services import history_examples, routing_rule_delete, routing_rule_set

pytestmark = pytest.mark.django_db


def submit(w, title="工地晚上施工噪音扰民", body="工地每天晚上施工到凌晨，噪音扰民，请处理。", **kwargs):
    return appeal_services.appeal_submit(
        user=w.resident, title=title, body=body, channel="app", building=w.b1a, **kwargs
    )


def test_the_most_specific_rule_wins(world, categories):
    env = categories["HJBH"]
    # given a district rule and, below it, a community rule for the same category
    routing_rule_set(user=world.admin, category=env, area=world.d, unit=world.dept)
    assert selectors.routed_unit(env, world.g1a) == world.dept
    routing_rule_set(user=world.community, category=env, area=world.c1, unit=world.pm1)
    # then inside the community its own rule wins; in the other community the district's still applies
    assert selectors.routed_unit(env, world.g1a) == world.pm1
    assert selectors.routed_unit(env, world.g2a) == world.dept
    assert selectors.routed_unit(categories["JTYS"], world.g1a) is None
    # and setting it again replaces it, with an audit row each time
    routing_rule_set(user=world.community, category=env, area=world.c1, unit=world.dept)
    assert RoutingRule.objects.filter(area=world.c1).get().unit == world.dept
    assert AuditEvent.objects.filter(object_type="triage.routingrule").count() == 3


def test_rules_are_kept_within_scope(world, categories):
    env = categories["HJBH"]
    with pytest.raises(PermissionDenied):
        routing_rule_set(user=world.community2, category=env, area=world.c1, unit=world.pm2)
    with pytest.raises(PermissionDenied):
        routing_rule_set(user=world.resident, category=env, area=world.c1, unit=world.pm1)
    with pytest.raises(ValidationError):
        routing_rule_set(user=world.community, category=env, area=world.g1a, unit=world.pm1)  # a grid
    noise = categories["HJBH-ZYRM"]
    noise.is_active = False
    noise.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        routing_rule_set(user=world.community, category=noise, area=world.c1, unit=world.pm1)
    rule = routing_rule_set(user=world.subdistrict, category=env, area=world.s1, unit=world.dept)
    assert list(selectors.routing_rules_visible(selectors.Scope.of(world.community))) == [rule]  # inherited
    assert list(selectors.routing_rules_visible(selectors.Scope.of(world.community2))) == []
    with pytest.raises(PermissionDenied):
        routing_rule_delete(user=world.community, rule_id=rule.pk)  # set above them
    routing_rule_delete(user=world.subdistrict, rule_id=rule.pk)
    assert not RoutingRule.objects.exists()


def test_triage_and_dispatch_with_a_category_become_labelled_history(world, categories):
    appeal = submit(world)
    assert not LabelledExample.objects.exists()  # the resident's own choice is not a confirmation
    appeal_services.appeal_triage(
        user=world.community, appeal_id=appeal.pk, kind="transfer", category=categories["HJBH-ZYRM"]
    )
    example = LabelledExample.objects.get(appeal=appeal)
    assert example.label == "环境保护" and example.confirmed_by == world.community
    appeal_services.appeal_triage(
        user=world.community, appeal_id=appeal.pk, kind="transfer", category=categories["JTYS"]
    )
    assert LabelledExample.objects.get(appeal=appeal).label == "交通运输"  # changed: the latest confirmation
    assert history_examples().labels == ["交通运输"]


def test_detail_page_suggests_and_preselects_for_staff(world, categories, trained, client_for, settings):
    routing_rule_set(user=world.community, category=categories["HJBH"], area=world.c1, unit=world.pm1)
    settings.TRIAGE_MIN_CONFIDENCE = 0.0
    appeal = submit(world)
    page = client_for("community").get(f"/appeals/{appeal.pk}/").content.decode()
    assert "智能分拨建议" in page and "环境保护" in page and "幸福物业" in page
    assert f'<option value="{categories["HJBH"].pk}" selected>' in page  # triage form
    assert f'<option value="{world.pm1.pk}" selected>' in page  # dispatch form
    # below the threshold the suggestion is shown but nothing is pre-selected
    settings.TRIAGE_MIN_CONFIDENCE = 1.01
    page = client_for("community").get(f"/appeals/{appeal.pk}/").content.decode()
    assert "未预先填写" in page
    assert f'<option value="{categories["HJBH"].pk}" selected>' not in page
    assert f'<option value="{world.pm1.pk}" selected>' not in page
    # the resident sees no suggestion
    assert "智能分拨建议" not in client_for("resident").get(f"/appeals/{appeal.pk}/").content.decode()


def test_api_suggestion_and_rules(world, categories, trained, api_client_for):
    appeal = submit(world)
    body = api_client_for("community").get(f"/api/triage/{appeal.pk}/").json()
    assert body["label"] == "环境保护" and 0 <= body["confidence"] <= 1
    assert api_client_for("community2").get(f"/api/triage/{appeal.pk}/").status_code == 404
    assert api_client_for("resident").get(f"/api/triage/{appeal.pk}/").status_code == 403
    made = api_client_for("community").post(
        "/api/routing-rules/",
        {"category": categories["HJBH"].pk, "area": world.c1.pk, "unit": world.pm1.pk},
        format="json",
    )
    assert made.status_code == 201
    refused = api_client_for("community2").post(
        "/api/routing-rules/",
        {"category": categories["HJBH"].pk, "area": world.c1.pk, "unit": world.pm2.pk},
        format="json",
    )
    assert refused.status_code == 403
    assert api_client_for("community").get("/api/routing-rules/").json()["count"] == 1
