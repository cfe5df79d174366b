"""Keep the figures fresh: every step of the appeal loop refreshes that appeal's fact row and appends its figure
deltas (no shared row is written: ``evaluation.facts``), and a move in the area tree carries the figures under the
moved node along (facts, cube cells and deltas not yet folded)."""

from __future__ import annotations

from django.dispatch import receiver

from appeals.signals import appeal_changed, replaying
from areas.models import Area
from areas.signals import area_moved, enclosing, replace_prefix
from evaluation.facts import refresh_fact


@receiver(appeal_changed, dispatch_uid="evaluation.refresh_fact")
def on_appeal_changed(sender, appeal, event, **kwargs) -> None:
    if replaying():  # a bulk replay (the demo) runs ``rebuild_figures`` once at the end instead
        return
    # A whistle adds parts; otherwise the fact row already remembers whether the appeal was whistled.
    # The submit step inserted the appeal in this transaction: it has no fact row and no parts to look up.
    refresh_fact(appeal, whistled=event.action == "whistle", created=event.action == "submit")


@receiver(area_moved, dispatch_uid="evaluation.follow_area")
def on_area_moved(sender, *, area: Area, old_path: str, new_path: str, **kwargs) -> None:
    """Facts and cube cells under a moved node take its new path, community and subdistrict, in the move's
    transaction: the figures of the old and the new parent are right the moment the move commits."""
    from evaluation.models import AppealFact, FigureCube, FigureDelta

    for model in (AppealFact, FigureCube, FigureDelta):
        model.objects.filter(area_path__startswith=old_path).update(
            area_path=replace_prefix("area_path", old_path, new_path)
        )
    communities = enclosing(new_path, Area.Kind.COMMUNITY)
    subdistricts = enclosing(new_path, Area.Kind.SUBDISTRICT)
    for path, community in communities.items():
        subdistrict = subdistricts[path]
        for model in (AppealFact, FigureCube, FigureDelta):
            model.objects.filter(area_path=path).exclude(community=community, subdistrict=subdistrict).update(
                community=community, subdistrict=subdistrict
            )
