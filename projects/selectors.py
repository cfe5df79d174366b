from __future__ import annotations

from django.db.models import Q, QuerySet

from access.scope import Scope
from needs.selectors import _communities_q
from projects.models import Project
from projects.services import co_building_units


def visible_projects(scope: Scope) -> QuerySet[Project]:
    """Staff see their communities' ledgers; unit staff also see those of communities they co-build with."""
    condition = _communities_q(scope)
    if scope.unit_ids:
        from areas.models import Area

        communities = [
            c.pk
            for c in Area.objects.filter(kind=Area.Kind.COMMUNITY)
            if co_building_units(c).filter(pk__in=scope.unit_ids).exists()
        ]
        condition |= Q(community_id__in=communities) | Q(claimed_by_id__in=scope.unit_ids)
    return Project.objects.filter(condition).select_related("community", "claimed_by", "owner")
