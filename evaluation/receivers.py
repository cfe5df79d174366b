"""Keep the figures fresh: every step of the appeal loop refreshes that appeal's fact and cube cells."""

from __future__ import annotations

from django.dispatch import receiver

from appeals.models import Kind
from appeals.signals import appeal_changed, replaying
from evaluation.facts import refresh_fact


@receiver(appeal_changed, dispatch_uid="evaluation.refresh_fact")
def on_appeal_changed(sender, appeal, event, **kwargs) -> None:
    if replaying():  # a bulk replay (the demo) runs ``rebuild_figures`` once at the end instead
        return
    if appeal.kind != Kind.APPEAL:  # service orders are counted on their providers' records, not in the 三率
        return
    # A whistle adds parts; otherwise the fact row already remembers whether the appeal was whistled.
    refresh_fact(appeal, whistled=True if event.action == "whistle" else False)
