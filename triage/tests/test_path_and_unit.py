"""The whole category path and the unit suggested with its reason; dispatch preselects it and records whether staff
kept it; the administrator sees the acceptance rate; a newcomer without the shared data trains on its history."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from appeals import services as appeal_services
from linli import clock
from triage import leaf, selectors
from triage.models import LabelledExample
from triage.services import leaf_train, retrain_on_history, routing_rule_set
from triage.suggest import suggestion_for
from triage.tasks import RETRAIN_TASK_PATH, retrain, schedule_early_warning

pytestmark = pytest.mark.django_db

LAMP = ("小区东门路灯不亮", "东门外的两盏路灯坏了一个多星期，晚上出门看不清路。")
LIFT = ("单元电梯经常故障", "我们楼的电梯这个月坏了三次，老人上下楼很困难，请尽快维修。")
NOISE = ("工地夜间施工噪音扰民", "工地每天晚上施工到凌晨，噪音很大，孩子没法睡觉。")


def submit(w, text, **kwargs):
    title, body = text
    return appeal_services.appeal_submit(
        user=w.resident, title=title, body=body, channel="app", building=w.b1a, **kwargs
    )


def dispatched(w, text, category, unit, *, rate: str = "satisfied"):
    """An appeal of this category dispatched to the unit, finished and rated: history."""
    appeal = submit(w, text)
    appeal_services.appeal_triage(user=w.community, appeal_id=appeal.pk, kind="transfer", category=category)
    appeal_services.appeal_dispatch(user=w.community, appeal_id=appeal.pk, unit=unit)
    appeal_services.appeal_accept(user=w.unit, appeal_id=appeal.pk)  # the persona of pm1
    appeal_services.appeal_complete(user=w.unit, appeal_id=appeal.pk, report="已修好")
    appeal_services.appeal_rate(user=w.resident, appeal_id=appeal.pk, resolved=True, satisfaction=rate)
    return appeal


def test_rules_for_a_leaf_beat_rules_for_its_level_1_and_say_why(world, categories):
    build, lights = categories["CXJS"], categories["CXJS-SZSS"]
    routing_rule_set(user=world.admin, category=build, area=world.d, unit=world.dept)
    routing_rule_set(user=world.admin, category=lights, area=world.c1, unit=world.pm1)
    appeal = submit(world, LAMP, category=lights)
    suggestion = suggestion_for(appeal)
    assert suggestion is not None and suggestion.unit == world.pm1
    assert suggestion.reason == "规则：城乡建设/市政设施 × 幸福社区 → 幸福物业"
    # another leaf of the same level 1 falls back to the level-1 rule set at the district
    other = submit(world, LIFT, category=categories["CXJS-DTJZ"])
    reason = suggestion_for(other).reason  # type: ignore[union-attr]
    assert reason == "规则：城乡建设 × 示范区 → 区住建局"


def test_without_a_rule_history_names_the_unit_that_finished_it_here_and_how_it_was_rated(world, categories):
    noise = categories["HJBH-ZYRM"]
    for rate in ("satisfied", "satisfied", "basically_satisfied", "unsatisfied"):  # 不满意: back to work
        dispatched(world, NOISE, noise, world.pm1, rate=rate)
    appeal = submit(world, NOISE, category=noise)
    suggestion = suggestion_for(appeal)
    assert suggestion is not None and suggestion.unit == world.pm1
    assert suggestion.units[0].source == "history"
    assert suggestion.reason == "历史：近 90 天同类 3 件由 幸福物业 办结，满意率 100%（3/3）"
    # and a year later, the 90 days hold nothing: the look-back widens and says so
    with clock.at(clock.now() + timedelta(days=200)):
        assert "近 365 天同类 3 件" in suggestion_for(appeal).reason  # type: ignore[union-attr]


def test_dispatch_preselects_the_unit_and_records_whether_staff_kept_it(world, categories, client_for):
    lights = categories["CXJS-SZSS"]
    routing_rule_set(user=world.community, category=lights, area=world.c1, unit=world.pm1)
    kept, changed = submit(world, LAMP, category=lights), submit(world, LAMP, category=lights)
    page = client_for("community").get(f"/appeals/{kept.pk}/").content.decode()
    assert f'<option value="{world.pm1.pk}" selected>' in page
    assert "规则：城乡建设/市政设施 × 幸福社区 → 幸福物业" in page and "已在派单表单中预选" in page
    client_for("community").post(f"/appeals/{kept.pk}/dispatch/", {"unit": world.pm1.pk})
    client_for("community").post(f"/appeals/{changed.pk}/dispatch/", {"unit": world.dept.pk})
    rows = {e.appeal_id: e for e in LabelledExample.objects.all()}
    assert rows[kept.pk].suggested_unit == world.pm1 and rows[kept.pk].unit == world.pm1
    assert rows[changed.pk].suggested_unit == world.pm1 and rows[changed.pk].unit == world.dept
    assert rows[kept.pk].unit_reason.startswith("规则：") and rows[kept.pk].category == lights
    acceptance = selectors.unit_acceptance(LabelledExample.objects.all())
    assert (acceptance.kept, acceptance.suggested, acceptance.changed) == (1, 2, 1)
    assert acceptance.by_source == {"rule": (1, 2)}
    # the administrator sees it above the labelled history, as a fraction and a percentage
    admin_page = client_for("admin").get("/admin/triage/labelledexample/").content.decode()
    assert "建议承办单位采纳率：派单时保留预选单位 1 / 2（50%）" in admin_page


def test_the_leaf_model_suggests_the_whole_path_from_history_and_from_names(world, categories, model_path):
    lights, noise = categories["CXJS-SZSS"], categories["HJBH-ZYRM"]
    for _ in range(3):
        dispatched(world, LAMP, lights, world.pm1)
        dispatched(world, NOISE, noise, world.pm1)
    model = leaf_train()
    assert model["history"] == 6 and {"CXJS-SZSS", "HJBH-ZYRM"} <= set(model["classes"])
    # every category of the tree is taught by its name too, so leaves nobody has confirmed yet are there
    assert "CXJS-DTJZ" in model["classes"] and leaf.load() is not None
    appeal = submit(world, ("3号楼路灯坏了", "3号楼旁边的路灯坏了，晚上很黑。"))
    suggestion = suggestion_for(appeal)
    assert suggestion is not None and suggestion.leaf is not None
    assert suggestion.leaf.path == "城乡建设/市政设施" and suggestion.label == "城乡建设"
    assert len(suggestion.paths) == 3 and suggestion.paths[0].confidence > suggestion.paths[1].confidence
    by_name = submit(world, ("想加装电梯", "我们楼想加装电梯，怎么申请？"))
    assert suggestion_for(by_name).leaf.path == "城乡建设/加装电梯"  # type: ignore[union-attr]


def test_a_newcomer_without_shared_data_trains_on_its_own_history(
    world, categories, model_path, settings, tmp_path
):
    settings.SHARED_DATA_DIR = tmp_path / "no-shared-data"
    for _ in range(3):
        dispatched(world, LAMP, categories["CXJS-SZSS"], world.pm1)
        dispatched(world, NOISE, categories["HJBH-ZYRM"], world.pm1)
    out = io.StringIO()
    call_command("triage", "ensure-model", stdout=out)
    assert "用本系统已确认的历史诉求训练" in out.getvalue() and "末级类别模型" in out.getvalue()
    suggestion = suggestion_for(submit(world, NOISE))
    assert suggestion is not None and suggestion.label == "环境保护"
    assert suggestion.leaf is not None and suggestion.leaf.path == "环境保护/噪音扰民"
    # the schedule retrains both on the history as it grows (the level-1 model was learnt from history alone)
    assert retrain_on_history()[0].startswith("一级类别模型：历史 6 条")
    assert retrain()[-1].startswith("末级类别模型：历史 6 条")


def test_the_nightly_retraining_is_queued_with_the_other_jobs(db):
    from django_tasks_db.models import DBTaskResult

    schedule_early_warning()
    schedule_early_warning()
    assert DBTaskResult.objects.filter(task_path=RETRAIN_TASK_PATH, status="READY").count() == 1


def test_the_api_gives_the_paths_and_the_units_with_their_reasons(world, categories, api_client_for):
    routing_rule_set(user=world.community, category=categories["CXJS-SZSS"], area=world.c1, unit=world.pm1)
    appeal = submit(world, LAMP, category=categories["CXJS-SZSS"])
    body = api_client_for("community").get(f"/api/triage/{appeal.pk}/").json()
    assert body["unit"] == world.pm1.pk and body["reason"].startswith("规则：城乡建设/市政设施")
    assert body["units"][0] == {
        "unit": world.pm1.pk,
        "name": "幸福物业",
        "basis": "rule",
        "reason": body["reason"],
    }
