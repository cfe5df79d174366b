"""One service per change of a topic: create, propose, accept or decline a proposal, advance a step, close, publish
its notices. Meetings are in ``meetings``, votes in ``voting``, decisions, tasks, feedback and evaluations in
``implementation``.

Each, on the topic's loop (``deliberation.steps``): one transaction, the topic locked (``select_for_update``), the
state checked against ``deliberation.workflow.TRANSITIONS`` (409), then the right (403), then the input (400);
saved with ``update_fields``; a ``TopicEvent`` written; the people to tell told once the step has committed.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from access.models import Role
from access.scope import Scope
from appeals.models import Appeal
from areas.models import Area, Building
from deliberation.models import ProcessTemplate, StepDefinition, Topic, TopicStep
from deliberation.requirements import SUBJECT, missing
from deliberation.selectors import own_buildings
from deliberation.steps import TOPICS, begin, current_topic_step, record, url
from deliberation.workflow import EVENT_LABELS
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.steps import after_commit
from linli.text import required_text as text
from notices.models import Notice
from notices.selectors import home_community_ids, runs_community
from notices.services import notice_publish
from notifications.services import notify


def _template(code: str) -> ProcessTemplate:
    template = ProcessTemplate.objects.filter(code=code, is_active=True).first()
    if template is None or not template.steps.exists():
        raise ValidationError({"template": "请选择议事流程（六步流程或五议工作法）"})
    return template


def _start(topic: Topic, template: ProcessTemplate) -> StepDefinition:
    """Put the topic on the template's first step (the caller saves it, then ``_begin_step``)."""
    first = template.steps.order_by("order").first()
    assert first is not None
    topic.template, topic.current_step, topic.status = template, first, Topic.Status.ACTIVE
    return first


def _community_building(community: Area, building: Building | None) -> None:
    if community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "议题须属于一个社区"})
    if building is not None and not building.grid.path.startswith(community.path):
        raise ValidationError({"building": f"{building.name}不在{community.name}"})


# ---- topics -------------------------------------------------------------------------------------------------
@transaction.atomic
def topic_create(
    *,
    user,
    community: Area,
    title: str,
    body: str,
    template_code: str = "146",
    source: str = Topic.Source.PARTY,
    building: Building | None = None,
    affected_parties: str = "",
    appeal: Appeal | None = None,
) -> Topic:
    """确定议题: community staff set a topic (from the party branch, a resident's word or an appeal)."""
    scope = Scope.of(user)
    if not runs_community(scope, community):
        raise PermissionDenied(f"只有{community.name}的社区工作者可以确定议题")
    _community_building(community, building)
    if source not in Topic.Source.values:
        raise ValidationError({"source": "未知的议题来源"})
    now = clock.now()
    topic = Topic(
        community=community,
        building=building,
        title=text(title, "title", "议题", 120),
        body=text(body, "body", "议题说明"),
        affected_parties=affected_parties.strip()[:300],
        source=Topic.Source.APPEAL if appeal is not None else source,
        appeal=appeal,
        proposed_by=appeal.raised_by if appeal is not None else scope.person,
        created_at=now,
    )
    first = _start(topic, _template(template_code))
    topic.save()
    TopicStep.objects.create(topic=topic, definition=first, started_at=now)
    note = (
        f"来自诉求 #{appeal.pk}：{appeal.title}"
        if appeal is not None
        else str(Topic.Source(topic.source).label)
    )
    record(topic, user=user, action="create", note=note)
    return topic


@transaction.atomic
def topic_from_appeal(
    *, user, appeal_id: int, template_code: str = "146", title: str = "", body: str = ""
) -> Topic:
    """An appeal that needs a collective decision is raised to a topic of its community."""
    appeal = Appeal.objects.select_related("community", "building", "raised_by").filter(pk=appeal_id).first()
    if appeal is None:
        raise ValidationError({"appeal": "诉求不存在"})
    return topic_create(
        user=user,
        community=appeal.community,
        title=title or appeal.title,
        body=body or appeal.body,
        template_code=template_code,
        building=appeal.building,
        appeal=appeal,
    )


def _staff_of(community: Area):
    """Users who run the community (its community staff), to be told of a resident's proposal."""
    return (
        get_user_model()
        .objects.filter(
            role_assignments__role=Role.COMMUNITY_STAFF,
            role_assignments__area_id__in=community.ancestor_ids(),
            is_active=True,
        )
        .distinct()
    )


def _tell_proposer(topic: Topic, title: str, body: str = "") -> None:
    """Once the step has committed, the resident who proposed the topic is told."""
    proposer = topic.proposed_by
    if proposer is not None and proposer.user_id is not None:
        after_commit(notify, users=[proposer.user], title=title, body=body, url=url(topic))


@transaction.atomic
def topic_propose(
    *, user, title: str, body: str, building: Building | None = None, community: Area | None = None
) -> Topic:
    """A resident proposes a topic for their own community (optionally about a building they live in or head);
    the community's staff are told, and accept it into a process or decline it."""
    scope = Scope.of(user)
    homes = home_community_ids(scope)
    if building is not None and not own_buildings(scope).filter(pk=building.pk).exists():
        raise ValidationError({"building": "只能选择您居住的楼栋"})
    if community is None and building is not None:
        community = building.grid.ancestor_of_kind(Area.Kind.COMMUNITY)
    if community is None:
        community = Area.objects.filter(pk__in=homes).order_by("path").first()
    if community is None or community.pk not in homes:
        raise PermissionDenied("只能为自己所在的社区提议题")
    if building is not None:
        _community_building(community, building)
    topic = Topic.objects.create(
        community=community,
        building=building,
        title=text(title, "title", "议题", 120),
        body=text(body, "body", "议题说明"),
        source=Topic.Source.RESIDENT,
        proposed_by=scope.person,
        created_at=clock.now(),
    )
    record(topic, user=user, action="propose", note=EVENT_LABELS["propose"])
    who = scope.person.name if scope.person is not None else user.get_username()
    after_commit(
        notify,
        users=_staff_of(community),
        title=f"居民提议议题：{topic.title}",
        body=f"{who}提议，请受理或说明不予受理的原因",
        url=url(topic),
    )
    return topic


@transaction.atomic
def topic_accept(*, user, topic_id: int, template_code: str = "146") -> Topic:
    """受理提议: the proposal becomes a topic on the first step of the chosen process; the proposer is told."""
    topic, _ = begin(user, topic_id, "accept")
    before = topic.status
    first = _start(topic, _template(template_code))
    TOPICS.save(topic, "template", "current_step", "status")
    TopicStep.objects.create(topic=topic, definition=first, started_at=clock.now())
    name = topic.template.name if topic.template else ""
    record(topic, user=user, action="accept", from_status=before, note=name)
    _tell_proposer(topic, f"您提议的议题“{topic.title}”已受理", f"按{name}协商议事")
    return topic


@transaction.atomic
def topic_decline(*, user, topic_id: int, reason: str) -> Topic:
    """不予受理: the proposal is declined with a reason, which the proposer is told."""
    topic, _ = begin(user, topic_id, "decline")
    before = topic.status
    topic.closed_reason = text(reason, "reason", "不予受理的原因", 300)
    topic.status, topic.finished_at = Topic.Status.DECLINED, clock.now()
    TOPICS.save(topic, "status", "finished_at", "closed_reason")
    record(topic, user=user, action="decline", from_status=before, note=topic.closed_reason)
    _tell_proposer(topic, f"您提议的议题“{topic.title}”未被受理", topic.closed_reason)
    return topic


@transaction.atomic
def topic_advance(*, user, topic_id: int, note: str = "") -> Topic:
    """Complete the current step and start the next, or finish after the last; refused with what is missing."""
    topic, _ = begin(user, topic_id, "advance")
    now = clock.now()
    step = current_topic_step(topic)
    nxt = StepDefinition.objects.filter(template=topic.template, order__gt=step.definition.order).order_by(
        "order"
    )
    following = nxt.first()
    lacking = missing(topic, step, now)
    if lacking:
        target = f"进入“{following.name}”" if following else "完成议事流程"
        raise TransitionError(f"“{step.definition.name}”还不能{target}：" + "；".join(lacking))
    step.completed_at, step.completed_by, step.note = now, user, note.strip()[:500]
    step.save(update_fields=["completed_at", "completed_by", "note"])
    before = topic.status
    if following is None:
        topic.status, topic.finished_at = Topic.Status.DONE, now
        TOPICS.save(topic, "status", "finished_at")
        record(topic, user=user, action="finish", from_status=before, note=note, step=step.definition.name)
        return topic
    TopicStep.objects.create(topic=topic, definition=following, started_at=now)
    topic.current_step = following
    TOPICS.save(topic, "current_step")
    record(
        topic,
        user=user,
        action="advance",
        from_status=before,
        note=f"完成“{step.definition.name}”。{note}".strip(),
    )
    return topic


@transaction.atomic
def topic_close(*, user, topic_id: int, reason: str) -> Topic:
    topic, _ = begin(user, topic_id, "close")
    before = topic.status
    topic.closed_reason = text(reason, "reason", "终止原因", 300)
    topic.status, topic.finished_at = Topic.Status.CLOSED, clock.now()
    TOPICS.save(topic, "status", "finished_at", "closed_reason")
    record(topic, user=user, action="close", from_status=before, note=topic.closed_reason)
    return topic


@transaction.atomic
def topic_publish_notice(*, user, topic_id: int, kind: str, body: str, days: int, title: str = "") -> Notice:
    """公示告知 (the topic) or 公示结果 (the result) on the community's notice board."""
    topic, _ = begin(user, topic_id, "notice")
    if kind not in (Notice.Kind.TOPIC, Notice.Kind.RESULT):
        raise ValidationError({"kind": "议题只能发布议题公示或结果公示"})
    if kind == Notice.Kind.RESULT and not topic.decisions.filter(adopted=True).exists():
        raise TransitionError("尚无通过的决议，不能发布结果公示")
    label = "议题公示" if kind == Notice.Kind.TOPIC else "结果公示"
    notice = notice_publish(
        user=user,
        community=topic.community,
        kind=kind,
        title=title or f"{label}：{topic.title}",
        body=body,
        days=days,
        subject_type=SUBJECT,
        subject_id=topic.pk,
    )
    if topic.published_at is None:
        topic.published_at = notice.starts_at
        TOPICS.save(topic, "published_at")
    record(topic, user=user, action="notice", note=f"{label}，至 {notice.ends_at:%Y-%m-%d %H:%M}")
    return notice
