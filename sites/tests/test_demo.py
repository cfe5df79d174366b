"""The demo: sites with rooms and hours, a year of bookings and services, a year of activities with attendance,
all made through the services, in the demo community; loading twice adds nothing."""

from __future__ import annotations

import pytest

from activities.models import Activity, Attendance
from sites.models import Booking, BookingEvent, ServiceRecord, ServiceSite


@pytest.mark.django_db
def test_demo_year_of_sites_and_activities(settings):
    from activities.demo import load_demo_activities
    from demo.loader import load_demo_district
    from sites.demo import load_demo_sites

    settings.DEMO_MODE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo = load_demo_district()
    assert load_demo_sites(demo) > 100
    assert load_demo_activities(demo) > 80
    community = demo.community
    center = ServiceSite.objects.get(community=community, kind="center")
    assert center.rooms.count() == 3 and center.hours.filter(extended=True).exists()
    assert Booking.objects.filter(site=center, status="attended").count() > 50
    assert (
        BookingEvent.objects.filter(booking__site=center).count()
        >= Booking.objects.filter(site=center).count()
    )
    done = ServiceRecord.objects.filter(site=center, status="done")
    assert done.filter(kind="errand").exists() and done.filter(extended=True).exists()
    assert done.filter(extended=False).exists()
    held = Activity.objects.filter(community=community, status="held")
    assert set(held.values_list("kind", flat=True)) >= {
        "moral",
        "party_lesson",
        "law",
        "festival",
        "volunteer",
    }
    assert Attendance.objects.filter(activity__in=held, minutes__gt=0).exists()  # party members' hours
    assert Activity.objects.filter(community=community, status="published").count() == 3
    assert load_demo_sites(demo) == 0 and load_demo_activities(demo) == 0
