"""Back up the database and the residents' files into one dated archive, and restore it into an empty database.

The archive (``linli-backup-<YYYYmmdd-HHMMSS>.tar.gz``) holds:

- ``database.dump`` — PostgreSQL: ``pg_dump --format=custom`` of the database DATABASE_URL names (a consistent
  snapshot taken while Linli keeps running); or ``database.sqlite3`` — SQLite: a copy made with SQLite's online
  backup API (consistent, also while the web process and the worker write);
- ``media/`` — every file under MEDIA_ROOT (photos, generated reports);
- ``manifest.json`` — when, which database engine, and the row count of every table, which ``restore`` checks.

``restore`` refuses a database that already has tables (or a non-empty MEDIA_ROOT) unless told ``force``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

DUMP_PG = "database.dump"
DUMP_SQLITE = "database.sqlite3"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def row_counts() -> dict[str, int]:
    """Rows in every model's table: what a restore must give back."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._default_manager.using("default").count()
    return dict(sorted(counts.items()))


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{done.stderr.strip()[:2000]}")


def backup(directory: Path) -> Path:
    """Write one archive into ``directory`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = directory / f"linli-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="linli-backup-") as work:
        root = Path(work)
        if connection.vendor == "postgresql":
            args, env = _pg_env()
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(root / DUMP_PG),
                    *args,
                ],
                env,
            )
            dump = DUMP_PG
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            copy = sqlite3.connect(root / DUMP_SQLITE)
            try:
                connection.connection.backup(copy)
            finally:
                copy.close()
            dump = DUMP_SQLITE
        else:
            raise BackupError(f"不支持的数据库：{connection.vendor}")
        manifest = {
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "database": dump,
            "rows": row_counts(),
        }
        (root / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = target.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(root / MANIFEST, arcname=MANIFEST)
            archive.add(root / dump, arcname=dump)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname="media", filter=_without_probes)
            else:  # no file uploaded yet: an empty media/ directory
                empty = tarfile.TarInfo("media")
                empty.type, empty.mode = tarfile.DIRTYPE, 0o755
                archive.addfile(empty)
        partial.rename(target)  # a half-written archive never carries the final name
    return target


def _without_probes(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    return None if Path(info.name).name.startswith(".healthz-") else info  # /healthz's write probe


@dataclass
class Restored:
    engine: str
    rows: dict[str, int]
    media_files: int


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore(archive_path: Path, *, force: bool = False) -> Restored:
    """Restore ``archive_path`` into the configured database and MEDIA_ROOT; check every table's row count."""
    media = Path(settings.MEDIA_ROOT)
    if not force and not database_is_empty():
        raise BackupError("目标数据库不是空的：请恢复到新建的空数据库（或加 --force 覆盖）")
    if not force and media.is_dir() and any(media.iterdir()):
        raise BackupError(f"媒体目录 {media} 不是空的（或加 --force 覆盖）")
    with tempfile.TemporaryDirectory(prefix="linli-restore-") as work:
        root = Path(work)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(root, filter="data")  # refuses absolute paths and ../ in member names
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        if manifest["engine"] != connection.vendor:
            raise BackupError(f"备份来自 {manifest['engine']}，当前数据库是 {connection.vendor}")
        if connection.vendor == "postgresql":
            args, env = _pg_env()
            clean = ["--clean", "--if-exists"] if force else []
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    *clean,
                    *args,
                    str(root / DUMP_PG),
                ],
                env,
            )
        else:
            source = sqlite3.connect(root / DUMP_SQLITE)
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        media.mkdir(parents=True, exist_ok=True)
        files = 0
        for path in (root / "media").rglob("*"):
            if path.is_file():
                destination = media / path.relative_to(root / "media")
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
                files += 1
    rows = row_counts()
    missing = {t: (n, rows.get(t)) for t, n in manifest["rows"].items() if rows.get(t) != n}
    if missing:
        raise BackupError(f"恢复后的行数与备份不一致：{missing}")
    return Restored(engine=manifest["engine"], rows=rows, media_files=files)
