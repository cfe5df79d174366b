"""Residents follow their homes when a grid moves to another community (``areas.signals.area_moved``); 长辈模式
turned on before signing in carries into the account (``user_logged_in``)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from areas.models import Area
from areas.signals import area_moved, grid_communities
from people.context_processors import COOKIE
from people.services import person_set_elder_mode


@receiver(area_moved, dispatch_uid="people.follow_homes")
def follow_homes(sender, *, area: Area, old_path: str, new_path: str, **kwargs) -> None:
    from people.models import Person

    for grid_id, community_id in grid_communities(new_path).items():
        Person.objects.filter(households__building__grid_id=grid_id).exclude(
            community_id=community_id
        ).update(community_id=community_id)


@receiver(user_logged_in, dispatch_uid="people.elder_mode_carried_in")
def carry_elder_mode_in(sender, *, request, user, **kwargs) -> None:
    """A resident who turned 长辈模式 on at the login page (the visitor's cookie) stays in it once signed in: the
    account takes it on, recorded like any other change. Turning it off is never implied; it is a tap of its own."""
    if request is None or request.COOKIES.get(COOKIE) != "1":
        return
    person = getattr(user, "person", None)
    if person is not None and not person.elder_mode:
        person_set_elder_mode(actor=user, person=person, on=True)
