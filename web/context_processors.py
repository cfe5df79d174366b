from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.urls import get_script_prefix, reverse

from access.models import Role
from access.scope import AREA_STAFF_ROLES, Scope

# Where several menu items share a URL's first segment, the item its other pages belong to (a resident's
# /appeals/<id>/ is one of 我的诉求).
SEGMENT_HOME = {"appeals": "appeal-mine"}


def nav_section(key: str) -> Callable:
    """Decorator for a view whose pages belong to the menu item ``key`` though their URL lies elsewhere
    (the notice board's management page under /community/ belongs to 议事)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            request.nav_section = key
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _segment(path: str) -> str:
    return path.strip("/").split("/", 1)[0]


def current_item(request, items: list[tuple[str, str, str]]) -> str:
    """The key of the menu item the page belongs to: the view's own ``nav_section``, else the item named by the
    URL name, else the item whose URL is the longest prefix of the path, else the one sharing its first segment
    (so /deliberation/topics/5/, /deliberation/meetings/2/ and /deliberation/votes/3/ are all 议事)."""
    keys = [key for key, _, _ in items]
    section = getattr(request, "nav_section", "")
    if section in keys:
        return section
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in keys:
        return match.url_name
    prefix = get_script_prefix()
    local = [(key, url[len(prefix) - 1 :] if url.startswith(prefix) else url) for key, _, url in items]
    path = request.path_info
    prefixed = [(len(url), key) for key, url in local if url != "/" and path.startswith(url)]
    if prefixed:
        return max(prefixed)[1]
    segment = _segment(path)
    sharing = [key for key, url in local if segment and url != "/" and _segment(url) == segment]
    if len(sharing) > 1 and SEGMENT_HOME.get(segment) in sharing:
        return SEGMENT_HOME[segment]
    return sharing[0] if len(sharing) == 1 else ""


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
    items.append(("hub", "社区事务", reverse("hub")))
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
    elif scope.unit_ids:  # unit staff: their own unit's figures and rank
        items.append(("evaluation", "统计", reverse("evaluation-index")))
    if scope.is_admin or scope.roles & {Role.COMMUNITY_STAFF, Role.SUBDISTRICT_STAFF}:
        items.append(("spreadsheets", "导入导出", reverse("spreadsheet-home")))
    if scope.is_admin and user.is_staff:  # the admin site is the administrator's (access.admin_site)
        items.append(("admin", "后台", reverse("admin:index")))
    return {"nav": items, "nav_current": current_item(request, items), "scope": scope}
