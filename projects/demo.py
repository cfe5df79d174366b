"""Demo project ledger for the main community: a few projects at different steps, claimed by co-building units."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from linli import clock
from projects import services
from projects.models import Project

PROJECTS = [
    ("co_building", "老旧小区雨污分流改造", "对 3 个家属院实施雨污分流，解决雨季积水返味。", 1_200_000_00, 3),
    ("livelihood", "社区长者食堂", "在社区服务中心开设长者食堂，为 70 岁以上老人提供助餐。", 300_000_00, 2),
    ("party_building", "党员先锋岗进楼栋", "每栋楼设党员先锋岗，认领楼道清洁和邻里调解。", 20_000_00, 1),
    ("co_building", "小区充电桩集中建设", "解决电动车楼道充电的消防隐患。", 180_000_00, 0),
]


def load_demo_projects(demo: Any, stdout: TextIO | None = None) -> int:
    community = demo.community
    if Project.objects.filter(community=community).exists():
        return 0
    staff = get_user_model().objects.get(username="community")
    start = timezone.now() - timedelta(days=120)
    made = 0
    with transaction.atomic():
        for i, (kind, title, text, budget, done_steps) in enumerate(PROJECTS):
            t = start + timedelta(days=i * 7)
            with clock.at(t):
                project = services.project_create(
                    user=staff,
                    community=community,
                    kind=kind,
                    title=title,
                    description=text,
                    budget_fen=budget,
                )
                steps = [("方案公示", 20), ("施工招标", 45), ("实施", 90)]
                milestones = [
                    services.milestone_add(
                        user=staff, project_id=project.pk, title=name, due=(t + timedelta(days=d)).date()
                    )
                    for name, d in steps
                ]
            unit = services.co_building_units(community).order_by("code").first()
            if done_steps and unit is not None:
                claimer = get_user_model().objects.filter(role_assignments__unit=unit).first() or None
                if claimer is None:
                    from appeals.demo import _unit_staff

                    claimer = _unit_staff(unit)
                with clock.at(t + timedelta(days=3)):
                    services.project_claim(user=claimer, project_id=project.pk, unit=unit)
                for k, milestone in enumerate(milestones[:done_steps]):
                    with clock.at(t + timedelta(days=20 + 25 * k)):
                        services.milestone_done(
                            user=claimer, project_id=project.pk, milestone_id=milestone.pk
                        )
                if done_steps == len(milestones):
                    with clock.at(t + timedelta(days=95)):
                        services.project_complete(
                            user=staff, project_id=project.pk, note="验收合格，已交付使用"
                        )
            made += 1
    if stdout:
        stdout.write(f"演示项目台账：{made} 个项目\n")
    return made
