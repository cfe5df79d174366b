from django.core.management.base import BaseCommand

from disputes.tasks import schedule_dispute_sweep


class Command(BaseCommand):
    help = (
        "Queue the recurring overdue sweep of dispute cases for the background worker, unless already queued."
    )

    def handle(self, *args, **options):
        queued = schedule_dispute_sweep()
        self.stdout.write("纠纷调解超时巡查已排队" if queued else "纠纷调解超时巡查已在队列中")
