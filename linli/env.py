"""Reading settings from the environment: typed values, and a database URL turned into a DATABASES entry.

A value that cannot be read stops start-up with ImproperlyConfigured naming the variable.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc


def database_from_url(url: str, default_sqlite: Path | None = None) -> dict:
    """Turn ``sqlite:///path`` or ``postgres://user:pass@host:port/name`` into a DATABASES entry (``sqlite://``
    alone: ``default_sqlite``)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path) or str(default_sqlite or "linli.sqlite3")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if parsed.scheme in {"postgres", "postgresql"}:
        # DB_POOL_MAX > 0: each process keeps a pool of at most that many connections (psycopg_pool), shared by
        # its threads; processes × DB_POOL_MAX must stay under PostgreSQL's max_connections. A request that waits
        # longer than DB_POOL_TIMEOUT seconds for one gets a 503 with Retry-After (linli.overload).
        pool_max = env_int("DB_POOL_MAX", 0)
        pool = (
            {
                "min_size": min(env_int("DB_POOL_MIN", 2), pool_max),
                "max_size": pool_max,
                "timeout": env_int("DB_POOL_TIMEOUT", 10),
            }
            if pool_max > 0
            else None
        )
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 0 if pool else env_int("DB_CONN_MAX_AGE", 60),
            # with a pool: each connection is checked as it is handed out, so after a database restart the pool's
            # idle connections (cut by the server) are replaced instead of failing a request each
            "CONN_HEALTH_CHECKS": bool(pool),
            "OPTIONS": {"pool": pool} if pool else {},
            "TEST": {"NAME": os.environ.get("DB_TEST_NAME") or None},
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported (sqlite or postgres)")


def env_fraction(name: str, default: float) -> float:
    """A number from 0 to 1 (a probability, a share)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = None
    if value is None or not 0.0 <= value <= 1.0:  # the comparison also refuses nan
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number from 0 to 1 (such as 0.6)")
    return value
