from django.apps import AppConfig


class CobuildingConfig(AppConfig):
    name = "cobuilding"
    verbose_name = "共建"
