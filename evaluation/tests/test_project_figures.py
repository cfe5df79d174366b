"""The project ledger's figures beside the appeals': counts and rates by the area's children, from the rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from evaluation.tests import shown
from linli import clock
from needs.services import registration_create
from projects import services

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _project(world, community, user, title: str):
    return services.project_create(
        user=user, community=community, kind="livelihood", title=title, description=f"{title}的内容"
    )


def test_claimed_done_and_milestones_on_time_by_community(world, client_for):
    with clock.at(T0):
        registration_create(actor=world.community, community=world.c1, unit=world.pm1)
        lift = _project(world, world.c1, world.community, "加装电梯")
        _project(world, world.c1, world.community, "楼道改造")  # never claimed
        dropped = _project(world, world.c1, world.community, "停车棚")
        park = _project(world, world.c2, world.community2, "口袋公园")
        services.project_claim(user=world.unit, project_id=lift.pk, unit=world.pm1)
        on_time = services.milestone_add(
            user=world.community, project_id=lift.pk, title="公示", due=T0.date()
        )
        late = services.milestone_add(
            user=world.community, project_id=lift.pk, title="施工", due=(T0 + timedelta(days=10)).date()
        )
        services.milestone_add(user=world.community2, project_id=park.pk, title="设计", due=T0.date())
        services.milestone_done(user=world.unit, project_id=lift.pk, milestone_id=on_time.pk)
        services.project_cancel(user=world.community, project_id=dropped.pk, reason="场地另有规划")
    with clock.at(T0 + timedelta(days=20)):
        services.milestone_done(user=world.unit, project_id=lift.pk, milestone_id=late.pk)
        services.project_complete(user=world.community, project_id=lift.pk, note="电梯投入使用")

    # when the subdistrict opens its dashboard for March 2025
    page = client_for("subdistrict").get(f"/evaluation/area/{world.s1.pk}/", {"month": "2025-03"})
    projects = page.context["projects"]
    row = {r.label: r for r in projects["rows"]}["幸福社区"]
    # then the cancelled project is left out, one of two is claimed and done, one of one milestone met on time
    assert (row.projects, row.claimed, row.done) == (2, 1, 1)
    assert (row.milestones_due, row.milestones_on_time, row.milestones_late) == (2, 1, 1)
    assert (row.claim_rate, row.done_rate, row.milestone_rate) == ("50.0%", "50.0%", "50.0%")
    assert (row.claim_fraction, row.done_fraction, row.milestone_fraction) == ("1 ÷ 2", "1 ÷ 2", "1 ÷ 2")
    assert row.url == f"/projects/?community={world.c1.pk}"
    assert "项目台账（党建、共建、民生项目）" in page.content.decode()
    # and every rate of the table stands beside the fraction that gives it
    html = page.content.decode()
    projects = html[html.index('id="table-projects"') :]
    projects = projects[: projects.index("</section>")]
    assert shown.check_rates(shown.visible_text(projects)) == 3
    shown.check_rates(shown.visible_text(html))  # and the other ledgers' rates on the page stand by theirs
    # and the district sees both subdistricts, 和平社区's overdue design milestone under 西山街道
    district = client_for("district").get(f"/evaluation/area/{world.d.pk}/", {"month": "2025-03"})
    rows = {r.label: r for r in district.context["projects"]["rows"]}
    assert rows["西山街道"].projects == 1 and rows["西山街道"].milestones_late == 1
    assert district.context["projects"]["total"].projects == 3
    # another month has none
    empty = client_for("district").get(f"/evaluation/area/{world.d.pk}/", {"month": "2025-05"})
    assert empty.context["projects"]["total"].projects == 0
