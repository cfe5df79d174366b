"""``manage.py load_demo``: load the demo district (青山区) and print the demo logins.

Refuses unless settings.DEMO_MODE is on (it never is with DEBUG off). Running it again finds the district
and only prints the logins.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from demo.loader import DemoModeOff, load_demo_district, run_demo_steps
from demo.logins import format_logins


class Command(BaseCommand):
    help = "Load the demo district (青山区: subdistricts, communities, grids, people, units, logins) once."

    def handle(self, *args, **options) -> None:
        try:
            district = load_demo_district(stdout=self.stdout)
            run_demo_steps(district, stdout=self.stdout)
        except DemoModeOff as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            # e.g. a username the demo wants is already taken by a real account; nothing was written
            raise CommandError(f"演示数据未加载 (demo data not loaded): {'; '.join(exc.messages)}") from exc
        if not district.created:
            self.stdout.write(
                f"演示区 {district.district.name} 已存在 (already loaded: {district.district.code})"
            )
        self.stdout.write(format_logins(district.logins()))
