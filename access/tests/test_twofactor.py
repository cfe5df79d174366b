"""Two-factor sign-in (access/twofactor.py, access/gates.py): TOTP per RFC 6238, enrolment, the code after the
password, recovery codes once each, required for administrators, optional for other staff."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from access import twofactor
from access.twofactor_models import RecoveryCode, TwoFactorDevice
from audit.models import AuditEvent
from linli import clock

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.LINLI_TWOFACTOR_ADMINS = True  # as in production (the demo turns it off)
    with clock.travel(NOW):
        yield


def code_now(user, offset_steps: int = 0) -> str:
    secret = TwoFactorDevice.objects.get(user=user).secret
    return twofactor.code_at(secret, twofactor.step_of(clock.now().timestamp()) + offset_steps)


@pytest.mark.parametrize(
    ("at", "expected"),
    [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"), (20000000000, "65353130")],
)
def test_totp_matches_the_rfc_6238_vectors(at, expected):
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert twofactor.code_at(secret, twofactor.step_of(at), digits=8) == expected


def test_otpauth_address_and_key_for_typing():
    uri = twofactor.otpauth_uri("JBSWY3DPEHPK3PXP", "admin")
    assert uri.startswith("otpauth://totp/%E9%82%BB%E9%87%8C%3Aadmin?secret=JBSWY3DPEHPK3PXP&issuer=")
    assert twofactor.grouped("JBSWY3DPEHPK3PXP") == "JBSW Y3DP EHPK 3PXP"


def test_enrol_confirm_then_codes_work_once(world):
    # given community staff who starts enrolment
    user = world.community
    twofactor.twofactor_start(user=user)
    assert not twofactor.is_enabled(user)
    # a wrong code does not confirm
    with pytest.raises(ValidationError):
        twofactor.twofactor_confirm(user=user, code="000000" if code_now(user) != "000000" else "111111")
    # when the app's code is typed
    codes = twofactor.twofactor_confirm(user=user, code=code_now(user))
    # then it is on, with ten recovery codes stored only as digests
    assert twofactor.is_enabled(user)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = set(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    assert not stored & set(codes)
    assert AuditEvent.objects.filter(action="twofactor_enable", actor=user).count() == 1
    # the same step's code is not accepted again (replay); the next step's is
    with pytest.raises(ValidationError):
        twofactor.twofactor_check(user=user, code=code_now(user))
    assert twofactor.twofactor_check(user=user, code=code_now(user, 1)) == "totp"
    # a recovery code works once
    assert twofactor.twofactor_check(user=user, code=codes[0].upper()) == "recovery"
    with pytest.raises(ValidationError):
        twofactor.twofactor_check(user=user, code=codes[0])
    assert twofactor.recovery_codes_left(user) == 9
    assert AuditEvent.objects.filter(action="twofactor_failed", actor=user).count() == 2


def test_required_of_administrators_optional_for_staff_not_offered_to_residents(world, settings):
    assert twofactor.required_for(world.admin)
    assert not twofactor.required_for(world.community) and twofactor.offered_to(world.community)
    assert not twofactor.offered_to(world.resident)
    settings.LINLI_TWOFACTOR_ROLES = ["district_leader"]
    assert twofactor.required_for(world.district)
    # an administrator cannot turn it off for themselves
    twofactor.twofactor_start(user=world.admin)
    twofactor.twofactor_confirm(user=world.admin, code=code_now(world.admin))
    with pytest.raises(ValidationError):
        twofactor.twofactor_disable(actor=world.admin, user=world.admin)
    # another administrator resets a lost device; staff cannot reset anyone else's
    with pytest.raises(ValidationError):
        twofactor.twofactor_disable(actor=world.community, user=world.admin)


def login(client, world, name):
    response = client.post("/login/", {"username": name, "password": world.password})
    assert response.status_code == 302, response.content.decode()[:300]


def test_an_administrator_must_enrol_before_anything_else(gated, client, world):
    # given the administrator signs in with the password
    login(client, world, "admin")
    # then every page and API call waits for the second factor
    page = client.get("/areas/")
    assert page.status_code == 302 and page["Location"].startswith(
        "/access/twofactor/setup/?next=%2Fareas%2F"
    )
    api = client.get("/api/me/")
    assert api.status_code == 403 and "两步验证" in api.json()["detail"]
    # when they enrol with the key shown
    setup = client.get("/access/twofactor/setup/?next=/areas/")
    key = re.search(r'class="secret-key">([A-Z2-7 ]+)<', setup.content.decode()).group(1).replace(" ", "")
    step = twofactor.step_of(clock.now().timestamp())
    done = client.post("/access/twofactor/setup/", {"code": twofactor.code_at(key, step), "next": "/areas/"})
    assert done.status_code == 200 and "请抄下这些恢复码" in done.content.decode()
    # then the session goes on
    assert client.get("/areas/").status_code == 200
    assert client.get("/api/me/").status_code == 200


def test_staff_with_it_on_type_a_code_after_the_password(gated, client, world):
    user = world.community
    twofactor.twofactor_start(user=user)
    twofactor.twofactor_confirm(user=user, code=code_now(user))
    login(client, world, "community")
    assert client.get("/people/")["Location"].startswith("/access/twofactor/verify/")
    wrong = client.post("/access/twofactor/verify/", {"code": "12345", "next": "/people/"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    right = client.post("/access/twofactor/verify/", {"code": code_now(user, 1), "next": "/people/"})
    assert right.status_code == 302 and right["Location"] == "/people/"
    assert client.get("/people/").status_code == 200


def test_five_wrong_codes_sign_the_session_out(gated, client, world):
    user = world.community
    twofactor.twofactor_start(user=user)
    twofactor.twofactor_confirm(user=user, code=code_now(user))
    login(client, world, "community")
    for _ in range(4):
        assert client.post("/access/twofactor/verify/", {"code": "abcdef"}).status_code == 400
    out = client.post("/access/twofactor/verify/", {"code": "abcdef"})
    assert out.status_code == 302 and out["Location"].startswith("/login/")
    assert client.get("/people/")["Location"].startswith("/login/")


def test_staff_without_it_are_not_stopped(gated, client, world):
    login(client, world, "gridworker")
    assert client.get("/people/").status_code == 200


def test_codes_outside_the_window_are_refused(world):
    user = world.unit
    twofactor.twofactor_start(user=user)
    with pytest.raises(ValidationError):
        twofactor.twofactor_confirm(user=user, code=code_now(user, 3))
    with clock.travel(NOW + timedelta(seconds=30)):
        assert twofactor.twofactor_confirm(user=user, code=code_now(user, -1))


def test_the_token_endpoint_asks_for_the_second_factor(client, world):
    from rest_framework.test import APIClient

    api = APIClient()
    creds = {"username": "community", "password": world.password}
    user = world.community
    twofactor.twofactor_start(user=user)
    twofactor.twofactor_confirm(user=user, code=code_now(user))
    # the password alone gets no token
    refused = api.post("/api/auth/token/", creds, format="json")
    assert refused.status_code == 400 and "otp" in refused.json()
    assert api.post("/api/auth/token/", {**creds, "otp": "000000"}, format="json").status_code == 400
    # with the code, a token
    issued = api.post("/api/auth/token/", {**creds, "otp": code_now(user, 1)}, format="json")
    assert issued.status_code == 200 and issued.json()["token"]
    # an administrator who has not set it up is sent to the web page
    admin = api.post("/api/auth/token/", {"username": "admin", "password": world.password}, format="json")
    assert admin.status_code == 403 and "两步验证" in admin.json()["detail"]
    # staff without it get their token as before
    plain = api.post(
        "/api/auth/token/", {"username": "gridworker", "password": world.password}, format="json"
    )
    assert plain.status_code == 200


def test_the_demo_may_turn_the_gates_off(gated, client, world):
    gated.LINLI_TWOFACTOR_ADMINS = False
    gated.LINLI_PRIVACY_CONSENT = False
    assert not twofactor.required_for(world.admin)
    client.force_login(world.admin)
    assert client.get("/areas/").status_code == 200
    client.force_login(world.resident)
    assert client.get("/appeals/mine/").status_code == 200
