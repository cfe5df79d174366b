"""Votes (表决) of residents or owners on a topic, their options and ballots (online or on paper).

One ballot per household (or per person) is enforced by a unique ``voter_key`` ("h<household id>" or
"p<person id>"), so an online ballot and a paper one for the same household can never both exist.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Building, Household
from deliberation.models.topic import Topic
from people.models import Person


class Vote(models.Model):
    class Electorate(models.TextChoices):
        BUILDINGS = "buildings", _("指定楼栋的住户")
        OWNERS = "owners", _("业主")
        RESIDENTS = "residents", _("全体居民")

    class Matter(models.TextChoices):
        """民法典第二百七十八条: which rule counts an owners' vote (blank: not an owners' joint matter)."""

        NONE = "", _("一般表决（过半数同意）")
        ORDINARY = "ordinary", _("业主共同决定·一般事项（双过半）")
        WEIGHTY = "weighty", _("业主共同决定·重大事项（双四分之三）")

    class Status(models.TextChoices):
        OPEN = "open", _("表决中")
        CLOSED = "closed", _("已结束")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="votes")
    title = models.CharField(_("表决事项"), max_length=120)
    question = models.TextField(_("表决内容"), max_length=3000)
    electorate = models.CharField(_("表决范围"), max_length=16, choices=Electorate.choices)
    buildings = models.ManyToManyField(Building, verbose_name=_("楼栋"), blank=True, related_name="+")
    one_per_household = models.BooleanField(_("每户一票"), default=True)
    matter = models.CharField(_("表决规则"), max_length=16, choices=Matter.choices, blank=True, default="")
    secret = models.BooleanField(_("不记名投票（截止前不公布结果）"), default=False)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    result = models.JSONField(_("表决结果"), null=True, blank=True)  # frozen when the vote is closed
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("发起时间"))

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="vote_period")
        ]

    def __str__(self) -> str:
        return self.title

    def accepts_ballots(self, now: datetime) -> bool:
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    def is_over(self, now: datetime) -> bool:
        return self.status == self.Status.CLOSED or now >= self.closes_at


class VoteOption(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(_("顺序"))
    label = models.CharField(_("选项"), max_length=60)
    is_approval = models.BooleanField(_("表示同意"), default=False)

    class Meta:
        verbose_name = _("表决选项")
        verbose_name_plural = _("表决选项")
        ordering = ["vote", "order"]
        constraints = [models.UniqueConstraint(fields=["vote", "order"], name="vote_option_order")]

    def __str__(self) -> str:
        return self.label


class Ballot(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("线上投票")
        PAPER = "paper", _("纸质选票")

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    option = models.ForeignKey(VoteOption, on_delete=models.PROTECT, related_name="ballots")
    voter_key = models.CharField(max_length=24)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    floor_area = models.DecimalField(_("专有部分面积"), max_digits=8, decimal_places=2, null=True, blank=True)
    channel = models.CharField(_("方式"), max_length=8, choices=Channel.choices)
    cast_at = models.DateTimeField(_("投票时间"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        constraints = [models.UniqueConstraint(fields=["vote", "voter_key"], name="ballot_one_per_voter")]

    def __str__(self) -> str:
        return f"{self.vote} · {self.voter_key}"
