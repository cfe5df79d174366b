from django.core.management.base import BaseCommand

from evaluation.rebuild import rebuild_figures


class Command(BaseCommand):
    help = "Recompute the evaluation facts and the monthly cube from the appeal rows (after imports, area moves)."

    def handle(self, *args, **options):
        facts, cells = rebuild_figures()
        if options["verbosity"]:
            self.stdout.write(f"已重建统计：{facts} 件诉求，{cells} 个统计单元")
