"""Staff who triage or dispatch an appeal with a category confirm its label: that becomes labelled history.

Listens to ``appeals.signals.appeal_changed`` (sent inside the step's transaction, after its event row), so the
example commits or rolls back with the step. Cheap: one upsert, only for triage and dispatch steps.
"""

from __future__ import annotations

from django.dispatch import receiver

from appeals.signals import appeal_changed
from areas.signals import area_moved, replace_prefix

CONFIRMING_ACTIONS = {"triage", "dispatch"}


@receiver(appeal_changed, dispatch_uid="triage.labelled_history")
def record_confirmed_category(sender, *, appeal, event, **kwargs) -> None:
    if event.action not in CONFIRMING_ACTIONS or appeal.category_id is None:
        return
    from triage.services import labelled_example_record

    dispatched = event.action == "dispatch" and appeal.unit_id is not None
    labelled_example_record(appeal=appeal, user=event.actor, at=event.at, dispatched=dispatched)


@receiver(area_moved, dispatch_uid="triage.warnings_follow_area")
def warnings_follow_area(sender, *, area, old_path: str, new_path: str, **kwargs) -> None:
    """Early warnings of a moved grid or community go to the staff above its new place."""
    from triage.models import EarlyWarning

    EarlyWarning.objects.filter(area_path__startswith=old_path).update(
        area_path=replace_prefix("area_path", old_path, new_path)
    )
