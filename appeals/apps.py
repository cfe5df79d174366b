from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = "诉求"

    def ready(self) -> None:
        from appeals import receivers  # noqa: F401  (connects to areas.signals.area_moved)
