"""Writes of the project ledger: one function per step, each in a transaction with a ProjectEvent row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from access.scope import Scope
from appeals.models import Appeal
from areas.models import Area
from linli import clock
from linli.steps import Loop
from needs.models import Registration
from needs.services import community_staff_of
from notifications.services import notify
from projects.models import Milestone, Project, ProjectEvent
from units.models import CoBuildingLink, Unit

P = Project.Status
# step -> statuses it may start from
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "claim": (P.OPEN,),
    "milestone": (P.OPEN, P.CLAIMED, P.IN_PROGRESS),
    "milestone_done": (P.CLAIMED, P.IN_PROGRESS),
    "complete": (P.CLAIMED, P.IN_PROGRESS),
    "cancel": (P.OPEN, P.CLAIMED, P.IN_PROGRESS),
}
LABELS = {
    "create": "立项",
    "claim": "认领",
    "milestone": "新增节点",
    "milestone_done": "完成节点",
    "complete": "完成",
    "cancel": "撤销",
}


def co_building_units(community: Area):
    """Units that may claim the community's projects: co-building party orgs' units and registered units."""
    linked = CoBuildingLink.objects.filter(community=community, party_org__unit__isnull=False)
    registered = Registration.objects.filter(community=community, status="active", unit__isnull=False)
    return Unit.objects.filter(
        Q(pk__in=linked.values("party_org__unit")) | Q(pk__in=registered.values("unit")), is_active=True
    )


PROJECTS: Loop[Project] = Loop(
    model=Project,
    noun="项目",
    transitions=TRANSITIONS,
    labels=LABELS,
    event_model=ProjectEvent,
    event_fk="project",
    related=("community",),
    key="project",
)


def _event(project: Project, *, user, action: str, before: str, note: str = "") -> None:
    PROJECTS.record(project, user=user, action=action, from_state=before, note=note[:500])


def _begin(user, project_id: int, step: str) -> Project:
    """Lock the project and refuse a step its status does not allow (409); each step then checks the right."""
    project = PROJECTS.lock(project_id)
    PROJECTS.check_state(project, step)
    return project


def _staff(user, community: Area) -> None:
    if not community_staff_of(Scope.of(user), community):
        raise PermissionDenied(f"只有{community.name}的工作人员可以管理本社区项目")


@transaction.atomic
def project_create(
    *,
    user,
    community: Area,
    kind: str,
    title: str,
    description: str,
    budget_fen: int = 0,
    appeals: Iterable[Appeal] = (),
    topic=None,
) -> Project:
    _staff(user, community)
    errors: dict[str, str] = {}
    if kind not in Project.Kind.values:
        errors["kind"] = "请选择项目类型"
    if not title.strip():
        errors["title"] = "请填写项目名称"
    if not description.strip():
        errors["description"] = "请填写项目内容"
    if not isinstance(budget_fen, int) or budget_fen < 0:
        errors["budget_fen"] = "预算不能为负"
    appeals = list(appeals)
    if any(a.community_id != community.pk for a in appeals):
        errors["appeals"] = "来源诉求须是本社区的诉求"
    if errors:
        raise ValidationError(errors)
    project = Project.objects.create(
        community=community,
        kind=kind,
        title=title.strip()[:120],
        description=description.strip(),
        budget_fen=budget_fen,
        owner=user,
        topic=topic,
        created_at=clock.now(),
    )
    project.appeals.set(appeals)
    _event(project, user=user, action="create", before="", note=f"预算 {project.budget_yuan} 元")
    return project


@transaction.atomic
def project_claim(*, user, project_id: int, unit: Unit) -> Project:
    project = _begin(user, project_id, "claim")
    if unit.pk not in Scope.of(user).unit_ids:
        raise PermissionDenied("只能以本单位名义认领")
    if not co_building_units(project.community).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": f"{unit.name} 未与{project.community.name}共建或报到，不能认领"})
    before = project.status
    project.status, project.claimed_by, project.claimed_at = P.CLAIMED, unit, clock.now()
    project.save(update_fields=["status", "claimed_by", "claimed_at"])
    _event(project, user=user, action="claim", before=before, note=f"{unit.name} 认领")
    notify(
        users=[project.owner],
        title=f"项目已被认领：{project.title}",
        body=unit.name,
        url=f"/projects/{project.pk}/",
    )
    return project


@transaction.atomic
def milestone_add(*, user, project_id: int, title: str, due: date, weight: int = 1) -> Milestone:
    project = _begin(user, project_id, "milestone")
    _staff(user, project.community)
    if not title.strip():
        raise ValidationError({"title": "请填写节点名称"})
    if not isinstance(weight, int) or not 1 <= weight <= 100:
        raise ValidationError({"weight": "权重为 1 到 100"})
    milestone = Milestone.objects.create(project=project, title=title.strip()[:120], due=due, weight=weight)
    _recompute(project)
    _event(
        project,
        user=user,
        action="milestone",
        before=project.status,
        note=f"{milestone.title}（{due:%Y-%m-%d}）",
    )
    return milestone


def _recompute(project: Project) -> None:
    milestones = list(project.milestones.all())
    total = sum(m.weight for m in milestones)
    done = sum(m.weight for m in milestones if m.done_at)
    project.progress = (100 * done // total) if total else 0
    project.save(update_fields=["progress"])


def _may_work(user, project: Project) -> bool:
    scope = Scope.of(user)
    return community_staff_of(scope, project.community) or project.claimed_by_id in scope.unit_ids


@transaction.atomic
def milestone_done(*, user, project_id: int, milestone_id: int, note: str = "") -> Project:
    project = _begin(user, project_id, "milestone_done")
    if not _may_work(user, project):
        raise PermissionDenied("只有社区或认领单位可以更新进度")
    milestone = Milestone.objects.select_for_update().filter(project=project, pk=milestone_id).first()
    if milestone is None:
        raise ValidationError({"milestone": "没有这个节点"})
    if milestone.done_at:
        raise ValidationError({"milestone": f"“{milestone.title}”已完成"})
    milestone.done_at = clock.now()
    milestone.save(update_fields=["done_at"])
    before = project.status
    project.status = P.IN_PROGRESS
    project.save(update_fields=["status"])
    _recompute(project)
    _event(
        project, user=user, action="milestone_done", before=before, note=f"{milestone.title} {note}".strip()
    )
    return project


@transaction.atomic
def project_complete(*, user, project_id: int, note: str) -> Project:
    project = _begin(user, project_id, "complete")
    _staff(user, project.community)
    open_ones = [m.title for m in project.milestones.filter(done_at__isnull=True)]
    if open_ones:
        raise ValidationError({"status": f"还有未完成的节点：{'、'.join(open_ones)}"})
    if not note.strip():
        raise ValidationError({"note": "请填写完成情况"})
    before = project.status
    project.status, project.done_at, project.progress = P.DONE, clock.now(), 100
    project.save(update_fields=["status", "done_at", "progress"])
    _event(project, user=user, action="complete", before=before, note=note)
    return project


@transaction.atomic
def project_cancel(*, user, project_id: int, reason: str) -> Project:
    project = _begin(user, project_id, "cancel")
    _staff(user, project.community)
    if not reason.strip():
        raise ValidationError({"reason": "请填写撤销理由"})
    before = project.status
    project.status = P.CANCELLED
    project.save(update_fields=["status"])
    _event(project, user=user, action="cancel", before=before, note=reason)
    return project


def ledger_rate(projects) -> tuple[int, int]:
    """台账办结率: (done, counted), cancelled projects not counted."""
    counted = projects.exclude(status=P.CANCELLED)
    return counted.filter(status=P.DONE).count(), counted.count()


@transaction.atomic
def ledger_publish(*, user, community: Area, days: int = 7):
    """Publish the community's project ledger on the public notice board (阳光居务)."""
    from notices.models import Notice
    from notices.services import notice_publish

    _staff(user, community)
    projects = (
        Project.objects.filter(community=community).exclude(status=P.CANCELLED).select_related("claimed_by")
    )
    if not projects.exists():
        raise ValidationError({"community": "台账中还没有项目"})
    done, counted = ledger_rate(projects)
    lines = [
        f"{p.get_kind_display()}｜{p.title}｜{p.get_status_display()}｜进度 {p.progress}%｜"
        f"认领：{p.claimed_by.name if p.claimed_by else '待认领'}｜预算 {p.budget_yuan} 元"
        for p in projects
    ]
    body = f"项目 {counted} 个，已完成 {done} 个。\n" + "\n".join(lines)
    return notice_publish(
        user=user,
        community=community,
        kind=Notice.Kind.LEDGER,
        title=f"{community.name}项目台账公示",
        body=body,
        days=days,
    )
