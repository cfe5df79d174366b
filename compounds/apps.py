from django.apps import AppConfig


class CompoundsConfig(AppConfig):
    name = "compounds"
    verbose_name = "小区与红色物业"

    def ready(self) -> None:
        # An appeal on a building of a 小区 goes by default to the 小区's firm (compounds.routing).
        from compounds.routing import compound_votes, follow_compounds
        from triage.routing import SOURCES

        if compound_votes not in SOURCES:
            SOURCES.append(compound_votes)
        follow_compounds()
