from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError

from areas.models import Area
from evaluation.pdf import write_pdf
from evaluation.report import report_content
from evaluation.report_xlsx import write_xlsx
from evaluation.selectors import parse_period


class Command(BaseCommand):
    help = (
        "Write the monthly evaluation report (评单通报) of one month and area as PDF and Excel into a folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--area", help="area code (default: the district at the root of the tree)")
        parser.add_argument("--out", required=True, help="folder to write the two files into")

    def handle(self, *args, month, area, out, **options):
        try:
            first = parse_period(month).start
        except ValidationError as exc:
            raise CommandError(f"--month 应为 YYYY-MM，收到 {month!r}") from exc
        node = (
            Area.objects.filter(code=area).first()
            if area
            else Area.objects.filter(parent__isnull=True).order_by("path").first()
        )
        if node is None:
            raise CommandError(f"找不到区域 {area!r}" if area else "还没有区域")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        content = report_content(node, first)
        try:
            pdf = write_pdf(content)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        stem = f"{node.code}-{first:%Y-%m}"
        (folder / f"{stem}.pdf").write_bytes(pdf)
        (folder / f"{stem}.xlsx").write_bytes(write_xlsx(content))
        self.stdout.write(f"{content.title}: {folder / stem}.pdf, {folder / stem}.xlsx")
