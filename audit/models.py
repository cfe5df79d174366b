"""One row per change to the register (areas, units, people, roles, imports): who, when, what, and the details."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("操作"), max_length=40)
    object_type = models.CharField(_("对象类型"), max_length=40)
    object_id = models.CharField(_("对象"), max_length=40, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


def record(
    *, actor: Any, action: str, obj: models.Model | None = None, summary: str = "", **data: Any
) -> AuditEvent:
    """Write an audit row; call it inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        data={
            k: (v if isinstance(v, (str, int, float, bool, type(None), list, dict)) else str(v))
            for k, v in data.items()
        },
    )


class PersonalDataView(models.Model):
    """PIPL access log: one row each time somebody is shown a resident's full phone, address or statement — who,
    when, whose, what, and where (the page or API call). Written by ``audit.access_log``; read by the
    administrator in the admin (个人信息查看记录) and exported from there. ``subject`` names the record shown when
    it is not the register's person (a dispute's party, who may not be on the register)."""

    class Field(models.TextChoices):
        PHONE = "phone", _("完整电话")
        ADDRESS = "address", _("住址")
        ID_NUMBER = "id_number", _("身份证号")
        STATEMENT = "statement", _("纠纷陈述")

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("被查看人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    field = models.CharField(_("信息"), max_length=16, choices=Field.choices)
    subject = models.CharField(_("所在记录"), max_length=60, blank=True)
    where = models.CharField(_("页面或接口"), max_length=200, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "at"], name="pdv_person_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} → {self.person} {self.get_field_display()}"


class PrivacyConsent(models.Model):
    """A resident's consent to the privacy notice of a given version, and their optional choices."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="consents"
    )
    version = models.CharField(_("告知书版本"), max_length=20)
    at = models.DateTimeField(_("同意时间"))
    choices = models.JSONField(_("可选项"), default=dict, blank=True)

    class Meta:
        verbose_name = _("隐私告知同意")
        verbose_name_plural = _("隐私告知同意")
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="consent_once_per_version")]

    def __str__(self) -> str:
        return f"{self.user} · {self.version}"


class ErasureRequest(models.Model):
    """A resident asks for their account and personal data to be removed; community staff carry it out
    (``audit.erasure``): the person is anonymised, their appeals stay for the figures with personal fields blank."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        DONE = "done", _("已删除")
        REFUSED = "refused", _("不予删除")

    person = models.ForeignKey(
        "people.Person", verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="erasure_requests"
    )
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    requested_at = models.DateTimeField(_("申请时间"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.CharField(_("处理说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("个人信息删除申请")
        verbose_name_plural = _("个人信息删除申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="pending"), name="one_pending_erasure"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"
