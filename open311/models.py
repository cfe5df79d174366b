"""Open311 GeoReport v2: the clients' API keys, the services' extra questions, and each request filed through it.

A service is a leaf of the category tree (``categories.Category``); ``ServiceAttribute`` rows are the questions a
service asks beyond the standard fields (the spec's *service definition*). ``ApiKey`` is what the administrator
issues to one client: only its SHA-256 is stored, it files into the areas of its scope only, it may be revoked.
``Open311Request`` ties the appeal a request became to its client, its token and what was posted with it
(position, address, attributes, media_url, the submitter's contact, which is never published).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal
from areas.models import Area
from categories.models import Category
from people.fields import EncryptedCharField

attribute_code = RegexValidator(r"^[A-Za-z0-9_-]{1,40}$", _("代码只能包含字母、数字、横线和下划线"))


class ApiKey(models.Model):
    client = models.CharField(_("客户端名称"), max_length=80)
    owner = models.CharField(_("负责单位或联系人"), max_length=120)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    areas = models.ManyToManyField(Area, verbose_name=_("可提交的区域"), related_name="open311_keys")
    rate_per_minute = models.PositiveSmallIntegerField(
        _("每分钟提交上限"), default=30, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    # The client's service account: the appeals it files are recorded by this user and raised by its Person.
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="open311_key"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("签发时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Open311 密钥")
        verbose_name_plural = _("Open311 密钥")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.client}（{self.prefix}…）"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class ServiceAttribute(models.Model):
    """One extra question of a service (GeoReport v2 ``attribute``)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("短文本")
        NUMBER = "number", _("数字")
        DATETIME = "datetime", _("日期时间")
        TEXT = "text", _("长文本")
        SINGLEVALUELIST = "singlevaluelist", _("单选")
        MULTIVALUELIST = "multivaluelist", _("多选")

    category = models.ForeignKey(
        Category, verbose_name=_("服务（类别）"), on_delete=models.CASCADE, related_name="open311_attributes"
    )
    code = models.CharField(_("代码"), max_length=40, validators=[attribute_code])
    # False: an informational line shown to the submitter, who gives no value for it.
    variable = models.BooleanField(_("需要填写"), default=True)
    datatype = models.CharField(_("数据类型"), max_length=16, choices=Datatype.choices)
    required = models.BooleanField(_("必填"), default=False)
    datatype_description = models.CharField(_("格式说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    description = models.CharField(_("问题"), max_length=300)
    # [{"key": "...", "name": "..."}] for the two list datatypes.
    values = models.JSONField(_("选项"), default=list, blank=True)

    class Meta:
        verbose_name = _("Open311 服务问题")
        verbose_name_plural = _("Open311 服务问题")
        ordering = ["category", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="open311_attribute_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.category.code} · {self.code}"

    def clean(self) -> None:
        listed = self.datatype in (self.Datatype.SINGLEVALUELIST, self.Datatype.MULTIVALUELIST)
        values = self.values if isinstance(self.values, list) else None
        if not listed:
            if values:
                raise ValidationError({"values": _("只有单选和多选的问题有选项")})
            return
        shaped = values is not None and all(
            isinstance(v, dict)
            and set(v) == {"key", "name"}
            and all(isinstance(x, str) and x for x in v.values())
            for v in values
        )
        if not values or not shaped:
            raise ValidationError({"values": _('选项应为 [{"key": "代码", "name": "名称"}, …]，至少一项')})
        if len({v["key"] for v in values}) != len(values):
            raise ValidationError({"values": _("选项的 key 不能重复")})


class Open311Request(models.Model):
    appeal = models.OneToOneField(Appeal, on_delete=models.CASCADE, related_name="open311")
    key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="requests")
    token = models.CharField(max_length=40, unique=True)
    description = models.TextField(max_length=5000)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=10, decimal_places=6, null=True, blank=True)
    address_string = models.CharField(max_length=200, blank=True)
    address_id = models.CharField(max_length=40, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    # The submitter's contact: for the staff who handle the appeal, never in GET requests.
    email = models.EmailField(blank=True)
    phone = EncryptedCharField(max_length=30, blank=True)  # encrypted at rest (people.crypto)
    first_name = models.CharField(max_length=50, blank=True)
    last_name = models.CharField(max_length=50, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("Open311 请求")
        verbose_name_plural = _("Open311 请求")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.key.client} → #{self.appeal_id}"
