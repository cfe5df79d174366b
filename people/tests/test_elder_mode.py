"""长辈模式: a resident turns it on once; it is kept for the account (next login, another phone) and audited;
a visitor keeps it in a cookie."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from audit.models import AuditEvent
from people.context_processors import COOKIE
from people.models import Person
from people.services import person_set_elder_mode

ELDER_HTML = '<html lang="zh-hans" class="elder">'


def _elder_rows(person: Person):
    return AuditEvent.objects.filter(
        action="elder_mode", object_type="people.person", object_id=str(person.pk)
    )


def test_a_resident_turns_it_on_and_it_stays_on_at_the_next_login_on_another_phone(world, client_for):
    # given the resident on their phone, in the normal pages
    phone = client_for("resident")
    assert "退出长辈模式" not in phone.get("/").content.decode()
    # when they tap 长辈模式 in the header of their appeals page
    response = phone.post("/elder-mode/", {"on": "1", "next": "/appeals/mine/"})
    # then they are back on that page, in the mode, told how to leave it
    assert response.status_code == 302 and response.url == "/appeals/mine/"
    page = phone.get("/appeals/mine/").content.decode()
    assert ELDER_HTML in page and "已开启长辈模式" in page and "退出长辈模式" in page
    # and the account holds it: a fresh login on another device opens in the mode
    world.resident_person.refresh_from_db()
    assert world.resident_person.elder_mode is True
    tablet = Client()
    assert tablet.post("/login/", {"username": "resident", "password": world.password}).status_code == 302
    assert ELDER_HTML in tablet.get("/").content.decode()
    # and the change is on the audit trail, by the resident
    row = _elder_rows(world.resident_person).get()
    assert row.actor == world.resident and row.data == {"on": True}
    assert "开启长辈模式" in row.summary


def test_turning_it_off_is_recorded_and_a_second_tap_changes_nothing(world, client_for):
    # given a resident in 长辈模式
    person_set_elder_mode(actor=world.resident, person=world.resident_person, on=True)
    phone = client_for("resident")
    # when a double tap sends "on" again, then off
    phone.post("/elder-mode/", {"on": "1", "next": "/"})
    phone.post("/elder-mode/", {"on": "0", "next": "/"})
    # then the mode is off, and two rows tell the story (the repeated "on" wrote none)
    world.resident_person.refresh_from_db()
    assert world.resident_person.elder_mode is False
    assert [r.data["on"] for r in _elder_rows(world.resident_person).order_by("id")] == [True, False]
    assert 'class="elder"' not in phone.get("/").content.decode()


def test_only_the_person_themself_may_set_their_mode(world):
    # given a grid worker who looks after the resident's grid
    # when the grid worker tries to switch the resident's mode
    with pytest.raises(PermissionDenied):
        person_set_elder_mode(actor=world.gridworker, person=world.resident_person, on=True)
    # then nothing changed and nothing was recorded
    world.resident_person.refresh_from_db()
    assert world.resident_person.elder_mode is False
    assert not _elder_rows(world.resident_person).exists()


def test_a_visitor_keeps_it_in_a_cookie_until_turning_it_off(db):
    # given a visitor on the login page
    visitor = Client()
    assert 'class="elder"' not in visitor.get("/login/").content.decode()
    # when they turn the mode on there
    response = visitor.post("/elder-mode/", {"on": "1", "next": "/login/"})
    # then a long-lived cookie keeps it, and the login page is in the mode
    assert response.url == "/login/"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "1" and cookie["httponly"] and int(cookie["max-age"]) > 365 * 24 * 3600
    assert ELDER_HTML in visitor.get("/login/").content.decode()
    # when they turn it off, then the cookie is gone and the page is plain again
    visitor.post("/elder-mode/", {"on": "0", "next": "/login/"})
    assert 'class="elder"' not in visitor.get("/login/").content.decode()


def test_the_account_wins_over_the_cookie_once_signed_in(world, client_for):
    # given a device with the visitor cookie on, and a resident whose account has the mode off
    phone = client_for("resident")
    phone.cookies[COOKIE] = "1"
    # when the resident opens their home page, then it follows the account
    assert 'class="elder"' not in phone.get("/").content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", ""])
def test_the_switch_only_goes_back_to_a_page_of_this_site(db, target):
    # when the switch is posted with a foreign or empty next, then it lands on the home page
    response = Client().post("/elder-mode/", {"on": "1", "next": target})
    assert response.status_code == 302 and response.url == "/"


def test_the_switch_is_a_post_only(db):
    # when someone opens the switch's address, then it refuses (a link must not change the mode)
    assert Client().get("/elder-mode/").status_code == 405


def test_turned_on_at_the_login_page_it_carries_into_the_account(world):
    # given a resident who turned the mode on at the login page of her own phone
    phone = Client()
    phone.post("/elder-mode/", {"on": "1", "next": "/login/"})
    # when she signs in
    response = phone.post("/login/", {"username": "resident", "password": world.password})
    assert response.status_code == 302
    # then her pages stay in the mode, and her account keeps it (recorded) for her other devices
    assert ELDER_HTML in phone.get("/").content.decode()
    world.resident_person.refresh_from_db()
    assert world.resident_person.elder_mode is True
    assert _elder_rows(world.resident_person).get().actor == world.resident


def test_signing_in_without_the_cookie_leaves_the_account_as_it_was(world):
    # given a resident in 长辈模式 on a phone that never turned it on
    person_set_elder_mode(actor=world.resident, person=world.resident_person, on=True)
    phone = Client()
    # when she signs in there, then the account's mode holds (signing in never turns it off)
    phone.post("/login/", {"username": "resident", "password": world.password})
    assert ELDER_HTML in phone.get("/").content.decode()
    assert _elder_rows(world.resident_person).count() == 1


def test_the_switch_is_on_residents_and_visitors_pages_and_staff_only_see_it_to_leave(world, client_for):
    # given a resident, a visitor and a community worker
    switch = 'class="elder-toggle">长辈模式<'
    leave = 'class="elder-toggle">退出长辈模式<'
    # then the resident and the visitor have the switch in the header, the worker's crowded header does not
    assert switch in client_for("resident").get("/").content.decode()
    assert switch in Client().get("/login/").content.decode()
    staff = client_for("community")
    assert "elder-toggle" not in staff.get("/").content.decode()
    # when the worker's account is in the mode anyway (turned on at the login page of a shared computer)
    person_set_elder_mode(actor=world.community, person=world.community_person, on=True)
    # then the header offers the way out
    assert leave in staff.get("/").content.decode()
