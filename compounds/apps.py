from django.apps import AppConfig


class CompoundsConfig(AppConfig):
    name = "compounds"
    verbose_name = "小区与红色物业"
