"""Residents follow their homes when a grid moves to another community (``areas.signals.area_moved``)."""

from __future__ import annotations

from django.dispatch import receiver

from areas.models import Area
from areas.signals import area_moved, grid_communities


@receiver(area_moved, dispatch_uid="people.follow_homes")
def follow_homes(sender, *, area: Area, old_path: str, new_path: str, **kwargs) -> None:
    from people.models import Person

    for grid_id, community_id in grid_communities(new_path).items():
        Person.objects.filter(households__building__grid_id=grid_id).exclude(
            community_id=community_id
        ).update(community_id=community_id)
