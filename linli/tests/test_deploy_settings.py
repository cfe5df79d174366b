"""deploy/linli.env.example is a complete production configuration: Django's deployment check passes on it."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys

from django.conf import settings

TEMPLATE = settings.BASE_DIR / "deploy" / "linli.env.example"


def template_env(tmp_path) -> dict[str, str]:
    test_only = {
        "DEBUG",
        "SECRET_KEY",
        "DATABASE_URL",
        "LINLI_DEMO",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }  # browser tests set the last
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    for line in TEMPLATE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),  # the template says how to make one
        LINLI_DATA_KEY=secrets.token_urlsafe(32),  # likewise
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
        LINLI_VAR_DIR=str(tmp_path),
        MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_SETTINGS_MODULE="linli.settings",
    )
    return env


def test_the_deployment_check_passes_with_the_templates_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=settings.BASE_DIR,
        env=template_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    issues = set(re.findall(r"\((\w+\.[EW]\d+)\)", result.stdout + result.stderr))
    security = {i for i in issues if i.startswith(("security.", "axes.", "csp."))}
    # HSTS preload (W021) commits the domain and all its subdomains to HTTPS in browsers for months: the office
    # decides it (SECURE_HSTS_PRELOAD=1), not the template.
    assert security <= {"security.W021"}, result.stdout[-3000:]
    assert not any(".E" in i for i in issues), result.stdout[-3000:]


def test_every_variable_the_settings_read_is_in_the_template():
    source = (settings.BASE_DIR / "linli" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:bool|int|fraction)\("(\w+)"', source))
    read |= set(re.findall(r'os\.environ\.get\("(\w+)"', source))
    listed = set(re.findall(r"^#? ?(\w+)=", TEMPLATE.read_text(), flags=re.MULTILINE))
    developer_only = {
        "LINLI_DEMO",
        "LINLI_TECHNICAL_ERRORS",
        "EMAIL_BACKEND",
        "TASKS_BACKEND",
        "DB_TEST_NAME",
    }
    developer_only |= {
        "DB_CONN_MAX_AGE",
        "TRIAGE_MODEL_PATH",
        "TRIAGE_DUPLICATE_DAYS",
        "TRIAGE_DUPLICATE_CANDIDATES",
    }
    developer_only |= {"LINLI_REQUEST_LOG_LEVEL", "LINLI_PROXY_COUNT"}
    missing = read - listed - developer_only
    assert not missing, (
        f"settings read these but deploy/linli.env.example does not list them: {sorted(missing)}"
    )
