"""The councils on other pages: the area's staff page, the hub, and the figure of decisions done on time."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q
from django.urls import reverse

from access.scope import Scope
from areas.models import Area
from councils.liaisons import liaisons_in, work_of
from councils.models import Decision, Issue, Liaison
from councils.scope import councils
from councils.selectors import decisions_due
from evaluation.ledgers import Cell, LedgerTable, Rate, table_of
from linli import clock
from notices.public import PublicSection
from web.hub import HubLink


def councils_section(request, scope: Scope, area: Area) -> PublicSection | None:
    if area.kind not in (Area.Kind.SUBDISTRICT, Area.Kind.COMMUNITY):
        return None
    today = clock.now().date()
    rows = (
        councils(scope)
        .filter(Q(area=area) | Q(area_id__in=area.ancestor_ids()))
        .annotate(
            open_issues=Count("issues", filter=Q(issues__status=Issue.Status.OPEN), distinct=True),
            open_decisions=Count(
                "meetings__decisions",
                filter=Q(meetings__decisions__status=Decision.Status.OPEN),
                distinct=True,
            ),
            overdue=Count(
                "meetings__decisions",
                filter=Q(
                    meetings__decisions__status=Decision.Status.OPEN, meetings__decisions__due__lt=today
                ),
                distinct=True,
            ),
        )
        .order_by("area__path", "name")
    )
    if not rows:
        return None
    return PublicSection(
        key="councils",
        title="联席会议与党建联盟",
        template="councils/section_area.html",
        context={"councils": rows},
    )


def hub_card(request, scope: Scope) -> HubLink | None:
    visible = councils(scope)
    if not (scope.is_staff_like or scope.unit_ids) or not visible.exists():
        return None
    waiting = Decision.objects.filter(
        meeting__council__in=visible, status=Decision.Status.OPEN, owner_unit_id__in=scope.unit_ids
    ).count()
    return HubLink(
        title="联席会议",
        url=reverse("councils-index"),
        description="联席会议、党建联盟的成员、会议、议题清单和决议落实跟踪。",
        waiting=waiting or None,
        waiting_label="本单位待落实决议",
    )


def decisions_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    due = list(decisions_due(area, start, end))
    if not due:
        return None
    by_council: dict[int, list[Decision]] = {}
    for d in due:
        by_council.setdefault(d.meeting.council_id, []).append(d)
    rows: list[list[Cell]] = []
    links: list[str] = []
    for decisions in by_council.values():
        council = decisions[0].meeting.council
        done = [d for d in decisions if d.done_at is not None and d.done_at < end]
        on_time = [d for d in done if d.on_time]
        rows.append(
            [council.name, len(decisions), len(done), len(on_time), Rate(len(on_time), len(decisions))]
        )
        links.append(reverse("councils-detail", args=[council.pk]) + "#decisions")
    return LedgerTable(
        key="council-decisions",
        title="联席会议决议落实",
        columns=["联席会议", "本期到期决议", "已落实", "按时落实", "按时落实率"],
        rows=rows,
        definitions=[
            "本期到期决议：区域内各联席会议作出的、完成时限落在本期内的决议。",
            "已落实：其中在期末前标记落实（或经会议跟踪确认已落实）的决议。",
            "按时落实：落实日期不晚于完成时限的决议；按时落实率 = 按时落实 ÷ 本期到期决议。",
        ],
        links=links,
    )


def liaisons_section(request, scope: Scope, area: Area) -> PublicSection | None:
    if area.kind != Area.Kind.COMMUNITY:
        return None
    return PublicSection(
        key="liaisons",
        title="两代表一委员",
        template="councils/section_liaisons.html",
        context={"community": area, "liaisons": list(liaisons_in(area)), "link": True},
    )


def public_liaisons(community: Area, now: datetime) -> PublicSection | None:
    """The deputies and CPPCC members of the community and their contact days, as the seeds publish them."""
    rows = list(liaisons_in(community))
    if not rows:
        return None
    return PublicSection(
        key="liaisons",
        title="两代表一委员接待日",
        template="councils/section_liaisons.html",
        context={"community": community, "liaisons": rows, "link": False},
    )


def review_panel_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    """评单评议组: the deputies and CPPCC members assigned to the area's communities sit on its review panel."""

    def row(x: Liaison) -> tuple[list[Cell], str]:
        w = work_of(x, start, end)
        cells: list[Cell] = [
            x.person.name,
            x.get_kind_display(),
            x.community.name,
            x.contact_day,
            w.appeals_recorded,
            w.appeals_followed,
        ]
        return cells, reverse("councils-liaisons", args=[x.community_id])

    return table_of(
        liaisons_in(area).order_by("community__path", "kind", "person__name"),
        row,
        key="review-panel",
        title="评单评议组（两代表一委员）",
        columns=["姓名", "身份", "联系社区", "接待日", "本期代登记诉求", "本期关注诉求"],
        definitions=[
            "评议组成员：期末仍在分片联系区域内社区的人大代表、政协委员，参加本期评单通报的评议。",
            "本期代登记诉求：本期内由其本人登录代居民登记的该社区诉求数。",
            "本期关注诉求：本期内提交、其本人关注的该社区诉求数。",
        ],
    )


AREA = [councils_section, liaisons_section]
PUBLIC = [public_liaisons]
HUB = [hub_card]
REPORT = [decisions_table, review_panel_table]
