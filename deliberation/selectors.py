"""Reads of topics, meetings and votes, through the user's scope.

Staff working at, above or below a community read all its topics; residents (and party members, building heads)
of a community read its published topics and their own proposals; anybody else sees none (404).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from access.scope import AREA_STAFF_ROLES, Scope, any_of
from areas.models import Area, Building
from deliberation.electorate import voter_households
from deliberation.models import Ballot, Meeting, Topic, Vote
from notices.selectors import home_community_ids, runs_community


def visible_topics(scope: Scope) -> QuerySet[Topic]:
    qs = Topic.objects.select_related("community", "current_step", "template", "building")
    if scope.is_admin:
        return qs
    conditions = []
    for node in scope.nodes(AREA_STAFF_ROLES):
        conditions.append(Q(community__path__startswith=node.path))
        conditions.append(Q(community_id__in=node.ancestor_ids()))
    homes = home_community_ids(scope)
    if homes:
        conditions.append(Q(community_id__in=homes, published_at__isnull=False))
    person = scope.person
    if person is not None:
        conditions.append(Q(proposed_by=person))
    return qs.filter(any_of(conditions))


def is_runner(scope: Scope, topic: Topic) -> bool:
    return runs_community(scope, topic.community)


def visible_meetings(scope: Scope) -> QuerySet[Meeting]:
    return Meeting.objects.filter(topic__in=visible_topics(scope)).select_related("topic__community")


def visible_votes(scope: Scope) -> QuerySet[Vote]:
    return Vote.objects.filter(topic__in=visible_topics(scope)).select_related("topic__community")


def my_ballot(scope: Scope, vote: Vote) -> Ballot | None:
    """The ballot already counted for the user's flat (or for the user), whoever cast it."""
    person = scope.person
    if person is None:
        return None
    households = voter_households(vote, person)
    keys = [f"h{h.pk}" for h in households] + [f"p{person.pk}"]
    return vote.ballots.filter(voter_key__in=keys).first()


def open_votes_for(scope: Scope, now: datetime) -> list[Vote]:
    """Votes the user may take part in now (for the resident's 议事·表决 page)."""
    person = scope.person
    if person is None:
        return []
    votes = visible_votes(scope).filter(status=Vote.Status.OPEN, opens_at__lte=now, closes_at__gt=now)
    return [v for v in votes if voter_households(v, person)]


def my_proposals(scope: Scope) -> QuerySet[Topic]:
    """The topics the user proposed (``我的提议``), whatever became of them."""
    person = scope.person
    if person is None:
        return Topic.objects.none()
    return (
        Topic.objects.filter(proposed_by=person, source=Topic.Source.RESIDENT)
        .select_related("community", "current_step", "building")
        .order_by("-created_at", "-id")
    )


def proposable_communities(scope: Scope) -> QuerySet[Area]:
    """Where the user may propose a topic: the communities they live in or are registered with."""
    return Area.objects.filter(pk__in=home_community_ids(scope)).order_by("path")


def own_buildings(scope: Scope) -> QuerySet[Building]:
    """The buildings a proposal may name: where the user lives, or the building they head."""
    mine = Q(pk__in=scope.building_ids)
    if scope.person is not None:
        mine |= Q(households__memberships__person=scope.person)
    return Building.objects.filter(pk__in=Building.objects.filter(mine).values("pk")).order_by("code")


def topic_people(scope: Scope, topic: Topic) -> QuerySet:
    """Who a topic's forms offer: the community's people, and the staff member themself (the convenor is often the
    one filling the form)."""
    me = scope.person
    mine = Q(pk=me.pk) if me is not None else Q(pk__in=[])
    return scope.persons().filter(Q(community__path__startswith=topic.community.path) | mine).order_by("name")
