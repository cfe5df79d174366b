"""``manage.py hotspots --csv FILE --top N``: the hottest problems of a file of board messages."""

from __future__ import annotations

import csv
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from triage import hotspots

NEEDED = {"id", "user", "title", "body", "submitted_at"}


class Command(BaseCommand):
    help = "从留言文件中找出热点问题（按热度排序）"

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True, help="id,user,title,submitted_at,body[,likes]")
        parser.add_argument("--top", type=int, default=5)

    def handle(self, *args, top: int, **options):
        if top < 1:
            raise CommandError("--top 至少为 1")
        for line in hotspots.table(hotspots.find(read_messages(options["csv"])), top):
            self.stdout.write(line)


def read_messages(path: str) -> list[hotspots.Message]:
    """The file's messages, copies dropped (``hotspots.without_copies``: the board data holds some)."""
    messages = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = NEEDED - set(reader.fieldnames or [])
            if missing:
                raise CommandError(f"{path}: 缺少列 {','.join(sorted(missing))}")
            for row in reader:
                try:
                    at = datetime.fromisoformat(row["submitted_at"])
                    likes = int(row.get("likes") or 0)
                except ValueError as exc:
                    raise CommandError(f"{path} 第 {reader.line_num} 行: {exc}") from exc
                messages.append(
                    hotspots.Message(row["id"], row["user"], row["title"] or "", row["body"] or "", at, likes)
                )
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: 无法读取（{exc}）") from exc
    return hotspots.without_copies(messages)
