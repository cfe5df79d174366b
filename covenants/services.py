"""Writes of 居民公约, one service per step of a version's loop (``linli.steps.Loop``): lock the version, refuse a
wrong state (409), then a missing right (403), then bad input (400); an event row per step.

Deliberation is the deliberation app's: ``version_deliberate`` creates the topic through
``deliberation.services.topic_create`` (the six steps), and the topic's own pages run its notice, meetings and
the residents' vote. ``version_adopt`` then reads the topic's decisions: only a vote that passed adopts a version.
"""

from __future__ import annotations

from django.db import transaction

from access.scope import Scope
from areas.models import Area
from covenants.models import Covenant, Version, VersionEvent
from covenants.scope import may_run
from deliberation.models import Decision, Topic
from deliberation.services import topic_create
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.steps import Loop
from linli.text import required_text
from notices.models import Notice
from notices.selectors import runs_community
from notices.services import notice_publish

V = Version.Status
TRANSITIONS = {
    "edit": [V.DRAFT],
    "deliberate": [V.DRAFT],
    "adopt": [V.DELIBERATING],
    "reject": [V.DELIBERATING],
    "publish": [V.ADOPTED],
}
LABELS = {
    "edit": "修改草案",
    "deliberate": "提交协商",
    "adopt": "确认表决通过",
    "reject": "确认未通过",
    "publish": "公布施行",
}
VERSIONS: Loop[Version] = Loop(
    model=Version,
    noun="公约版本",
    transitions=TRANSITIONS,
    labels=LABELS,
    event_model=VersionEvent,
    event_fk="version",
    related=("covenant__community",),
    key="version",
)
SUBJECT = "covenants.version"
OPEN = (V.DRAFT, V.DELIBERATING, V.ADOPTED)


def _runner(user):
    return lambda v: may_run(Scope.of(user), v.covenant)


@transaction.atomic
def covenant_create(
    *, user, community: Area, title: str, text: str, compound: str = "", changes: str = ""
) -> Version:
    """A new covenant for a community (or one 小区 in it), with its first draft."""
    if community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "居民公约须属于一个社区"})
    if not runs_community(Scope.of(user), community):
        raise PermissionDenied(f"只有{community.name}的社区工作者可以起草居民公约")
    compound = compound.strip()[:60]
    if Covenant.objects.filter(community=community, compound=compound).exists():
        raise TransitionError(f"{compound or community.name}已有居民公约，请在原公约上修订")
    now = clock.now()
    covenant = Covenant.objects.create(
        community=community,
        compound=compound,
        title=required_text(title, "title", "公约名称", 120),
        created_by=user,
        created_at=now,
    )
    return _draft(covenant, user=user, text=text, changes=changes or "首次制定", number=1)


def _draft(covenant: Covenant, *, user, text: str, changes: str, number: int) -> Version:
    version = Version.objects.create(
        covenant=covenant,
        number=number,
        text=required_text(text, "text", "公约全文", 20000),
        changes=changes.strip()[:500],
        created_by=user,
        created_at=clock.now(),
    )
    VERSIONS.record(version, user=user, action="draft", from_state="", note=version.changes)
    return version


@transaction.atomic
def covenant_revise(*, user, covenant_id: int, text: str, changes: str) -> Version:
    """修订: a new draft, numbered after the last; one open version at a time."""
    try:
        covenant = Covenant.objects.select_for_update().select_related("community").get(pk=covenant_id)
    except (Covenant.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationError({"covenant": "居民公约不存在"}) from exc
    open_version = covenant.versions.filter(status__in=OPEN).first()
    if open_version is not None:
        raise TransitionError(
            f"第 {open_version.number} 版{open_version.get_status_display()}，完成后才能再修订"
        )
    if not may_run(Scope.of(user), covenant):
        raise PermissionDenied("只有本社区的社区工作者可以修订居民公约")
    last = covenant.versions.order_by("-number").first()
    return _draft(
        covenant,
        user=user,
        text=text,
        changes=required_text(changes, "changes", "修订说明", 500),
        number=(last.number if last else 0) + 1,
    )


@transaction.atomic
def version_edit(*, user, version_id: int, text: str, changes: str = "") -> Version:
    version = VERSIONS.begin(version_id, "edit", allowed=_runner(user))
    version.text = required_text(text, "text", "公约全文", 20000)
    version.changes = changes.strip()[:500] or version.changes
    VERSIONS.save(version, "text", "changes")
    VERSIONS.record(version, user=user, action="edit", from_state=version.status)
    return version


@transaction.atomic
def version_deliberate(*, user, version_id: int, template_code: str = "146") -> Version:
    """提交协商: the draft becomes a topic of the community, run through the six steps by the deliberation app."""
    version = VERSIONS.begin(version_id, "deliberate", allowed=_runner(user))
    covenant = version.covenant
    place = covenant.compound or covenant.community.name
    topic = topic_create(
        user=user,
        community=covenant.community,
        title=f"{'修订' if version.number > 1 else '制定'}{covenant.title}（第 {version.number} 版）"[:120],
        body=f"{version.changes}\n\n公约草案全文：\n{version.text}"[:5000],
        template_code=template_code,
        affected_parties=f"{place}全体居民",
    )
    version.topic, version.status = topic, V.DELIBERATING
    VERSIONS.save(version, "topic", "status")
    VERSIONS.record(version, user=user, action="deliberate", from_state=V.DRAFT, note=f"议题 #{topic.pk}")
    return version


def _vote_decisions(version: Version):
    if version.topic_id is None:
        return Decision.objects.none()
    return Decision.objects.filter(topic_id=version.topic_id, vote__isnull=False).order_by(
        "-decided_at", "-id"
    )


@transaction.atomic
def version_adopt(*, user, version_id: int) -> Version:
    """表决通过: the topic's latest vote passed."""
    version = VERSIONS.begin(version_id, "adopt", allowed=_runner(user))
    decision = _vote_decisions(version).first()
    if decision is None:
        raise TransitionError("议题还没有结束的居民表决，表决通过后才能确认通过")
    if not decision.adopted:
        raise TransitionError("居民表决未通过，请确认未通过后修订草案")
    version.status, version.decision, version.adopted_at = V.ADOPTED, decision, decision.decided_at
    VERSIONS.save(version, "status", "decision", "adopted_at")
    VERSIONS.record(version, user=user, action="adopt", from_state=V.DELIBERATING, note=decision.text[:300])
    return version


@transaction.atomic
def version_reject(*, user, version_id: int) -> Version:
    """未通过: the latest vote failed, or the topic was closed without one."""
    version = VERSIONS.begin(version_id, "reject", allowed=_runner(user))
    decision = _vote_decisions(version).first()
    topic_closed = Topic.objects.filter(
        pk=version.topic_id or 0, status__in=[Topic.Status.CLOSED, Topic.Status.DECLINED]
    ).exists()
    if (decision is None or decision.adopted) and not topic_closed:
        raise TransitionError("议题没有未通过的表决，也未终止，不能确认未通过")
    version.status, version.decision = V.REJECTED, decision
    VERSIONS.save(version, "status", "decision")
    VERSIONS.record(
        version,
        user=user,
        action="reject",
        from_state=V.DELIBERATING,
        note=decision.text[:300] if decision else "议题已终止",
    )
    return version


@transaction.atomic
def version_publish(*, user, version_id: int, days: int = 30) -> Version:
    """公布施行: the adopted version is in force from now, on the notice board; the version before is superseded."""
    version = VERSIONS.begin(version_id, "publish", allowed=_runner(user))
    covenant = version.covenant
    now = clock.now()
    previous = Version.objects.select_for_update().filter(covenant=covenant, status=V.IN_FORCE).first()
    if previous is not None:
        previous.status, previous.superseded_at = V.SUPERSEDED, now
        VERSIONS.save(previous, "status", "superseded_at")
        VERSIONS.record(
            previous,
            user=user,
            action="supersede",
            from_state=V.IN_FORCE,
            note=f"由第 {version.number} 版代替",
        )
    notice = notice_publish(
        user=user,
        community=covenant.community,
        kind=Notice.Kind.RESULT,
        title=f"{covenant.title}（第 {version.number} 版）公布施行"[:120],
        body=f"经居民协商、表决通过，{covenant.title}第 {version.number} 版自公布之日起施行。\n\n{version.text}"[
            :10000
        ],
        days=days,
        subject_type=SUBJECT,
        subject_id=version.pk,
    )
    version.status, version.in_force_from, version.notice = V.IN_FORCE, now, notice
    VERSIONS.save(version, "status", "in_force_from", "notice")
    VERSIONS.record(version, user=user, action="publish", from_state=V.ADOPTED)
    return version
