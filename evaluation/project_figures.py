"""Figures of the project ledger (党建、共建、民生项目) in the shape of the appeals' figures: for an area and a
period (projects by the month they were set up), how many, how many claimed by a unit, how many completed, and
how many of their milestones were met on time, with the rates of those counts, by the area's children.

Projects are counted straight from their rows: a community sets up a few dozen a year, so even a district's
ledger over five years is a few thousand rows, read through the (community, created_at) of an indexed join.
Definitions are shown beside the table (``DEFINITIONS``) and in docs/figures.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q

from areas.models import Area
from evaluation import selectors as sel
from evaluation.figures import FIGURES_BY_KEY, display, ratio
from projects.models import Milestone, Project

DEFINITIONS = {
    "projects": "按立项月份计入的项目数，不含已撤销的。",
    "claim_rate": "已认领数 ÷ 项目数。认领：有单位认领（已认领、实施中或已完成）。",
    "done_rate": "已完成数 ÷ 项目数。",
    "milestone_rate": "按期完成的节点数 ÷ 应完成的节点数。应完成：计划完成日已到或已完成的节点；"
    "按期：完成日不晚于计划完成日。",
}


@dataclass
class ProjectRow:
    key: int
    label: str
    projects: int = 0
    claimed: int = 0
    done: int = 0
    milestones_due: int = 0
    milestones_on_time: int = 0
    url: str = ""

    def _rate(self, numerator: int, denominator: int) -> str:
        return display(FIGURES_BY_KEY["closure_rate"], ratio(numerator, denominator))

    @staticmethod
    def _fraction(numerator: int, denominator: int) -> str:
        """The fraction a rate is computed from, shown under it ("" when there is no rate)."""
        return f"{numerator} ÷ {denominator}" if denominator else ""

    @property
    def claim_rate(self) -> str:
        return self._rate(self.claimed, self.projects)

    @property
    def claim_fraction(self) -> str:
        return self._fraction(self.claimed, self.projects)

    @property
    def done_rate(self) -> str:
        return self._rate(self.done, self.projects)

    @property
    def done_fraction(self) -> str:
        return self._fraction(self.done, self.projects)

    @property
    def milestone_rate(self) -> str:
        return self._rate(self.milestones_on_time, self.milestones_due)

    @property
    def milestone_fraction(self) -> str:
        return self._fraction(self.milestones_on_time, self.milestones_due)

    @property
    def milestones_late(self) -> int:
        return self.milestones_due - self.milestones_on_time


def _group_field(area: Area) -> str:
    """Projects belong to communities: a district groups them by subdistrict, a subdistrict by community."""
    return "community__parent_id" if area.kind == Area.Kind.DISTRICT else "community_id"


def project_rows(area: Area, period: sel.Period, today: date) -> tuple[ProjectRow, list[ProjectRow]]:
    """The area's totals and one row per child subdistrict or community (every child listed)."""
    start, end = sel._month_bounds(period)
    projects = Project.objects.filter(
        community__path__startswith=area.path, created_at__gte=start, created_at__lt=end
    ).exclude(status=Project.Status.CANCELLED)
    group = _group_field(area)
    counts = {
        row[group]: row
        for row in projects.values(group).annotate(
            n=Count("id"),
            claimed=Count("id", filter=Q(claimed_by__isnull=False)),
            done=Count("id", filter=Q(status=Project.Status.DONE)),
        )
    }
    milestones = Milestone.objects.filter(project__in=projects.values("pk")).filter(
        Q(due__lte=today) | Q(done_at__isnull=False)
    )
    met = {
        row[f"project__{group}"]: row
        for row in milestones.values(f"project__{group}").annotate(
            n_due=Count("id"), n_on_time=Count("id", filter=Q(done_at__date__lte=F("due")))
        )
    }
    if area.kind in (Area.Kind.DISTRICT, Area.Kind.SUBDISTRICT):
        kind = Area.Kind.SUBDISTRICT if area.kind == Area.Kind.DISTRICT else Area.Kind.COMMUNITY
        children = list(Area.objects.filter(kind=kind, parent=area).order_by("path"))
    else:  # a community's own ledger (a grid has no projects of its own)
        children = [area] if area.kind == Area.Kind.COMMUNITY else []
    rows = []
    for child in children:
        c, m = counts.get(child.pk, {}), met.get(child.pk, {})
        rows.append(
            ProjectRow(
                key=child.pk,
                label=child.name,
                projects=c.get("n", 0),
                claimed=c.get("claimed", 0),
                done=c.get("done", 0),
                milestones_due=m.get("n_due", 0),
                milestones_on_time=m.get("n_on_time", 0),
                url=f"/projects/?community={child.pk}" if child.kind == Area.Kind.COMMUNITY else "",
            )
        )
    total = ProjectRow(key=area.pk, label=area.name)
    for r in rows:
        total.projects += r.projects
        total.claimed += r.claimed
        total.done += r.done
        total.milestones_due += r.milestones_due
        total.milestones_on_time += r.milestones_on_time
    return total, rows
