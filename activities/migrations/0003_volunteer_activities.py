"""Volunteer activities (needs.VolunteerActivity) become activities of kind 志愿服务, with each participant's
attendance checked in and credited with the activity's minutes, so no volunteer loses an hour."""

import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import migrations

CST = ZoneInfo("Asia/Shanghai")


def forward(apps, schema_editor):
    VolunteerActivity = apps.get_model("needs", "VolunteerActivity")
    Activity = apps.get_model("activities", "Activity")
    Attendance = apps.get_model("activities", "Attendance")
    for old in VolunteerActivity.objects.select_related("team").order_by("pk"):
        starts = datetime.combine(old.held_on, time(9), tzinfo=CST)
        activity = Activity.objects.create(
            community_id=old.team.community_id,
            area_id=old.team.community_id,
            kind="volunteer",
            title=old.title,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=old.minutes_each),
            place=old.place,
            organiser=old.team.name,
            team_id=old.team_id,
            status="held",
            checkin_key=secrets.token_hex(16),
            created_by_id=old.recorded_by_id,
            created_at=starts,
        )
        Attendance.objects.bulk_create(
            Attendance(
                activity=activity,
                person_id=person_id,
                via="record",
                signed_up_at=starts,
                checked_in_at=starts,
                minutes=old.minutes_each,
            )
            for person_id in old.participants.values_list("pk", flat=True)
        )


def backward(apps, schema_editor):
    VolunteerActivity = apps.get_model("needs", "VolunteerActivity")
    Activity = apps.get_model("activities", "Activity")
    for activity in Activity.objects.filter(kind="volunteer", team__isnull=False):
        old = VolunteerActivity.objects.create(
            team_id=activity.team_id,
            title=activity.title,
            held_on=activity.starts_at.astimezone(CST).date(),
            place=activity.place,
            minutes_each=max(1, int((activity.ends_at - activity.starts_at).total_seconds() // 60)),
            recorded_by_id=activity.created_by_id,
        )
        old.participants.set(
            activity.attendances.filter(checked_in_at__isnull=False).values_list("person_id", flat=True)
        )
        activity.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_initial"),
        ("needs", "0002_service_types"),
    ]

    operations = [migrations.RunPython(forward, backward)]
