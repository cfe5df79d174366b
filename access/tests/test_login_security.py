"""Signing in: wrong passwords lock out on every way in, tokens are hashed, expire and are revoked, a password
may not be reused as itself, and staff sessions end when idle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from access.models import ApiToken, RoleAssignment
from access.tokens import digest_of, token_issue
from audit.models import AuditEvent
from linli import clock

pytestmark = pytest.mark.django_db
LIMIT = settings.AXES_FAILURE_LIMIT


def page_login(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def token_login(client: APIClient, username: str, password: str):
    return client.post("/api/auth/token/", {"username": username, "password": password})


def admin_login(client: Client, username: str, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


@pytest.mark.parametrize(
    "attempt, client_class, locked_text",
    [
        (page_login, Client, "账号已暂时锁定"),
        (token_login, APIClient, "账号已暂时锁定"),
        (admin_login, Client, "账号已暂时锁定"),
    ],
    ids=["login page", "token endpoint", "admin"],
)
def test_wrong_passwords_lock_the_account_then_the_right_one_is_refused(
    world, attempt, client_class, locked_text
):
    client = client_class()
    # given N wrong passwords for the administrator's account
    codes = [attempt(client, "admin", "not-the-password").status_code for _ in range(LIMIT)]
    assert set(codes[:-1]) <= {200, 400} and codes[-1] == 429
    # when the right password comes next, from another browser too
    for c in (client, client_class(HTTP_USER_AGENT="another phone")):
        response = attempt(c, "admin", world.password)
        # then it is refused with a Chinese message and when to try again
        assert response.status_code == 429 and locked_text in response.content.decode()
        assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "_auth_user_id" not in client.session if hasattr(client, "session") else True


def test_the_administrator_unlocks_an_account(world):
    client = APIClient()
    for _ in range(LIMIT):
        token_login(client, "community", "wrong-password")
    assert token_login(client, "community", world.password).status_code == 429
    assert AccessAttempt.objects.filter(username="community").exists()  # shown in the admin (访问尝试)
    call_command("axes_reset_username", "community", verbosity=0)
    assert token_login(client, "community", world.password).status_code == 200


def test_a_right_password_before_the_limit_resets_the_count(world):
    client = APIClient()
    for _ in range(LIMIT - 1):
        token_login(client, "unit", "wrong-password")
    assert token_login(client, "unit", world.password).status_code == 200
    for _ in range(LIMIT - 1):
        token_login(client, "unit", "wrong-password")
    assert token_login(client, "unit", world.password).status_code == 200


def test_the_token_endpoint_is_throttled_per_address(world):
    # given many sign-ins from one address, each from another browser (so that no lockout stands in the way)
    codes = [token_login(APIClient(HTTP_USER_AGENT=f"browser {i}"), f"nobody{i}", "x") for i in range(21)]
    # then the first 20 a minute are answered and the next is told to wait
    assert [r.status_code for r in codes[:20]] == [400] * 20
    assert codes[20].status_code == 429 and "Retry-After" in codes[20]
    assert "限" in codes[20].json()["detail"]


def test_tokens_are_stored_hashed_listed_and_revoked_by_their_owner(world):
    client = APIClient()
    key = client.post(
        "/api/auth/token/", {"username": "community", "password": world.password, "name": "网格通"}
    ).json()["token"]
    token = ApiToken.objects.get(user=world.community)
    assert (
        token.digest == digest_of(key)
        and key not in (token.digest, token.prefix + "x")
        and token.name == "网格通"
    )
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    listed = client.get("/api/auth/tokens/", **auth).json()
    assert [t["prefix"] for t in listed] == [key[:8]] and "digest" not in listed[0]
    # another user can neither see nor revoke it
    _, other = token_issue(user=world.unit)
    assert (
        client.delete(f"/api/auth/tokens/{token.pk}/", HTTP_AUTHORIZATION=f"Token {other}").status_code == 404
    )
    # the owner revokes it: 401 from then on, with an audit row
    assert client.delete(f"/api/auth/tokens/{token.pk}/", **auth).status_code == 204
    refused = client.get("/api/me/", **auth)
    assert refused.status_code == 401 and "已撤销" in refused.json()["detail"]
    assert AuditEvent.objects.filter(action="token_revoke", object_id=str(token.pk)).exists()


def test_an_expired_token_gets_401(world, clock_at):
    _, key = token_issue(user=world.community)
    clock_at(clock.now() + timedelta(days=settings.LINLI_TOKEN_DAYS, minutes=1))
    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401 and "已过期" in response.json()["detail"]


def test_logout_revokes_tokens_on_the_page_and_through_the_api(world):
    _, by_page = token_issue(user=world.community)
    _, by_api = token_issue(user=world.unit)
    browser = Client()
    browser.force_login(world.community)
    browser.post("/logout/")
    assert APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {by_page}").status_code == 401
    api = APIClient()
    assert api.post("/api/auth/logout/", HTTP_AUTHORIZATION=f"Token {by_api}").status_code == 204
    assert api.get("/api/me/", HTTP_AUTHORIZATION=f"Token {by_api}").status_code == 401


def test_a_password_change_or_a_removed_role_ends_the_tokens(world):
    _, community_key = token_issue(user=world.community)
    _, unit_key = token_issue(user=world.unit)
    world.community.set_password("a-new-long-password-2026")
    world.community.save()
    changed = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {community_key}")
    assert changed.status_code == 401 and "密码已更改" in changed.json()["detail"]
    RoleAssignment.objects.filter(user=world.unit).delete()
    removed = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {unit_key}")
    assert removed.status_code == 401 and "被移除" in removed.json()["detail"]


def test_a_password_may_not_be_changed_to_itself_nor_be_short(world):
    with pytest.raises(ValidationError) as same:
        validate_password(world.password, user=world.community)
    assert "不能与当前密码相同" in " ".join(same.value.messages)
    with pytest.raises(ValidationError):
        validate_password("short1x", user=world.community)
    validate_password("bamboo-lantern-1970", user=world.community)


def test_staff_sessions_end_when_idle_residents_keep_theirs(world):
    staff, resident = Client(), Client()
    staff.force_login(world.community)
    resident.force_login(world.resident)
    staff.get("/")
    resident.get("/")
    assert staff.session.get_expiry_age() == settings.LINLI_STAFF_IDLE_MINUTES * 60
    assert resident.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
