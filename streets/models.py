"""街长制 / 路长制: a street as a place, with its named 街长 and the departments bound to it.

A street runs through grids of a community. Its lead department (the 街长's unit, e.g. 城市管理局) is bound to
the street with the categories it takes there (see ``streets.services`` for why no routing rule is written yet).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from categories.models import Category
from people.models import Person
from units.models import Unit


class Street(models.Model):
    community = models.ForeignKey(
        Area,
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="streets",
        limit_choices_to={"kind": Area.Kind.COMMUNITY},
    )
    name = models.CharField(_("街路名称"), max_length=60)
    section = models.CharField(_("路段"), max_length=100, blank=True, help_text=_("例如：青江路 1–120 号"))
    grids = models.ManyToManyField(
        Area, verbose_name=_("途经网格"), related_name="streets_through", blank=True
    )
    head = models.ForeignKey(
        Person,
        verbose_name=_("街长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="streets_led",
    )
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("牵头部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="streets_led",
    )
    units = models.ManyToManyField(Unit, verbose_name=_("包保部门"), related_name="streets_bound", blank=True)
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("街长负责的诉求类别"),
        related_name="+",
        blank=True,
        limit_choices_to={"parent__isnull": True},
    )
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("街路")
        verbose_name_plural = _("街路")
        ordering = ["community__path", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name", "section"], name="street_unique")]

    def __str__(self) -> str:
        return f"{self.name}{self.section and '（' + self.section + '）'}"
