"""Backup and restore: the archive brought back into an empty database gives every row and file back.

Runs on the suite's database: SQLite by default (SQLite's backup API), PostgreSQL with DATABASE_URL (pg_dump and
pg_restore); CI runs both.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from appeals import services
from appeals.models import Appeal, AppealEvent, Channel
from categories.models import Category
from jobs.backup import row_counts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dispatched(world):
    """An appeal raised by a resident and dispatched to a property company: rows in many tables."""
    root = Category.objects.create(code="CX", name="城乡建设", contact_hours=24, resolve_working_days=5)
    appeal = services.appeal_submit(
        user=world.resident,
        title="楼道灯坏了",
        body="3 单元楼道灯坏了一周。",
        channel=Channel.APP,
        category=root,
        building=world.b1a,
    )
    return services.appeal_dispatch(user=world.community, appeal_id=appeal.pk, unit=world.pm1)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = settings.MEDIA_ROOT / "appeals" / "2026" / "a1b2c3.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 a resident's photo")
    return settings.MEDIA_ROOT


def empty_the_database() -> None:
    """A fresh database: every table gone."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    assert connection.introspection.table_names() == []


def test_backup_then_restore_into_an_empty_database_gives_the_same_rows_and_files(
    world, dispatched, media, tmp_path, capsys
):
    # Given a district with an appeal and a photo
    before = row_counts()
    assert before[Appeal._meta.db_table] >= 1 and before[AppealEvent._meta.db_table] >= 1
    appeal_titles = sorted(Appeal.objects.values_list("title", flat=True))
    # When it is backed up
    call_command("backup", "--output", str(tmp_path / "backups"))
    archive = Path(capsys.readouterr().out.strip())
    assert archive.name.startswith("linli-backup-") and archive.name.endswith(".tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert "media/appeals/2026/a1b2c3.jpg" in names and manifest["engine"] == connection.vendor
    # And the database and the files are lost
    empty_the_database()
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    # When the archive is restored
    call_command("restore", str(archive))
    # Then every table has its rows again, the appeals read the same, and the photo is back
    assert row_counts() == before
    assert sorted(Appeal.objects.values_list("title", flat=True)) == appeal_titles
    assert (media / "appeals" / "2026" / "a1b2c3.jpg").read_bytes() == b"\xff\xd8 a resident's photo"
    assert "与备份一致" in capsys.readouterr().out


def test_restore_refuses_a_database_that_is_not_empty(world, media, tmp_path, capsys):
    call_command("backup", "--output", str(tmp_path))
    archive = capsys.readouterr().out.strip()
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", archive)
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
