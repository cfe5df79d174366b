"""A need is served when its service order is closed (rated), and open again if the order is withdrawn."""

from __future__ import annotations

from appeals.models import Status
from needs.models import Need


def on_appeal_changed(sender, appeal, event, **kwargs) -> None:
    if appeal.need_id is None:
        return
    if appeal.status == Status.CLOSED:
        Need.objects.filter(pk=appeal.need_id, status=Need.Status.ORDERED).update(status=Need.Status.SERVED)
    elif appeal.status == Status.WITHDRAWN:
        Need.objects.filter(pk=appeal.need_id, status=Need.Status.ORDERED).update(status=Need.Status.CLOSED)
