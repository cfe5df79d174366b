from django.core.management.base import BaseCommand

from linli.schedule import ensure_all, job_named


class Command(BaseCommand):
    help = "Queue every recurring job of linli.schedule (督办巡查、预警扫描、月度通报 …) for the worker, unless queued."

    def handle(self, *args, **options):
        for name, queued in ensure_all().items():
            self.stdout.write(f"{job_named(name).title}：{'已排队' if queued else '已在队列中'}")
