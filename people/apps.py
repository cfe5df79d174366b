from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "人员"

    def ready(self) -> None:
        from people import receivers  # noqa: F401  (connects to areas.signals.area_moved)
