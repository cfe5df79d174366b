from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "sites"
    verbose_name = "党群服务阵地"
