"""The labelled history records what the model had suggested when staff confirmed a category, so the team can
see how often suggestions are accepted (in the admin's labelled history, per scope)."""

from __future__ import annotations

import pytest

from appeals import services as appeal_services
from triage import selectors
from triage.models import LabelledExample
from triage.tests.test_routing_and_history import submit

pytestmark = pytest.mark.django_db

HISTORY = "/admin/triage/labelledexample/"


def triage(world, appeal, category, user=None):
    return appeal_services.appeal_triage(
        user=user or world.community, appeal_id=appeal.pk, kind="transfer", category=category
    )


def test_the_suggestion_is_recorded_with_the_confirmed_category(world, categories, trained):
    # given a noise complaint the model reads as 环境保护
    appeal = submit(world)
    prediction = selectors.suggest_category(appeal.title, appeal.body)
    assert prediction is not None and prediction.label == "环境保护"
    # when staff confirm an environmental category, then the history keeps the suggestion and its confidence
    triage(world, appeal, categories["HJBH-ZYRM"])
    example = LabelledExample.objects.get(appeal=appeal)
    assert (example.label, example.suggested) == ("环境保护", "环境保护")
    assert example.confidence == pytest.approx(prediction.confidence)
    # when they change it to traffic, the label changes and the suggestion it is measured against stays
    triage(world, appeal, categories["JTYS"])
    example.refresh_from_db()
    assert (example.label, example.suggested) == ("交通运输", "环境保护")
    assert example.confidence == pytest.approx(prediction.confidence)


def test_without_a_model_the_confirmation_is_kept_without_a_suggestion(world, categories, model_path):
    # given no model is stored (model_path points to an empty directory)
    appeal = submit(world)
    triage(world, appeal, categories["HJBH-ZYRM"])
    example = LabelledExample.objects.get(appeal=appeal)
    assert example.label == "环境保护" and example.suggested == "" and example.confidence is None
    assert selectors.suggestion_acceptance(LabelledExample.objects.all()).rate is None


def test_acceptance_counts_kept_suggestions(world, categories, trained, settings):
    # given three noise complaints: two confirmed as 环境保护 (as suggested), one changed to 交通运输
    for category in ("HJBH-ZYRM", "HJBH", "JTYS"):
        triage(world, submit(world), categories[category])
    acceptance = selectors.suggestion_acceptance(LabelledExample.objects.all())
    assert (acceptance.suggested, acceptance.accepted) == (3, 2)
    assert acceptance.rate == pytest.approx(2 / 3)
    # the confident share counts only suggestions at or above the pre-fill threshold
    settings.TRIAGE_MIN_CONFIDENCE = 1.01
    assert selectors.suggestion_acceptance(LabelledExample.objects.all()).confident == 0
    settings.TRIAGE_MIN_CONFIDENCE = 0.0
    confident = selectors.suggestion_acceptance(LabelledExample.objects.all())
    assert (confident.confident, confident.confident_accepted) == (3, 2)


def test_the_administrator_sees_the_acceptance_rate_in_the_admin(world, categories, trained, client_for):
    # given two confirmations in 幸福社区, one keeping the suggestion
    triage(world, submit(world), categories["HJBH-ZYRM"])
    triage(world, submit(world), categories["JTYS"])
    # then the administrator sees 1 / 2 above the list, with the suggestion and whether it was kept per row
    response = client_for("admin").get(HISTORY)
    html = response.content.decode()
    assert 'id="suggestion-acceptance"' in html and "1 / 2（50%）" in html
    assert response.context["acceptance"].rate == pytest.approx(0.5)
    # the rate follows the list's filter
    kept = client_for("admin").get(HISTORY, {"label": "环境保护"})
    assert (kept.context["acceptance"].suggested, kept.context["acceptance"].accepted) == (1, 1)
    # the admin site is the administrator's: community staff are refused
    assert client_for("community").get(HISTORY).status_code == 403
