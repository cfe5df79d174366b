"""账号安全 (/access/accounts/): the administrator resets a lost two-factor device and unlocks a locked account; every
other role is refused (403) and changes nothing; each change is an audit row; a step already taken is a 409."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client

from access import account_security, twofactor
from access.twofactor_models import RecoveryCode, TwoFactorDevice
from audit.models import AuditEvent
from linli import clock
from linli.errors import TransitionError, ValidationError
from linli.testing import PERSONAS, build_world, race

pytestmark = pytest.mark.django_db
OTHERS = [p for p in PERSONAS if p != "admin"]


def enable_twofactor(user) -> TwoFactorDevice:
    device = twofactor.twofactor_start(user=user)
    code = twofactor.code_at(device.secret, twofactor.step_of(clock.now().timestamp()))
    twofactor.twofactor_confirm(user=user, code=code)
    return TwoFactorDevice.objects.get(user=user)


def lock_out(username: str) -> AccessAttempt:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": username, "password": "not-the-password"})
    return AccessAttempt.objects.get(username=username)


# ---- who may -----------------------------------------------------------------------------------------------------
def test_the_administrator_sees_two_factor_accounts_and_lockouts(world, client_for):
    enable_twofactor(world.gridworker)
    lock_out("resident")
    page = client_for("admin").get("/access/accounts/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "gridworker" in text and "陈网格" in text and "已启用" in text  # the device and the person
    assert "resident" in text and "解锁" in text  # the lockout
    assert "连续输错密码，已锁定" in text  # the audit row of the lockout, among the recent events


@pytest.mark.parametrize("persona", OTHERS)
def test_every_other_role_is_refused_and_changes_nothing(world, client_for, persona):
    enable_twofactor(world.gridworker2)
    attempt = lock_out("no-such-account")  # (signing a persona in would clear its own failures)
    c = client_for(persona)
    assert c.get("/access/accounts/").status_code == 403
    assert c.post(f"/access/accounts/{world.gridworker2.pk}/twofactor-reset/").status_code == 403
    assert c.post("/access/accounts/unlock/", {"attempt": attempt.pk}).status_code == 403
    assert TwoFactorDevice.objects.filter(user=world.gridworker2).exists()
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert not AuditEvent.objects.filter(action__in=["twofactor_reset", "lockout_clear"]).exists()


def test_a_visitor_is_sent_to_sign_in(world):
    response = Client().get("/access/accounts/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# ---- resetting two-factor sign-in -----------------------------------------------------------------------------------
def test_the_administrator_resets_a_lost_device(world, client_for):
    # given a grid worker with two-factor sign-in and recovery codes
    enable_twofactor(world.gridworker)
    assert RecoveryCode.objects.filter(user=world.gridworker).count() == twofactor.RECOVERY_CODES
    # when the administrator resets it (the page's button)
    response = client_for("admin").post(f"/access/accounts/{world.gridworker.pk}/twofactor-reset/")
    # then the device and the codes are gone, and an audit row says who did it to whom
    assert response.status_code == 302 and response["Location"] == "/access/accounts/"
    assert not TwoFactorDevice.objects.filter(user=world.gridworker).exists()
    assert not RecoveryCode.objects.filter(user=world.gridworker).exists()
    row = AuditEvent.objects.get(action="twofactor_reset")
    assert row.actor == world.admin and row.object_id == str(world.gridworker.pk)
    assert "gridworker" in row.summary
    # and the grid worker can set it up again
    assert not twofactor.is_enabled(world.gridworker)
    assert twofactor.twofactor_start(user=world.gridworker).confirmed_at is None


def test_a_reset_already_done_is_a_conflict_shown_on_the_page(world, client_for):
    enable_twofactor(world.gridworker)
    account_security.twofactor_reset(actor=world.admin, user_id=world.gridworker.pk)
    with pytest.raises(TransitionError):
        account_security.twofactor_reset(actor=world.admin, user_id=world.gridworker.pk)
    page = client_for("admin").post(f"/access/accounts/{world.gridworker.pk}/twofactor-reset/", follow=True)
    assert page.status_code == 200 and "没有两步验证可重置" in page.content.decode()
    assert AuditEvent.objects.filter(action="twofactor_reset").count() == 1


def test_the_administrator_cannot_reset_their_own_nor_an_unknown_account(world, client_for):
    enable_twofactor(world.admin)
    with pytest.raises(ValidationError):
        account_security.twofactor_reset(actor=world.admin, user_id=world.admin.pk)
    assert TwoFactorDevice.objects.filter(user=world.admin).exists()
    with pytest.raises(ValidationError):
        account_security.twofactor_reset(actor=world.admin, user_id=10**9)
    c = client_for("admin")
    assert c.post(f"/access/accounts/{10**9}/twofactor-reset/").status_code == 302  # a message, not a 500
    assert c.post(f"/access/accounts/{2**70}/twofactor-reset/").status_code == 404
    assert c.get(f"/access/accounts/{world.gridworker.pk}/twofactor-reset/").status_code == 405


def test_the_services_refuse_everyone_but_the_administrator(world):
    enable_twofactor(world.gridworker)
    for persona in OTHERS:
        with pytest.raises(PermissionDenied):
            account_security.twofactor_reset(actor=getattr(world, persona), user_id=world.gridworker.pk)
        with pytest.raises(PermissionDenied):
            account_security.twofactor_devices(getattr(world, persona))


# ---- unlocking -------------------------------------------------------------------------------------------------------
def test_the_administrator_unlocks_a_locked_account(world, client_for):
    # given a resident locked out by wrong passwords
    attempt = lock_out("resident")
    assert Client().post("/login/", {"username": "resident", "password": world.password}).status_code == 429
    # when the administrator unlocks it
    response = client_for("admin").post("/access/accounts/unlock/", {"attempt": attempt.pk})
    # then the failures are gone, the right password works at once, and an audit row says so
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="resident").exists()
    assert Client().post("/login/", {"username": "resident", "password": world.password}).status_code == 302
    row = AuditEvent.objects.get(action="lockout_clear")
    assert row.actor == world.admin and row.data["username"] == "resident"
    # and unlocking again is a conflict, shown as a message
    with pytest.raises(TransitionError):
        account_security.lockout_clear(actor=world.admin, attempt_id=attempt.pk)
    page = client_for("admin").post("/access/accounts/unlock/", {"attempt": attempt.pk}, follow=True)
    assert "该锁定已解除" in page.content.decode()
    assert client_for("admin").post("/access/accounts/unlock/", {"attempt": "x"}).status_code == 302


def test_the_hub_offers_the_page_to_the_administrator_only(world, client_for):
    assert "/access/accounts/" in client_for("admin").get("/hub/").content.decode()
    assert "/access/accounts/" not in client_for("community").get("/hub/").content.decode()


# ---- two administrators at once (PostgreSQL) ------------------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_two_administrators_resetting_at_once_reset_once(settings):
    from access.models import Role
    from access.services import role_grant

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    w = build_world()
    role_grant(user=w.community2, role=Role.ADMIN)
    enable_twofactor(w.gridworker)

    def reset(actor):
        def run():
            try:
                account_security.twofactor_reset(actor=actor, user_id=w.gridworker.pk)
                return "ok"
            except TransitionError:
                return "409"

        return run

    assert sorted(race([reset(w.admin), reset(w.community2)])) == ["409", "ok"]
    assert AuditEvent.objects.filter(action="twofactor_reset").count() == 1
