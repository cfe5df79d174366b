"""Who may see and do what in 评选, built on ``access.scope.Scope`` and the notice board's community questions.

- Everyone who works in or lives in the community sees its campaigns (area staff above, at or below it; its
  residents, party members and building heads); the panel members see the campaigns they review.
- Residents of the community, its grid workers and its staff nominate (``Nomination.Source`` says which).
- Community staff (and the administrator) run a campaign: create it, close nominations, publish the 公示,
  exclude a nominee on an upheld objection, announce it, cancel it.
- Only the campaign's panel members score.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from access.models import Role
from access.scope import AREA_STAFF_ROLES, Scope, any_of
from areas.models import Area
from campaigns.models import Campaign, Nomination
from notices.selectors import home_community_ids, lives_in, runs_community, works_in_community


def community_ids(scope: Scope) -> set[int]:
    """The communities the person works in (above, at or below) or lives in."""
    ids = set(home_community_ids(scope))
    nodes = scope.nodes(AREA_STAFF_ROLES)
    for n in nodes:
        ids.update(n.ancestor_ids())
    below = any_of([Q(path__startswith=n.path) for n in nodes])
    ids.update(Area.objects.filter(below, kind=Area.Kind.COMMUNITY).values_list("pk", flat=True))
    return ids


def visible_campaigns(scope: Scope) -> QuerySet[Campaign]:
    if scope.is_admin:
        return Campaign.objects.all()
    user_pk = getattr(scope.user, "pk", None)
    return Campaign.objects.filter(Q(community_id__in=community_ids(scope)) | Q(panel__pk=user_pk)).distinct()


def may_run(scope: Scope, campaign: Campaign) -> bool:
    return runs_community(scope, campaign.community)


def nominator_source(scope: Scope, community: Area) -> str | None:
    """How this person nominates in the community (staff, grid worker, resident), or None if they may not."""
    if runs_community(scope, community):
        return Nomination.Source.STAFF
    grid_nodes = scope.nodes({Role.GRID_WORKER, Role.GRID_LEADER})
    if any(n.path.startswith(community.path) for n in grid_nodes):
        return Nomination.Source.GRID_WORKER
    if works_in_community(scope, community) and scope.nodes({Role.SUBDISTRICT_STAFF}):
        return Nomination.Source.STAFF
    if lives_in(scope, community):
        return Nomination.Source.RESIDENT
    return None


def is_panel_member(scope: Scope, campaign: Campaign) -> bool:
    user_pk = getattr(scope.user, "pk", None)
    return user_pk is not None and campaign.panel.filter(pk=user_pk).exists()
