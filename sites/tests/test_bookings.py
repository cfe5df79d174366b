"""The booking loop: a resident asks, staff confirm or decline, the resident comes or not; a room is never held
twice at once; the 代办/预约 ledger knows a 延时 service from the site's hours."""

from __future__ import annotations

import pytest

from linli.errors import PermissionDenied, TransitionError, ValidationError
from sites import ledger, services
from sites.models import Booking, BookingEvent, ServiceRecord
from sites.tests.conftest import at


def book(world, room, start=(3, 10), end=(3, 11), user=None, attendees=12):
    return services.booking_request(
        user=user or world.resident,
        site_id=room.site_id,
        kind=Booking.Kind.ROOM,
        room_id=room.pk,
        starts_at=at(*start),
        ends_at=at(*end),
        purpose="楼栋议事会",
        attendees=attendees,
    )


def test_resident_books_staff_confirms_resident_attends(world, room):
    booking = book(world, room)
    assert booking.status == Booking.Status.REQUESTED and booking.person == world.resident_person
    with pytest.raises(PermissionDenied):  # a resident does not confirm their own booking
        services.booking_confirm(user=world.resident, booking_id=booking.pk)
    services.booking_confirm(user=world.community, booking_id=booking.pk)
    with pytest.raises(TransitionError):  # confirmed once
        services.booking_confirm(user=world.community, booking_id=booking.pk)
    done = services.booking_attend(user=world.community, booking_id=booking.pk)
    assert done.status == Booking.Status.ATTENDED
    assert list(BookingEvent.objects.filter(booking=booking).values_list("action", "to_status")) == [
        ("request", "requested"),
        ("confirm", "confirmed"),
        ("attend", "attended"),
    ]


def test_a_room_is_not_booked_twice_for_overlapping_hours(world, room):
    book(world, room)
    with pytest.raises(TransitionError) as refused:
        book(world, room, start=(3, 10, 30), end=(3, 12), user=world.buildinghead)
    assert "已被预约" in refused.value.message
    other = room.site.rooms.get(name="书画室")
    services.booking_request(  # another room, same hour: fine
        user=world.buildinghead, site_id=room.site_id, kind="room", room_id=other.pk,
        starts_at=at(3, 10, 30), ends_at=at(3, 12), purpose="书法课", attendees=8,
    )  # fmt: skip
    back_to_back = book(world, room, start=(3, 11), end=(3, 12), user=world.buildinghead)
    assert back_to_back.status == Booking.Status.REQUESTED


def test_a_declined_or_cancelled_booking_frees_the_room(world, room):
    first = book(world, room)
    with pytest.raises(ValidationError):  # declining needs a reason
        services.booking_decline(user=world.community, booking_id=first.pk, reason=" ")
    services.booking_decline(user=world.community, booking_id=first.pk, reason="当天有社区大会")
    second = book(world, room, user=world.buildinghead)
    services.booking_cancel(user=world.buildinghead, booking_id=second.pk)
    assert book(world, room).status == Booking.Status.REQUESTED


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ((3, 7), (3, 8), "starts_at"),  # before the site opens
        ((3, 17), (3, 19), "starts_at"),  # across the gap between regular and 延时 hours
        ((1, 10), (1, 11), "starts_at"),  # in the past
        ((3, 11), (3, 10), "ends_at"),
    ],
)
def test_bookings_outside_the_hours_are_refused_with_the_field(world, room, start, end, field):
    with pytest.raises(ValidationError) as refused:
        book(world, room, start=start, end=end)
    assert field in refused.value.message_dict


def test_more_people_than_the_room_holds_is_refused(world, room):
    small = room.site.rooms.get(name="书画室")
    with pytest.raises(ValidationError) as refused:
        book(world, small, attendees=13)
    assert "最多容纳 12 人" in str(refused.value)


def test_a_resident_of_another_community_cannot_book_here(world, room):
    with pytest.raises(ValidationError):  # not even visible to them
        book(world, room, user=world.community2)


def test_an_attended_appointment_is_a_ledger_entry_and_evenings_are_extended(world, site):
    booking = services.booking_request(
        user=world.resident, site_id=site.pk, kind="appointment", service="老年证办理",
        starts_at=at(3, 18, 30), ends_at=at(3, 19), purpose="给母亲办老年证",
    )  # fmt: skip
    services.booking_confirm(user=world.community, booking_id=booking.pk)
    services.booking_attend(user=world.community, booking_id=booking.pk)
    record = ServiceRecord.objects.get(booking=booking)
    assert (record.kind, record.status, record.minutes, record.extended) == ("appointment", "done", 30, True)


def test_errands_are_recorded_and_closed_with_their_minutes(world, site, clock_at):
    clock_at(at(5, 10))  # a Saturday: 延时 whatever the time
    errand = ledger.record_create(
        user=world.community, site_id=site.pk, kind="errand", service="社保代办", person=world.neighbour_g1b
    )
    assert errand.extended and errand.status == ServiceRecord.Status.OPEN
    with pytest.raises(PermissionDenied):
        ledger.record_complete(user=world.community2, record_id=errand.pk, minutes=30)
    ledger.record_complete(user=world.community, record_id=errand.pk, minutes=30)
    with pytest.raises(TransitionError):
        ledger.record_revoke(user=world.community, record_id=errand.pk, reason="重复")
    clock_at(at(7, 10))  # Monday, regular hours
    regular = ledger.record_create(
        user=world.community, site_id=site.pk, kind="errand", service="社保代办", done=True
    )
    assert not regular.extended


def test_is_extended_follows_the_sites_hours(site):
    assert not services.is_extended(site, at(2, 10))  # Wednesday morning: regular
    assert services.is_extended(site, at(2, 19))  # Wednesday evening: a 延时 period
    assert services.is_extended(site, at(2, 22))  # after every period
    assert services.is_extended(site, at(6, 10))  # Sunday


def test_only_the_communitys_staff_register_sites(world, clock_at):
    with pytest.raises(PermissionDenied):
        services.site_create(user=world.community2, community=world.c1, kind="station", name="x", address="y")
    with pytest.raises(PermissionDenied):
        services.site_create(user=world.resident, community=world.c1, kind="station", name="x", address="y")
    with pytest.raises(ValidationError):
        services.site_create(
            user=world.community, community=world.c1, kind="station", name="站", address="路",
            hours=[(0, at(2, 9).time(), at(2, 8).time(), False)],
        )  # fmt: skip


def test_nearest_sites_by_home_grid_or_browser_position(world, site):
    from access.scope import Scope
    from sites import selectors

    far = services.site_create(
        user=world.community, community=world.c1, kind="station", name="远处的站", address="远路",
        lat=28.30, lng=113.10, hours=[(2, at(2, 8).time(), at(2, 18).time(), False)],
    )  # fmt: skip
    world.g1a.shape = {"type": "Polygon", "coordinates": [[[112.94, 28.20], [112.96, 28.20], [112.96, 28.22], [112.94, 28.22], [112.94, 28.20]]]}  # fmt: skip
    world.g1a.save(update_fields=["shape"])
    scope = Scope.of(world.resident)
    found = selectors.nearest(scope, at(2, 10))
    assert [f.site for f in found] == [site, far] and found[0].km is not None and found[0].km < 1
    by_browser = selectors.nearest(scope, at(2, 10), position=(28.30, 113.10))
    assert [f.site for f in by_browser] == [far, site]
