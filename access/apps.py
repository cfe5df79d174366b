from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "角色与权限"

    def ready(self) -> None:
        from access import receivers  # noqa: F401  (token revocation on logout and role removal)
