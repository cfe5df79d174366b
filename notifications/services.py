"""Sending notifications: one inbox row per user, and an email where the user has an address."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import QuerySet
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


def notify_selected(*, users: QuerySet, title: str, body: str = "", url: str = "") -> int:
    """``notify`` for recipients given as a query (the staff of an area, say): on PostgreSQL the inbox rows are
    written straight from the query and the recipients' addresses read back in the same statement, one round trip
    instead of reading the users first. Same rows, same emails as ``notify``."""
    if connection.vendor != "postgresql":
        return notify(users=users, title=title, body=body, url=url)
    quote = connection.ops.quote_name
    model = users.model
    users_table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    email = quote(model._meta.get_field("email").column)
    chosen, params = users.filter(is_active=True).order_by().values("pk").query.sql_with_params()
    sql = (
        f"WITH added AS (INSERT INTO {quote(Notification._meta.db_table)} (user_id, created_at, title, body, url)"
        f" SELECT DISTINCT u.{pk}, %s, %s, %s, %s FROM {users_table} u WHERE u.{pk} IN ({chosen})"
        f" RETURNING user_id) SELECT u.{email} FROM added JOIN {users_table} u ON u.{pk} = added.user_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [clock.now(), title[:200], body, url, *params])
        emails = [row[0] for row in cursor.fetchall()]
    from jobs.mail import queue_email

    queue_email(subject=f"[邻里] {title}", body=body, recipients=emails, url=url)
    return len(emails)


@transaction.atomic
def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
