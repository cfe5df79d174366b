"""Run every benchmark module against every database; print their ``BENCH <name> <value>`` lines.

Usage: ``make bench`` (or ``.venv/bin/python bench/run.py [module ...]`` to run only some modules).

Each module is a script run as a child process, once per database, with ``DATABASE_URL`` pointing at a fresh,
empty database (settings are read at import, so one process per database). A module migrates, fills and
measures its database and prints ``BENCH <name> <value>`` lines on stdout; everything else it says goes to
stderr. This runner passes BENCH lines through to stdout, sends any other output to stderr, and exits non-zero
only if a child crashes.

Adding a benchmark is one line in ``MODULES``; a module that uses no database is also listed in ``NO_DATABASE``
and runs once, without ``DATABASE_URL``.

Environment:
    BENCH_POSTGRES_URL  server for the PostgreSQL runs (default postgres://postgres@127.0.0.1:5432/linli_bench);
                        the database named there is dropped and created for each run, through the ``postgres``
                        (or ``test``) maintenance database. Unreachable → the PostgreSQL runs are skipped.
    BENCH_DATABASES     comma-separated subset of ``sqlite,postgres`` (default both).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent

# One line per benchmark module (a script in bench/ that prints BENCH lines for the database it is given).
MODULES = [
    "appeals_bench.py",
    "matching_bench.py",
    "intake_http.py",  # production stack over HTTP: gunicorn on PostgreSQL, concurrent clients (PostgreSQL only)
    "triage_bench.py",
    "triage_history_bench.py",  # leaf, unit, duplicate pairs, whole suggestion (SQLite pass; 10-20 min)  # model on dev_raw and suggestion p50 (SQLite pass); duplicate lookup on 1,000,000 appeals (PostgreSQL)
    "evaluation_bench.py",  # figures: 1,000,000 appeals, set-based rebuild, district dashboard p95 and monthly report (PostgreSQL only)
]
# Modules that use no database: run once, without DATABASE_URL, instead of once per database.
NO_DATABASE = {"matching_bench.py"}

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/linli_bench"
CHILD_TIMEOUT_SECONDS = 1800


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# ---- databases: each yields a DATABASE_URL for one fresh database, or None when unavailable ----------------
@contextmanager
def sqlite_database(workdir: Path) -> Iterator[str | None]:
    path = workdir / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    yield f"sqlite:///{path}"


def _maintenance_connection(url: str):
    import psycopg

    parsed = urlparse(url)
    last_error: Exception | None = None
    for dbname in ("postgres", "test"):
        try:
            return psycopg.connect(
                urlunparse(parsed._replace(path=f"/{dbname}")), autocommit=True, connect_timeout=5
            )
        except psycopg.Error as exc:
            last_error = exc
    raise ConnectionError(str(last_error).strip())


@contextmanager
def postgres_database(workdir: Path) -> Iterator[str | None]:
    url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    name = urlparse(url).path.lstrip("/")
    try:
        from psycopg import sql

        conn = _maintenance_connection(url)
    except (ImportError, ConnectionError) as exc:
        say(f"PostgreSQL unreachable at {url} ({exc}); skipping the postgres benchmarks")
        yield None
        return
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield url
        finally:
            conn.execute(drop)


DATABASES = {"sqlite": sqlite_database, "postgres": postgres_database}


# ---- running one module -------------------------------------------------------------------------------------
def run_module(module: str, database_url: str | None, workdir: Path) -> bool:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    env.update(
        DJANGO_SETTINGS_MODULE="linli.settings",
        # Production-like: no DEBUG query log, no demo mode. The test client's host is "testserver".
        DEBUG="0",
        SECRET_KEY="linli-bench-secret-key-not-for-production-use-0123456789",
        LINLI_DATA_KEY="linli-bench-data-key-not-for-production-use-9876543210",  # DEBUG off: a key of its own
        ALLOWED_HOSTS="testserver",
        # The test client speaks plain HTTP to the application itself: no TLS redirect (nginx's job).
        SECURE_SSL_REDIRECT="0",
        LINLI_VAR_DIR=str(workdir / "var"),
        MEDIA_ROOT=str(workdir / "media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    (workdir / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, str(BENCH_DIR / module)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("BENCH "):
            print(line.rstrip("\n"), flush=True)
        else:
            sys.stderr.write(line)
    try:
        code = proc.wait(timeout=CHILD_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
    if code != 0:
        say(f"{module} crashed on {database_url or 'no database'} (exit code {code})")
    return code == 0


def main(argv: list[str]) -> int:
    modules = argv or MODULES
    wanted = [
        d.strip() for d in os.environ.get("BENCH_DATABASES", ",".join(DATABASES)).split(",") if d.strip()
    ]
    ok = True
    started = time.perf_counter()
    for module in modules:
        if module in NO_DATABASE:
            with tempfile.TemporaryDirectory(prefix="linli-bench-nodb-") as tmp:
                t0 = time.perf_counter()
                say(f"{module} (no database) …")
                ok = run_module(module, None, Path(tmp)) and ok
                say(f"{module}: {time.perf_counter() - t0:.0f} s")
            continue
        for db in wanted:
            with tempfile.TemporaryDirectory(prefix=f"linli-bench-{db}-") as tmp:
                with DATABASES[db](Path(tmp)) as url:
                    if url is None:
                        continue
                    t0 = time.perf_counter()
                    say(f"{module} on {db} …")
                    ok = run_module(module, url, Path(tmp)) and ok
                    say(f"{module} on {db}: {time.perf_counter() - t0:.0f} s")
    say(f"all done in {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
