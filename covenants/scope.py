"""Who may see and do what with 居民公约, built on ``access.scope.Scope``.

- Everyone who works in or lives in the community sees its covenants and their published versions (in force,
  superseded) and those being deliberated; drafts and versions that failed are shown to the community's staff
  and the area staff above it only.
- Community staff (and the administrator) draft, put to deliberation, adopt, publish and revise.
"""

from __future__ import annotations

from django.db.models import QuerySet

from access.scope import Scope
from campaigns.scope import community_ids
from covenants.models import Covenant, Version
from notices.selectors import runs_community, works_in_community

PUBLISHED = (Version.Status.IN_FORCE, Version.Status.SUPERSEDED)
SEEN_BY_RESIDENTS = (*PUBLISHED, Version.Status.DELIBERATING, Version.Status.ADOPTED)


def visible_covenants(scope: Scope) -> QuerySet[Covenant]:
    if scope.is_admin:
        return Covenant.objects.all()
    return Covenant.objects.filter(community_id__in=community_ids(scope))


def may_run(scope: Scope, covenant: Covenant) -> bool:
    return runs_community(scope, covenant.community)


def visible_versions(scope: Scope, covenant: Covenant) -> QuerySet[Version]:
    versions = covenant.versions.all()
    if scope.is_admin or works_in_community(scope, covenant.community):
        return versions
    return versions.filter(status__in=SEEN_BY_RESIDENTS)
