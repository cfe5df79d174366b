"""The unit suggestion as a ranking of sources' votes; what it reads kept in memory and reloaded when it changes;
the number of queries a whole suggestion makes."""

from __future__ import annotations

from collections import Counter

import pytest

from appeals import services as appeal_services
from appeals.selectors import units_serving
from triage import classifier, routing, scorer, tables, text
from triage.duplicates import duplicates_for
from triage.models import RoutingRule
from triage.services import routing_rule_set
from triage.suggest import suggestion_for
from triage.tests.test_path_and_unit import LAMP, NOISE, dispatched, submit
from units.models import Unit
from units.services import unit_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_stamp(model_path):
    """The stamp file in the test's own directory: other processes' tests touch the shared one."""
    tables.forget()


@pytest.fixture
def police(world, categories):
    """A police station serving the district that declared neighbours' noise its duty."""
    return unit_create(
        kind=Unit.Kind.POLICE,
        code="U-PCS",
        name="青江路派出所",
        home_area=world.d,
        categories=[categories["HJBH-ZYRM"]],
    )


def names(suggestion) -> list[str]:
    return [g.unit.name for g in suggestion.units]


def test_the_rule_comes_first_then_a_duty_unit_before_one_odd_finish(world, categories, police):
    noise = categories["HJBH-ZYRM"]
    routing_rule_set(user=world.admin, category=noise, area=world.d, unit=world.dept)
    # given one noise appeal once finished by the property manager (an odd one: not its duty)
    dispatched(world, NOISE, noise, world.pm1)
    appeal = submit(world, NOISE, category=noise)
    # then the rule's unit is first, the police station whose duty it is second, the property manager third
    suggestion = suggestion_for(appeal)
    assert names(suggestion) == ["区住建局", "青江路派出所", "幸福物业"]
    assert [g.source for g in suggestion.units] == ["rule", "duty", "history"]
    assert suggestion.units[1].reason == "职责：青江路派出所 承办“环境保护/噪音扰民”类诉求"


def test_two_well_rated_finishes_outrank_a_declared_duty(world, categories, police):
    noise = categories["HJBH-ZYRM"]
    for _ in range(2):
        dispatched(world, NOISE, noise, world.pm1)
    appeal = submit(world, NOISE, category=noise)
    suggestion = suggestion_for(appeal)
    assert names(suggestion)[:2] == ["幸福物业", "青江路派出所"]
    assert suggestion.units[0].score == 2.0 and suggestion.units[1].score == routing.DUTY


def test_the_parent_rule_is_the_second_choice_and_a_unit_that_returned_it_is_left_out(world, categories):
    build, lights = categories["CXJS"], categories["CXJS-SZSS"]
    routing_rule_set(user=world.admin, category=build, area=world.d, unit=world.dept)
    routing_rule_set(user=world.admin, category=lights, area=world.c1, unit=world.pm1)
    appeal = submit(world, LAMP, category=lights)
    suggestion = suggestion_for(appeal)
    assert names(suggestion) == ["幸福物业", "区住建局"]
    assert suggestion.units[1].reason == "规则：城乡建设 × 示范区 → 区住建局"
    # when the property manager returns it as not its own, the dispatcher is offered the parent rule's unit
    appeal_services.appeal_dispatch(user=world.community, appeal_id=appeal.pk, unit=world.pm1)
    appeal_services.appeal_return(user=world.unit, appeal_id=appeal.pk, reason="不属于本单位职责范围")
    appeal.refresh_from_db()
    assert names(suggestion_for(appeal)) == ["区住建局"]


def test_a_source_added_to_the_list_takes_part_in_the_ranking(world, categories, monkeypatch):
    lights = categories["CXJS-SZSS"]
    routing_rule_set(user=world.admin, category=lights, area=world.d, unit=world.dept)

    def estate_manager(need):  # e.g. the 小区's own property firm, stronger than the district's rule
        yield routing.Vote(world.pm1.pk, "estate", routing.RULE * 2, "小区：幸福家园 → 幸福物业")

    monkeypatch.setattr(routing, "SOURCES", [*routing.SOURCES, estate_manager])
    suggestion = suggestion_for(submit(world, LAMP, category=lights))
    assert names(suggestion) == ["幸福物业", "区住建局"]
    assert suggestion.units[0].source == "estate" and suggestion.reason == "小区：幸福家园 → 幸福物业"


def test_the_units_serving_a_community_are_read_from_memory_as_the_selector_gives_them(world, police):
    known = tables.tables()
    for community in (world.c1, world.c2):
        assert list(known.serving(community.path).values()) == list(units_serving(community))


def test_a_rule_changed_here_or_in_another_process_is_seen_at_once(world, categories):
    lights = categories["CXJS-SZSS"]
    appeal = submit(world, LAMP, category=lights)
    assert suggestion_for(appeal) is None  # no model, no rule: nothing to suggest
    # a rule set through the service: this process forgets its copy
    rule = routing_rule_set(user=world.admin, category=lights, area=world.d, unit=world.dept)
    assert names(suggestion_for(appeal)) == ["区住建局"]
    # a change no signal reports (another process's, as this process sees it): the stamp file tells
    before = tables.stamp_path().stat().st_mtime_ns
    RoutingRule.objects.filter(pk=rule.pk).update(unit=world.pm1)
    assert names(suggestion_for(appeal)) == ["区住建局"]  # still this process's copy
    tables._touch()  # what the other process's signal did
    assert tables.stamp_path().stat().st_mtime_ns > before
    assert names(suggestion_for(appeal)) == ["幸福物业"]


def test_a_whole_suggestion_makes_one_query_once_its_tables_are_read(
    world, categories, trained, django_assert_num_queries, monkeypatch
):
    # triage's own sources (other apps may register theirs: each should read from memory as these do)
    monkeypatch.setattr(routing, "SOURCES", [routing.rule_votes, routing.history_votes, routing.duty_votes])
    noise = categories["HJBH-ZYRM"]
    routing_rule_set(user=world.admin, category=noise, area=world.d, unit=world.dept)
    dispatched(world, NOISE, noise, world.pm1)
    first = submit(world, NOISE, category=noise)
    other = submit(world, ("楼下广场舞音响太吵", "每天晚上广场舞音响太吵，影响休息。"), category=noise)
    suggestion_for(first)  # the tables, the models and the community's history read once
    with django_assert_num_queries(0):  # path, units (rules, history, duty) from memory
        suggestion = suggestion_for(other)
    assert suggestion is not None and suggestion.label and names(suggestion)[:2] == ["区住建局", "幸福物业"]
    with django_assert_num_queries(1):  # the duplicate candidates: one indexed query
        duplicates_for(other)


def test_the_shared_ngrams_are_what_each_feature_block_counts(trained):
    model = classifier.load()
    assert model is not None
    fast = scorer._scorer(model)
    assert [b.grams for b in fast.blocks] == ["whole", "head"]
    document = scorer.prepared(
        "工地晚上施工噪音扰民", "工地每天晚上施工到凌晨，噪音扰民，请环保部门处理。Ａ3区"
    )
    grams = text.grams(document, classifier.HEAD_TOKENS)
    assert grams.whole == Counter(fast.blocks[0].analyzer(document))
    assert grams.head == Counter(fast.blocks[1].analyzer(document))
    assert (fast.probabilities(document, grams) == fast.probabilities(document)).all()
