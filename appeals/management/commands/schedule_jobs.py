from django.core.management.base import BaseCommand

from appeals.tasks import schedule_supervision
from evaluation.tasks import schedule_monthly_reports
from triage.tasks import schedule_early_warning


class Command(BaseCommand):
    help = "Queue the recurring supervision sweep (督办) for the background worker, unless already queued."

    def handle(self, *args, **options):
        queued = schedule_supervision()
        self.stdout.write("督办巡查已排队" if queued else "督办巡查已在队列中")
        self.stdout.write("月度评单通报已排队" if schedule_monthly_reports() else "月度评单通报已在队列中")
        self.stdout.write("诉求预警扫描已排队" if schedule_early_warning() else "诉求预警扫描已在队列中")
