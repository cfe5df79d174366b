from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "操作记录"

    def ready(self) -> None:
        from audit import receivers  # noqa: F401  (lockouts)
