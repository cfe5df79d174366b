"""One code, typed twice at once (a stolen code replayed while its owner signs in, or a recovery code used from two
browsers): one sign-in passes, the other is refused, because the check locks the device row. And two erasures of
one request at once: it is carried out once. Real row locks need PostgreSQL; skipped on SQLite."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from access import twofactor
from access.twofactor_models import TwoFactorDevice
from audit.erasure import erasure_request_carry_out, erasure_request_submit
from audit.models import AuditEvent
from linli import clock
from linli.testing import build_world, race, two_at_once

pytestmark = two_at_once()
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def w(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with clock.travel(NOW):
        yield build_world()


def outcome(call):
    def run():
        try:
            call()
            return "ok"
        except ValidationError:
            return "refused"

    return run


def test_one_code_twice_at_once(w):
    user = w.community
    twofactor.twofactor_start(user=user)
    secret = TwoFactorDevice.objects.get(user=user).secret
    step = twofactor.step_of(clock.now().timestamp())
    codes = twofactor.twofactor_confirm(user=user, code=twofactor.code_at(secret, step))
    totp = twofactor.code_at(secret, step + 1)
    results = race([outcome(lambda: twofactor.twofactor_check(user=user, code=totp)) for _ in range(4)])
    assert sorted(results) == ["ok", "refused", "refused", "refused"]
    results = race([outcome(lambda: twofactor.twofactor_check(user=user, code=codes[0])) for _ in range(4)])
    assert sorted(results) == ["ok", "refused", "refused", "refused"]
    assert twofactor.recovery_codes_left(user) == 9


def test_one_erasure_request_carried_out_twice_at_once(w):
    request = erasure_request_submit(user=w.resident)
    results = race(
        [
            outcome(lambda: erasure_request_carry_out(user=w.community, request_id=request.pk))
            for _ in range(3)
        ]
    )
    assert sorted(results) == ["ok", "refused", "refused"]
    assert AuditEvent.objects.filter(action="erasure_done").count() == 1
