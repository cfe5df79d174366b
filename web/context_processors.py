from __future__ import annotations

from django.urls import reverse

from access.scope import Scope


def navigation(request):
    """The menu a user sees follows from their roles, like everything else."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    scope = Scope.of(user)
    items = [("home", "首页", reverse("home"))]
    if scope.is_staff_like:
        items += [
            ("areas", "区域", reverse("area-list")),
            ("people", "人员", reverse("person-list")),
            ("units", "单位", reverse("unit-list")),
        ]
    if user.is_staff:
        items.append(("admin", "后台", reverse("admin:index")))
    return {"nav": items, "scope": scope}
