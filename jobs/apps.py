from django.apps import AppConfig


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from jobs import receivers  # noqa: F401  (a worker names itself when it starts a task)
