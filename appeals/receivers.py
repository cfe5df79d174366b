"""Appeals follow their place when the area tree changes (``areas.signals.area_moved``).

An appeal keeps its area's path (for scope and figures) and its community. When a node moves, the appeals
under it take the new path; when a grid moves to another community, its appeals move with it, so the new
community's staff see them and the old community's no longer do. Runs in the move's transaction.
"""

from __future__ import annotations

from django.dispatch import receiver

from areas.models import Area
from areas.signals import area_moved, grid_communities, replace_prefix


@receiver(area_moved, dispatch_uid="appeals.follow_area")
def follow_area(sender, *, area: Area, old_path: str, new_path: str, **kwargs) -> None:
    from appeals.models import Appeal

    Appeal.objects.filter(area_path__startswith=old_path).update(
        area_path=replace_prefix("area_path", old_path, new_path)
    )
    for grid_id, community_id in grid_communities(new_path).items():
        Appeal.objects.filter(grid_id=grid_id).exclude(community_id=community_id).update(
            community_id=community_id
        )
