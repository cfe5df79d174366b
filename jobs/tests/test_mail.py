"""Email from the worker: queued when the transaction commits, sent by the worker, retried when SMTP fails."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.mail import absolute, queue_email
from jobs.tests.tasks import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

TASK = "jobs.mail.send_email_task"
REFUSALS = {"left": 0}


class FlakyBackend(EmailBackend):
    """The locmem backend behind an SMTP server that drops the first connections."""

    def send_messages(self, messages):
        if REFUSALS["left"]:
            REFUSALS["left"] -= 1
            raise smtplib.SMTPServerDisconnected("连接被关闭")
        return super().send_messages(messages)


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "jobs.tests.test_mail.FlakyBackend"
    settings.LINLI_SITE_URL = "https://linli.example.cn"
    REFUSALS["left"] = 0
    return REFUSALS


def test_an_email_is_queued_on_commit_and_sent_by_the_worker(smtp):
    # Given a service that writes a notification inside its transaction
    with transaction.atomic():
        assert (
            queue_email(
                subject="[邻里] 诉求已派单",
                body="您的诉求已派给物业。",
                recipients=["a@example.cn", ""],
                url="/appeals/7/",
            )
            == 1
        )
        assert not DBTaskResult.objects.filter(task_path=TASK).exists()  # nothing before the commit
    # When the worker runs
    assert mail.outbox == []
    run_worker()
    # Then the email went out from the worker, with an absolute link
    [sent] = mail.outbox
    assert sent.to == ["a@example.cn"] and sent.subject == "[邻里] 诉求已派单"
    assert sent.body.endswith("https://linli.example.cn/appeals/7/")


def test_a_rolled_back_transaction_sends_nothing(smtp):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(subject="x", body="y", recipients=["a@example.cn"])
        raise RuntimeError("the service refused")
    assert not DBTaskResult.objects.filter(task_path=TASK).exists()


def test_a_failed_send_is_retried_later(smtp):
    # Given an SMTP server that drops the first connection
    smtp["left"] = 1
    queue_email(subject="[邻里] 提醒", body="请及时接单。", recipients=["b@example.cn"])
    # When the worker runs: the send fails, is recorded, and the same email waits for a later attempt
    run_worker()
    assert mail.outbox == []
    assert DBTaskResult.objects.get(task_path=TASK, status="FAILED").exception_class_path.endswith(
        "SMTPServerDisconnected"
    )
    retry = DBTaskResult.objects.get(task_path=TASK, status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2 and retry.run_after > timezone.now()
    # When the retry is due, the email goes out once
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    run_worker()
    assert [m.to for m in mail.outbox] == [["b@example.cn"]]


def test_retries_end_after_the_last_attempt(smtp, settings):
    settings.LINLI_EMAIL_RETRIES = 2
    smtp["left"] = 5
    queue_email(subject="s", body="b", recipients=["c@example.cn"])
    run_worker()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - timedelta(seconds=1))
    run_worker()
    assert DBTaskResult.objects.filter(task_path=TASK, status="FAILED").count() == 2
    assert not DBTaskResult.objects.filter(task_path=TASK, status="READY").exists()


def test_links_are_made_absolute(settings):
    settings.LINLI_SITE_URL = "https://linli.example.cn"
    assert absolute("/hub/") == "https://linli.example.cn/hub/"
    assert absolute("https://other.example/x") == "https://other.example/x"
    assert absolute("") == ""
