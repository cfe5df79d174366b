from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "智能分拨"

    def ready(self) -> None:
        from triage import receivers  # noqa: F401  (connects to appeals.signals.appeal_changed)
