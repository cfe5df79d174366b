"""楼院三长 and 中心户长: the people responsible for a building, a unit (entrance) of it, or a group of households.

An appointment (``Steward``) names the person, the building, the post, the households the person covers and the
term; it carries the number of its appointment letter (聘书). When the person has a login, the matching role
(楼长 / 单元长 / 中心户长 at the building) is granted with it and revoked when the term ends.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Building, Household
from people.models import Person


class Steward(models.Model):
    class Post(models.TextChoices):
        BUILDING_HEAD = "building_head", _("楼长")
        UNIT_HEAD = "unit_head", _("单元长")
        HOUSEHOLD_HEAD = "household_head", _("中心户长")

    person = models.ForeignKey(
        Person, verbose_name=_("姓名"), on_delete=models.PROTECT, related_name="stewardships"
    )
    building = models.ForeignKey(
        Building, verbose_name=_("楼栋"), on_delete=models.PROTECT, related_name="stewards"
    )
    post = models.CharField(_("职务"), max_length=16, choices=Post.choices)
    entrance = models.CharField(
        _("单元"), max_length=20, blank=True, help_text=_("单元长所在单元，如“2单元”")
    )
    households = models.ManyToManyField(
        Household, verbose_name=_("联系户"), related_name="stewards", blank=True
    )
    appointed_on = models.DateField(_("聘任日期"))
    term_ends_on = models.DateField(_("任期至"))
    ended_at = models.DateTimeField(_("卸任时间"), null=True, blank=True)
    letter_no = models.CharField(_("聘书编号"), max_length=40, unique=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("楼院三长")
        verbose_name_plural = _("楼院三长")
        ordering = ["building__code", "post", "id"]

    def __str__(self) -> str:
        return f"{self.building.name} {self.get_post_display()} {self.person.name}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
