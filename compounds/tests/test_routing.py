"""An appeal filed on a building of a 小区 goes by default to the 小区's firm when its category is one the firm
takes (a property matter), before the community's routing rule; on the dispatch form the firm is pre-selected with
the reason "小区：幸福小区 → 幸福物业"."""

from __future__ import annotations

import pytest

from appeals import services as appeal_services
from compounds.services import body_end
from compounds.tests.helpers import compound, firm
from demo.categories import ensure_categories
from triage.selectors import suggestion_for
from triage.services import routing_rule_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(world):
    w = world
    categories = ensure_categories()
    w.pm1.categories.add(categories["CXJS-WYGL"], categories["HJBH-LJQY"])
    routing_rule_set(user=w.community, category=categories["CXJS"], area=w.c1, unit=w.dept)
    c = compound(w)
    body = firm(w, c)
    return categories, c, body


def _appeal(w, category, building):
    return appeal_services.appeal_submit(
        user=w.community,
        raised_by=w.neighbour_g1b,
        title="楼道灯坏了一个月没人修",
        body="单元楼道灯坏了，物业一直没有来修。",
        channel="hotline",
        building=building,
        category=category,
    )


def test_a_property_matter_on_a_compound_goes_to_its_firm(world, routed, client_for):
    w = world
    categories, c, body = routed
    appeal = _appeal(w, categories["CXJS-WYGL"], w.b1b)
    suggestion = suggestion_for(appeal)
    assert suggestion is not None and suggestion.unit == w.pm1
    first = suggestion.units[0]
    assert (first.source, first.reason) == ("compound", "小区：幸福小区 → 幸福物业")
    assert w.dept in [u.unit for u in suggestion.units]  # the rule's unit stays the next choice
    page = client_for("community").get(f"/appeals/{appeal.pk}/").content.decode()
    assert f'<option value="{w.pm1.pk}" selected>' in page and "小区：幸福小区 → 幸福物业" in page
    api = client_for("community").get(f"/api/triage/{appeal.pk}/")
    assert api.status_code == 200
    assert api.json()["units"][0] == {
        "unit": w.pm1.pk,
        "name": "幸福物业",
        "basis": "compound",
        "reason": "小区：幸福小区 → 幸福物业",
    }


def test_not_a_property_matter_or_no_firm_follows_the_rule(world, routed):
    w = world
    categories, c, body = routed
    other = _appeal(w, categories["CXJS-SZSS"], w.b1b)  # 市政设施: not the firm's
    assert suggestion_for(other).units[0].source == "rule"
    body_end(user=w.community, body_id=body.pk, reason="合同到期")
    appeal = _appeal(w, categories["CXJS-WYGL"], w.b1b)
    assert suggestion_for(appeal).unit == w.dept
