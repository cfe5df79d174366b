from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = "评单统计"

    def ready(self) -> None:
        from evaluation import receivers  # noqa: F401  (connects to appeals.signals.appeal_changed)
        from evaluation.drill import register_queue_measures

        register_queue_measures()
