"""``manage.py triage train|evaluate|ensure-model``: the category model's life cycle."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from triage import classifier, leaf
from triage.models import LabelledExample
from triage.services import leaf_train, model_train

DEMO_TRAINING_FILE = "tipdm2020/train_tokenized.csv"


class Command(BaseCommand):
    help = "训练、评估诉求分类模型（train / evaluate / ensure-model）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train and store the model")
        train.add_argument("--csv", action="append", default=[], help="title,body,label or tokens,label")
        train.add_argument("--with-history", action="store_true", help="also staff-confirmed appeals")
        evaluate = sub.add_parser("evaluate", help="evaluate the stored model")
        evaluate.add_argument("--csv", action="append", required=True)
        sub.add_parser(
            "ensure-model",
            help="train the level-1 model if none is stored (shared data, else history); the leaf model",
        )

    def handle(self, *args, action: str, **options):
        try:
            if action == "train":
                self._train(options["csv"], options["with_history"])
            elif action == "evaluate":
                self._evaluate(options["csv"])
            else:
                self._ensure()
        except classifier.DataError as exc:
            raise CommandError(f"{exc}（已保存的模型未改变）" if action == "train" else str(exc)) from exc

    def _train(self, paths: list[str], with_history: bool) -> None:
        if not paths and not with_history:
            raise CommandError("请用 --csv 指定训练文件（可多次），或加 --with-history")
        model = model_train(csv_paths=paths, with_history=with_history)
        total = sum(model["counts"].values())
        self.stdout.write(f"已训练：{total} 条，{len(model['labels'])} 类，保存到 {classifier.model_path()}")

    def _evaluate(self, paths: list[str]) -> None:
        model = classifier.load()
        if model is None:
            raise CommandError(f"没有已训练的模型（{classifier.model_path()}）：请先运行 triage train")
        report = classifier.evaluate(model, classifier.read_csvs(paths))
        for line in report.lines():
            self.stdout.write(line)

    def _ensure(self) -> None:
        """The level-1 model from the shared data, else from the database's own labelled history (a clone without
        ``../shared`` still gets suggestions); then the leaf model, trained again on every run (it is quick)."""
        if classifier.model_path().exists() and classifier.load() is not None:
            self.stdout.write("分类模型已存在")
        else:
            if classifier.model_path().exists():
                self.stdout.write("已保存的分类模型是旧版本或无法读取，重新训练")
            data = settings.SHARED_DATA_DIR / DEMO_TRAINING_FILE
            if data.exists():
                self._train([str(data)], with_history=False)
            elif LabelledExample.objects.exists():
                self.stdout.write(f"没有训练数据（{data}），用本系统已确认的历史诉求训练")
                self._train([], with_history=True)
            else:
                self.stdout.write(f"没有训练数据（{data}），也还没有已确认的历史诉求，跳过分类模型")
        try:
            model = leaf_train()
        except classifier.DataError as exc:
            self.stdout.write(f"末级类别模型未训练：{exc}")
        else:
            self.stdout.write(
                f"末级类别模型：历史 {model['history']} 条，{len(model['classes'])} 个类别，保存到 {leaf.model_path()}"
            )
