"""Email goes out from the worker, never from the web request, and a failed send is retried.

``queue_email`` (call it inside the service's transaction) queues one ``send_email_task`` per recipient once
the transaction commits; the worker sends it through Django's email backend (SMTP settings in
``linli.settings``). An SMTP or network error is logged and the same email is queued again after 1, 4, 16 …
minutes (``LINLI_EMAIL_RETRIES`` attempts in all, default 5); the task row records each failure.
Links in the text are made absolute with ``LINLI_SITE_URL``: a relative path means nothing in a mailbox.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)


def absolute(url: str) -> str:
    """``/appeals/12/`` → ``https://linli.example.cn/appeals/12/``; an absolute URL or an empty one unchanged."""
    if not url or "://" in url:
        return url
    return f"{settings.LINLI_SITE_URL}/{url.lstrip('/')}"


def queue_email(*, subject: str, body: str, recipients: Iterable[str], url: str = "") -> int:
    """After the surrounding transaction commits, queue one email per address. Returns how many will be queued."""
    addresses = sorted({r.strip() for r in recipients if r and r.strip()})
    text = f"{body}\n\n{absolute(url)}".strip()

    def enqueue() -> None:
        for address in addresses:
            send_email_task.enqueue(subject=subject, body=text, to=address)

    if addresses:
        transaction.on_commit(enqueue)
    return len(addresses)


@task()
def send_email_task(subject: str, body: str, to: str, attempt: int = 1) -> int:
    try:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    except OSError as exc:  # smtplib.SMTPException, refused connections and timeouts are all OSErrors
        retries = int(getattr(settings, "LINLI_EMAIL_RETRIES", 5))
        if attempt < retries:
            when = timezone.now() + FIRST_RETRY * (4 ** (attempt - 1))
            send_email_task.using(run_after=when).enqueue(
                subject=subject, body=body, to=to, attempt=attempt + 1
            )
            log.warning("email %r to %s failed (%s); attempt %s at %s", subject, to, exc, attempt + 1, when)
        else:
            log.error("email %r to %s failed %s times, giving up: %s", subject, to, attempt, exc)
        raise
