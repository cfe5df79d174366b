"""Sending notifications: one inbox row per user, and an email where the user has an address."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from linli import clock
from notifications.models import Notification


def notify(*, users: Iterable, title: str, body: str = "", url: str = "") -> int:
    """Write inbox rows now; send email after the surrounding transaction commits (never inside it)."""
    recipients = {u.pk: u for u in users if u is not None and u.is_active}.values()
    Notification.objects.bulk_create(
        [
            Notification(user=u, title=title[:200], body=body, url=url, created_at=clock.now())
            for u in recipients
        ]
    )
    from jobs.mail import queue_email  # sent by the worker after commit, retried on failure

    queue_email(subject=f"[邻里] {title}", body=body, recipients=[u.email for u in recipients], url=url)
    return len(recipients)


@transaction.atomic
def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
