from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "页面"

    def ready(self) -> None:
        from web.today import register_queue_filters

        register_queue_filters()  # 即将超时 in the work queue
