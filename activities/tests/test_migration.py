"""The move of volunteer activities (needs.VolunteerActivity) into activities: every participant keeps their
minutes, and the team's figures read the same before and after."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("needs", "0002_service_types"), ("activities", "0002_initial")]
AFTER = [("needs", "0003_volunteer_activities_moved"), ("activities", "0004_team_related_name")]


@pytest.mark.django_db(transaction=True)
def test_volunteer_activities_become_activities_with_their_hours(settings):
    from linli.testing import build_world

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    w = build_world()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Team = old.get_model("needs", "VolunteerTeam")
    OldActivity = old.get_model("needs", "VolunteerActivity")
    team = Team.objects.create(
        community_id=w.c1.pk, name="党员突击队", kind="party_commando", leader_id=w.partymember_person.pk,
        created_at="2026-10-01T09:00:00+08:00",
    )  # fmt: skip
    team.members.add(w.partymember_person.pk, w.resident_person.pk)
    first = OldActivity.objects.create(
        team=team, title="清理楼道", held_on=date(2026, 11, 1), minutes_each=120
    )
    first.participants.add(w.partymember_person.pk, w.resident_person.pk)
    second = OldActivity.objects.create(
        team=team, title="助老送餐", held_on=date(2026, 11, 8), minutes_each=90
    )
    second.participants.add(w.partymember_person.pk)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    # and the rest of the schema back (migrating needs back took the apps that depend on it with it)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from activities.models import Activity
    from needs.models import VolunteerTeam
    from needs.selectors import provider_record, team_minutes

    moved = Activity.objects.filter(kind="volunteer").order_by("starts_at")
    assert [(a.title, a.minutes, a.status, a.team_id) for a in moved] == [
        ("清理楼道", 120, "held", team.pk),
        ("助老送餐", 90, "held", team.pk),
    ]
    new_team = VolunteerTeam.objects.get(pk=team.pk)
    assert team_minutes(new_team) == [(w.partymember_person.name, 2, 210), (w.resident_person.name, 1, 120)]
    assert provider_record(person_id=w.partymember_person.pk)["volunteer_minutes"] == 210
