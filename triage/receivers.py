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


# ---- what triage keeps in memory (``triage.tables``) follows the rows it was read from -------------------------
def _tables_changed(sender, **kwargs) -> None:
    from triage.tables import tables_changed

    tables_changed()


def _appeal_saved(sender, instance, **kwargs) -> None:
    from triage.tables import history_changed

    history_changed(instance.community_id)


def follow(*models, through=()) -> None:
    """A change to a row of these models (saved, deleted, or a many-to-many ``through`` row ticked) moves the
    tables' stamp: every process reads the tables, and what other apps derive from them, again."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        uid = f"triage.tables.{model._meta.label}"
        post_save.connect(_tables_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_tables_changed, sender=model, dispatch_uid=f"{uid}.delete")
    for table in through:
        m2m_changed.connect(_tables_changed, sender=table, dispatch_uid=f"triage.tables.{table._meta.label}")


def _connect_memory() -> None:
    from django.db.models.signals import post_delete, post_save

    from appeals.models import Appeal
    from areas.models import Area
    from categories.models import Category
    from triage.models import RoutingRule
    from units.models import Unit

    follow(Category, Area, Unit, RoutingRule, through=(Unit.areas_served.through, Unit.categories.through))
    area_moved.connect(_tables_changed, dispatch_uid="triage.tables.area_moved")
    post_save.connect(_appeal_saved, sender=Appeal, dispatch_uid="triage.history.appeal.save")
    post_delete.connect(_appeal_saved, sender=Appeal, dispatch_uid="triage.history.appeal.delete")


_connect_memory()
