"""The process templates, as data: the 146 mechanism's six steps and the 五议工作法 variant.

``ensure_templates()`` is idempotent: a data migration and the demo call it; an edited template in the admin
keeps its edits (only missing templates and steps are added).
"""

from __future__ import annotations

R = "topic_notice", "meeting_minutes", "decision", "tasks_done", "result_notice", "feedback"
TOPIC_NOTICE, MEETING_MINUTES, DECISION, TASKS_DONE, RESULT_NOTICE, FEEDBACK = R

# code -> (name, description, [(step code, step name, guidance, requirements before the next step)])
TEMPLATES: dict[str, tuple[str, str, list[tuple[str, str, str, list[str]]]]] = {
    "146": (
        "六步流程（146 机制）",
        "确定议题—公示告知—开展协商—组织实施—公示结果—反馈情况",
        [
            ("set", "确定议题", "党组织牵头，收集居民提议和诉求，确定议题和涉及的利益相关方", []),
            ("publish", "公示告知", "在阳光居务公示议题，公示期内受理并答复异议", [TOPIC_NOTICE]),
            (
                "deliberate",
                "开展协商",
                "按 1+6+X 召开议事会，记录签到和纪要；需要时组织居民或业主表决",
                [MEETING_MINUTES, DECISION],
            ),
            ("implement", "组织实施", "把决议落实为任务或诉求派单，跟踪到办结", [TASKS_DONE]),
            ("publish_result", "公示结果", "公示协商结果和实施情况", [RESULT_NOTICE]),
            ("report_back", "反馈情况", "向居民反馈办理情况，居民评议", [FEEDBACK]),
        ],
    ),
    "5yi": (
        "五议工作法",
        "社区党组织提议—两委商议—多方审议—会议决议—群众评议",
        [
            ("propose", "党组织提议", "社区党组织提出议题", []),
            ("consult", "两委商议", "社区两委会议商议，形成初步方案", [MEETING_MINUTES]),
            ("review", "多方审议", "公示方案，召集 1+6+X 各方审议", [TOPIC_NOTICE, MEETING_MINUTES]),
            ("resolve", "会议决议", "居民（代表）会议或表决形成决议", [MEETING_MINUTES, DECISION]),
            ("evaluate", "群众评议", "实施、公示结果、反馈，群众评议", [TASKS_DONE, RESULT_NOTICE, FEEDBACK]),
        ],
    ),
}


def ensure_templates(apps=None) -> None:
    """Create the templates and steps that are missing. ``apps`` is the migration state's registry, if any."""
    if apps is None:
        from django.apps import apps as registry

        apps = registry
    ProcessTemplate = apps.get_model("deliberation", "ProcessTemplate")
    StepDefinition = apps.get_model("deliberation", "StepDefinition")
    for code, (name, description, steps) in TEMPLATES.items():
        template, _ = ProcessTemplate.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        for order, (step_code, step_name, guidance, requires) in enumerate(steps, start=1):
            StepDefinition.objects.get_or_create(
                template=template,
                code=step_code,
                defaults={"order": order, "name": step_name, "guidance": guidance, "requires": requires},
            )
