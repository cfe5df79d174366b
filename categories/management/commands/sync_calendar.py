"""``manage.py sync_calendar 2026 [2027 …]``: fill the work calendar with the official holidays and 调休 days.

Idempotent; the administrator's own days (本地调整) are kept. A year the installed ``chinesecalendar`` does not
know yet is left to Monday–Friday, with a warning.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from categories.calendar_sync import PACKAGE, known_years, package_version, sync_year


class Command(BaseCommand):
    help = "Sync the work calendar (工作日历) of the given years from the official holiday schedule."

    def add_arguments(self, parser) -> None:
        parser.add_argument("years", nargs="+", type=int, help="years to sync, e.g. 2026 2027")

    def handle(self, *args, years: list[int], **options) -> None:
        bad = [y for y in years if not 1900 <= y <= 2200]
        if bad:
            raise CommandError(f"年份不对：{', '.join(map(str, bad))}（应为四位年份，如 2026）")
        known = known_years()
        for year in sorted(set(years)):
            try:
                result = sync_year(year)
            except IntegrityError as exc:  # another sync of the same year wrote the same day first
                raise CommandError(
                    f"{year} 年的同步与同时进行的另一次同步冲突，该年未写入；请再运行一次"
                ) from exc
            if not result.known:
                self.stderr.write(
                    self.style.WARNING(
                        f"{year} 年：{PACKAGE} {package_version()} 还没有该年的放假安排"
                        f"（收录 {known[0]}–{known[-1]} 年），该年按周一至周五为工作日计算办结时限；"
                        "国务院办公厅公布安排后请升级该包再同步，或由管理员在工作日历中逐日设置。"
                        + (f"已保留本地调整 {result.local} 天。" if result.local else "")
                    )
                )
                continue
            self.stdout.write(
                f"{year} 年工作日历：新增 {result.created} 天，更正 {result.updated} 天，"
                f"删除 {result.deleted} 天，未变 {result.unchanged} 天；保留本地调整 {result.local} 天"
            )
