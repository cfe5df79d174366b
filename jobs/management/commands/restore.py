"""``manage.py restore ARCHIVE [--force]``: restore a backup into an empty database and MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobs.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore an archive written by `manage.py backup` into the (empty) database DATABASE_URL names"

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite a database that has tables and a non-empty MEDIA_ROOT",
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        if not archive.is_file():
            raise CommandError(f"找不到备份文件 {archive}")
        try:
            done = restore(archive, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        total = sum(done.rows.values())
        self.stdout.write(
            f"已恢复：{len(done.rows)} 张表共 {total} 行（与备份一致），{done.media_files} 个媒体文件"
        )
