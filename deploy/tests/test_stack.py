"""The README's production section, followed for real: nginx → gunicorn (2 processes) → PostgreSQL, one worker.

On a database of its own (``linli_stack_<the test database's name>``), with the settings of
``deploy/linli.env.example``, the commands of ``deploy/*.service`` and the nginx site ``deploy/nginx-linli.conf``
on free local ports (``deploy.stack``). Then, over HTTPS through nginx: 点单 with a photo, 派单, 接单, 办结, 评单;
the photo is served by nginx after Linli's scope check (X-Accel-Redirect), refused to another resident and never
by its path; static files come from nginx; ``/healthz`` answers 200. Everything is stopped and the database
dropped at the end. PostgreSQL only (several processes on one SQLite file is not the production set-up), and
nginx must be installed (``make install`` installs it).
"""

from __future__ import annotations

import io
import os
import re
from urllib.parse import urlparse

import pytest
import requests
from PIL import Image

from deploy.stack import Stack, create_database, database_url_named, drop_database, nginx_binary

BASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = BASE_URL.startswith(("postgres://", "postgresql://"))

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRES, reason="the production stack runs on PostgreSQL (DATABASE_URL=postgres://…)"
    ),
    pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (make install installs it)"),
]


def own_database_url(suffix: str) -> str:
    name = urlparse(BASE_URL).path.lstrip("/") or "linli"
    return database_url_named(BASE_URL, f"linli_{suffix}_{name}"[:63])


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    url = own_database_url("stack")
    create_database(url)
    running = Stack(root=tmp_path_factory.mktemp("stack"), database_url=url, web_workers=2)
    try:
        # README: migrate, collectstatic, schedule_jobs; the first people and places (the administrator's part);
        # then linli-web (gunicorn), linli-worker@1, nginx with the site
        with running.serving(workers=1):
            yield running
    finally:
        drop_database(url)


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


class Caller:
    """One person talking to nginx over HTTPS, by API token or by a signed-in session."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.http = requests.Session()
        self.http.trust_env = False  # REQUESTS_CA_BUNDLE would replace the stack's own certificate
        self.http.verify = str(stack.root / "tls" / "fullchain.pem")
        self.http.headers["Referer"] = stack.site + "/"

    def url(self, path: str) -> str:
        return self.stack.site + path

    def token(self, username: str) -> Caller:
        answer = self.http.post(
            self.url("/api/auth/token/"),
            json={"username": username, "password": self.stack.seeded["password"]},
        )
        assert answer.status_code == 200, answer.text
        self.http.headers["Authorization"] = f"Token {answer.json()['token']}"
        return self

    def sign_in(self, username: str) -> Caller:
        self.http.get(self.url("/login/"))
        answer = self.http.post(
            self.url("/login/"),
            data={
                "username": username,
                "password": self.stack.seeded["password"],
                "csrfmiddlewaretoken": self.csrf,
            },
        )
        assert answer.status_code == 200 and "/access/privacy/" in answer.url, (
            answer.url
        )  # a resident consents first
        consent = self.http.post(
            self.url("/access/privacy/consent/"), data={"agree": "1", "csrfmiddlewaretoken": self.csrf}
        )
        assert consent.status_code == 200 and "/access/privacy/" not in consent.url
        return self

    @property
    def csrf(self) -> str:
        return self.http.cookies.get("csrftoken", "")

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.http.post(self.url(path), **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.url(path), **kwargs)


def test_the_appeal_loop_photos_static_files_and_health_through_nginx(stack):
    seeded = stack.seeded
    resident, community, unit = (Caller(stack).token(name) for name in ("resident", "community", "unit"))

    # 点单: the resident files an appeal with a photo
    filed = resident.post(
        "/api/appeals/",
        data={"title": "楼道灯坏了", "body": "三楼楼道灯不亮，晚上上下楼很不方便。",
              "building": seeded["building"], "category": seeded["category"]},
        files={"photos": ("light.png", photo_bytes(), "image/png")},
    )  # fmt: skip
    assert filed.status_code == 201, filed.text
    pk = filed.json()["id"]

    # 派单 → 接单 → 办结 → 评单, each through nginx; a repeated step is refused with 409
    assert community.post(f"/api/appeals/{pk}/dispatch/", json={"unit": seeded["unit"]}).status_code == 200
    assert unit.post(f"/api/appeals/{pk}/accept/", json={}).status_code == 200
    assert unit.post(f"/api/appeals/{pk}/accept/", json={}).status_code == 409
    assert (
        unit.post(f"/api/appeals/{pk}/complete/", json={"report": "已更换灯泡并检查线路。"}).status_code
        == 200
    )
    rated = resident.post(f"/api/appeals/{pk}/rate/", json={"resolved": True, "satisfaction": "satisfied"})
    assert rated.status_code == 200, rated.text
    events = resident.get(f"/api/appeals/{pk}/events/").json()
    assert [e["action"] for e in events][:1] == ["submit"] and "rate" in [e["action"] for e in events]
    assert len(events) >= 5

    # The photo: shown to the resident who filed it, sent by nginx after Linli's scope check …
    owner = Caller(stack).sign_in("resident")
    page = owner.get(f"/appeals/{pk}/")
    assert page.status_code == 200
    (photo_path,) = set(re.findall(rf"/appeals/{pk}/photos/\d+/", page.text))
    photo = owner.get(photo_path)
    assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/png"
    assert "X-Accel-Redirect" not in photo.headers  # nginx consumed it and sent the file itself
    assert Image.open(io.BytesIO(photo.content)).size == (64, 48)  # the re-encoded upload, from disk
    stored = next((stack.root / "var" / "media").rglob("*.png"))
    assert photo.content == stored.read_bytes()
    # … refused to another resident, and never reachable by its path
    other = Caller(stack).sign_in("neighbour")
    assert other.get(photo_path).status_code == 404
    name = stored.relative_to(stack.root / "var" / "media").as_posix()
    for direct in (f"/protected-media/{name}", f"/media/{name}"):
        assert owner.get(direct).status_code == 404
    assert Caller(stack).get(photo_path, allow_redirects=False).status_code == 302  # signed out: to the login

    # Static files come from nginx (collectstatic's hashed names, cached for a year)
    css = re.search(r'href="(/static/[^"]+\.css)"', page.text).group(1)
    style = owner.get(css)
    assert style.status_code == 200 and "immutable" in style.headers["Cache-Control"]

    # Plain HTTP only answers the health check; everything else goes to HTTPS
    assert (
        requests.get(f"http://127.0.0.1:{stack.http_port}/login/", allow_redirects=False).status_code == 301
    )
    status, health = stack.healthz()
    assert status == 200 and health["status"] == "ok", health
    assert set(health["checks"]) >= {"database", "migrations", "sweep", "worker", "media"}
