"""With DEBUG off there is no demo: settings refuse a missing SECRET_KEY, and load_demo refuses to run."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys

from django.conf import settings

from demo.names import GIVEN_OLD, GIVEN_YOUNG, NameMaker
from demo.people import COMPOSITIONS, compose


def _env(**changes: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "LINLI_DEMO", "DATABASE_URL"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "linli.settings"
    env["LINLI_DATA_KEY"] = (
        "test-only-data-key-not-secret-0123456789"  # production settings want one of their own
    )
    env.update(changes)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_settings_without_secret_key_fail_loudly_when_debug_is_off():
    result = _run(["-c", "import django; django.setup()"], _env(DEBUG="0"))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_load_demo_refuses_in_production_and_touches_no_database(tmp_path):
    db = tmp_path / "prod.sqlite3"
    env = _env(DEBUG="0", SECRET_KEY="test-only-not-secret", DATABASE_URL=f"sqlite:///{db}")
    result = _run(["manage.py", "load_demo"], env)
    assert result.returncode != 0
    assert "DEMO_MODE" in result.stderr
    assert "linli-demo" not in result.stdout + result.stderr
    if db.exists():  # the refusal comes before any query: not even a table was created
        assert sqlite3.connect(db).execute("select count(*) from sqlite_master").fetchone() == (0,)


def test_demo_mode_needs_debug():
    result = _run(
        ["-c", "import django; django.setup(); from django.conf import settings; print(settings.DEMO_MODE)"],
        _env(DEBUG="0", SECRET_KEY="test-only-not-secret", LINLI_DEMO="1"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_generation_is_deterministic():
    def sample(seed: int) -> list:
        rng = random.Random(seed)
        names = NameMaker(rng)
        kinds = [k for k, _ in COMPOSITIONS]
        return [(names.name("F", 1950), names.mobile(), compose(rng, rng.choice(kinds))) for _ in range(50)]

    assert sample(7) == sample(7)
    assert sample(7) != sample(8)


def test_given_name_pools_are_pairs():
    for pools in (GIVEN_OLD, GIVEN_YOUNG):
        assert all(len(pool) % 2 == 0 for pool in pools.values())
