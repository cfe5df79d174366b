"""People: residents, workers and party members. A Person need not have a login (a grid worker acts for them)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Household
from people.fields import DigestedModel, DigestField, EncryptedCharField

phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", _("请输入 11 位手机号或带区号的固定电话")
)


def mask_phone(phone: str) -> str:
    """138****5678 for a mobile, 0914-****567 style for a landline: enough to recognise, not to call."""
    if not phone:
        return ""
    if len(phone) == 11 and phone.isdigit():
        return f"{phone[:3]}****{phone[-4:]}"
    return f"{phone[:-7]}****{phone[-3:]}" if len(phone) > 7 else "****"


class Person(DigestedModel):
    class Gender(models.TextChoices):
        FEMALE = "F", _("女")
        MALE = "M", _("男")

    name = models.CharField(_("姓名"), max_length=50)
    # Encrypted at rest (people.crypto); ``filter(phone=…)`` is answered by the digest, the last four digits by
    # ``phone_tail_digest`` (people.models.phone_matches).
    phone = EncryptedCharField(_("电话"), max_length=20, blank=True, validators=[phone_validator])
    phone_digest = DigestField(source="phone", kind="phone", for_lookups=True)
    phone_tail_digest = DigestField(source="phone", kind="phone_tail")
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    is_party_member = models.BooleanField(_("党员"), default=False)
    party_org = models.ForeignKey(
        "units.PartyOrg",
        verbose_name=_("所在党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    households = models.ManyToManyField(
        Household, through="HouseholdMember", verbose_name=_("户"), related_name="people", blank=True
    )
    # The community the person lives in or is registered with; kept in step with households by the services.
    community = models.ForeignKey(
        "areas.Area",
        verbose_name=_("所属社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # 长辈模式 (age-friendly pages: larger type, stronger contrast, bigger targets); the person's own choice,
    # changed only by people.services.person_set_elder_mode.
    elder_mode = models.BooleanField(_("长辈模式"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


def phone_matches(word: str) -> models.Q:
    """People whose phone is ``word`` (a whole number) or ends in it (four digits, "尾号 5678"); matches nobody
    otherwise: the phone is encrypted, so no other part of it can be searched."""
    from people import crypto

    digits = crypto.normalize_phone(word)
    if len(digits) == 4 and digits.isdigit():
        return models.Q(phone_tail_digest=crypto.digest("phone_tail", digits))
    if len(digits) > 4:
        return models.Q(phone=word)
    return models.Q(pk__in=[])


class HouseholdMember(models.Model):
    class Relation(models.TextChoices):
        HEAD = "head", _("户主")
        SPOUSE = "spouse", _("配偶")
        CHILD = "child", _("子女")
        PARENT = "parent", _("父母")
        OTHER = "other", _("其他亲属")
        TENANT = "tenant", _("租户")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    relation = models.CharField(_("关系"), max_length=16, choices=Relation.choices, default=Relation.HEAD)
    is_owner = models.BooleanField(_("业主"), default=False)

    class Meta:
        verbose_name = _("户成员")
        verbose_name_plural = _("户成员")
        constraints = [models.UniqueConstraint(fields=["person", "household"], name="member_unique")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.household}"
