from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "needs"
    verbose_name = "需求、供给与服务单"

    def ready(self) -> None:
        from appeals.signals import appeal_changed
        from needs.receivers import on_appeal_changed

        appeal_changed.connect(on_appeal_changed, dispatch_uid="needs.on_appeal_changed")
