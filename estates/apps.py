from django.apps import AppConfig


class EstatesConfig(AppConfig):
    name = "estates"
    verbose_name = "小区与物业"
