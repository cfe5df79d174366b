"""``manage.py backup [--output DIR]``: the database and the media in one dated archive (see jobs/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jobs.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or SQLite's online backup) and MEDIA_ROOT into one dated .tar.gz"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(getattr(settings, "LINLI_BACKUP_DIR", settings.VAR_DIR / "backups")),
            help="directory for the archive (default: LINLI_BACKUP_DIR, else var/backups)",
        )

    def handle(self, *args, output: Path, **options):
        try:
            archive = backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(archive))
