from django.apps import AppConfig


class StreetsConfig(AppConfig):
    name = "streets"
    verbose_name = "街长制"
