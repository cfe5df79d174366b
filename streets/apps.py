from django.apps import AppConfig


class StreetsConfig(AppConfig):
    name = "streets"
    verbose_name = "街长制"

    def ready(self) -> None:
        # A change to a street moves triage's stamp: the unit suggestion reads the streets again (streets.routing).
        from streets.routing import follow_streets

        follow_streets()
