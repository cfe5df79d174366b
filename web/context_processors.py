from __future__ import annotations

from django.urls import reverse

from access.models import Role
from access.scope import AREA_STAFF_ROLES, Scope


def navigation(request):
    """The menu a user sees follows from their roles, like everything else."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    scope = Scope.of(user)
    items = [("home", "首页", reverse("home"))]
    if scope.is_staff_like:
        items.append(("appeal", "诉求", reverse("appeal-queue")))
        if scope.is_admin or scope.roles & {Role.COMMUNITY_STAFF, Role.SUBDISTRICT_STAFF}:
            items.append(("needs", "三库联动", reverse("needs-hub")))
        if scope.is_admin or scope.unit_ids or scope.roles & {Role.COMMUNITY_STAFF, Role.SUBDISTRICT_STAFF}:
            items.append(("projects", "项目库", reverse("projects-ledger")))
    else:
        items += [
            ("appeal-new", "我要反映", reverse("appeal-new")),
            ("appeal-mine", "我的诉求", reverse("appeal-mine")),
        ]
    items.append(
        ("deliberation", "议事" if scope.is_staff_like else "议事·表决", reverse("deliberation-home"))
    )
    unread = user.notifications.filter(read_at__isnull=True).count()
    items.append(("inbox", f"消息（{unread}）" if unread else "消息", reverse("inbox")))
    if scope.is_staff_like:
        items += [
            ("areas", "区域", reverse("area-list")),
            ("person", "人员", reverse("person-list")),
            ("units", "单位", reverse("unit-list")),
        ]
    if scope.is_admin or scope.nodes(AREA_STAFF_ROLES):
        items.append(("evaluation", "统计", reverse("evaluation-index")))
        items.append(("triage-hotspots", "热点", reverse("triage-hotspots")))
    if scope.is_admin or scope.roles & {Role.COMMUNITY_STAFF, Role.SUBDISTRICT_STAFF}:
        items.append(("spreadsheets", "导入导出", reverse("spreadsheet-home")))
    if user.is_staff:
        items.append(("admin", "后台", reverse("admin:index")))
    return {"nav": items, "scope": scope}
