"""What a hostile name cannot do in a higher level's browser: a grid named with markup is shown as text in the
dashboard map's tooltip, and no script of it runs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests_browser.helpers import DESKTOP, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAYLOAD = "<img src=x onerror=window.__xss=1>"


def test_a_grid_named_with_markup_shows_as_text_in_the_map_tooltip(demo, new_context):
    from areas.models import Area
    from evaluation.shapes import draw_grids

    community = Area.objects.get(name="松园社区")
    Area.objects.filter(kind="grid", path__startswith=community.path).update(name="第一网格" + PAYLOAD)
    draw_grids(demo.district)

    page = new_context(DESKTOP)
    login(page, "district")
    page.goto(f"/evaluation/area/{community.pk}/")
    expect(page.locator("#grid-map svg path").first).to_be_visible()
    # when the map's tooltip opens on each grid in turn (as a pointer resting on it would)
    shown = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById("grid-map"));
            const count = chart.getOption().series[0].data.length;
            const html = [];
            for (let i = 0; i < count; i++) {
                chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: i});
                const tip = [...document.querySelectorAll("#grid-map > div")].pop();
                html.push(tip.innerHTML);
            }
            return html;
        }"""
    )
    # then the name is shown as the text it is, no element of it exists, and no script of it ran
    assert any("第一网格&lt;img" in h for h in shown), shown[:3]
    assert not any("<img" in h for h in shown)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
