"""居民公约 on pages it does not own: the version in force and its history on the community's public page, and its
card on 社区事务."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from access.scope import Scope
from areas.models import Area
from covenants.models import Covenant, Version
from covenants.scope import PUBLISHED, visible_covenants
from notices.public import PublicSection


def covenant_section(community: Area, now: datetime) -> PublicSection | None:
    """Each covenant of the community with a published version: the text in force, then every published version."""
    rows = []
    for covenant in Covenant.objects.filter(community=community).order_by("compound", "id"):
        published = list(covenant.versions.filter(status__in=PUBLISHED).order_by("-number"))
        if not published:
            continue
        current = next((v for v in published if v.status == Version.Status.IN_FORCE), None)
        deliberating = covenant.versions.filter(status=Version.Status.DELIBERATING).first()
        rows.append(
            {"covenant": covenant, "current": current, "history": published, "deliberating": deliberating}
        )
    if not rows:
        return None
    return PublicSection(
        key="covenants", title="居民公约", template="covenants/section_public.html", context={"rows": rows}
    )


def hub_card(request, scope: Scope):
    from web.hub import HubLink

    if not scope.is_staff_like and not visible_covenants(scope).exists():
        return None
    return HubLink(
        title="居民公约",
        url=reverse("covenants-list"),
        description="社区和小区的居民公约：起草、六步协商、居民表决、公布施行、修订和历史版本",
    )


PUBLIC = [covenant_section]
HUB = [hub_card]
