"""Evaluation figures kept fresh incrementally: one fact row per appeal and a monthly cube of sums.

``AppealFact`` holds, for one appeal (or 三库联动 service order: ``kind``), the dimensions it is counted under
and its 0/1 contribution to every measure (see ``evaluation.facts``). ``FigureCube`` holds the sums of those
contributions by kind × month of submission × area (grid or community path) × handling unit × top-level
category × channel, with histogram buckets of the time to first contact and to completion, and the same sums
at coarser grains (``GRAINS``). The receiver of ``appeals.signals.appeal_changed`` moves an appeal's
contribution from its old cube cells to its new ones in the step's own transaction; ``manage.py
rebuild_figures`` recomputes both tables from the appeal rows with set-based SQL.

Dimension ids are plain integers with 0 for "none" (no grid, no unit, no category), so cube keys stay unique
without NULLs on every database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal, Kind
from areas.models import Area

# Measures: each a small integer per appeal (0 or 1), summed in the cube. Definitions in evaluation.figures.
MEASURES = (
    "counted",  # 受理数: not merged, not withdrawn
    "merged",
    "withdrawn",
    "contacted",
    "response_due",  # 应响应数
    "responded",  # 按时响应数
    "rated",
    "resolved",
    "satisfied",
    "basically",
    "done",  # 已办结数 (completed or closed)
    "due",  # 应办结数
    "on_time",
    "overdue",
    "open",
    "reopened",
    "reopen_base",
    "whistled",
    "returned",
    "answered",
)
DIMENSIONS = ("kind", "month", "area_path", "subdistrict", "community", "grid", "unit", "category", "channel")
CUBE_KEY = ("kind", "month", "area_path", "unit", "category", "channel")

# The cube is kept at several grains. The full grain has one row per month × area × unit × category × channel;
# each coarser grain sums that over the dimensions it leaves out, which then hold ALL / ALL_CHANNEL, so a
# dashboard reads a few hundred rows per month instead of tens of thousands. A cell of the full grain and
# the coarser cells it adds to are updated together (``evaluation.facts``); ``rebuild_figures`` recomputes all.
ALL = -1  # "every unit" / "every category" in a coarser row (0 already means "none")
ALL_CHANNEL = "*"
ROLLED = {"unit": ALL, "category": ALL, "channel": ALL_CHANNEL}
GRAINS: dict[str, tuple[str, ...]] = {  # grain → the dimensions it keeps besides month and area
    "area": (),
    "unit": ("unit",),
    "category": ("category",),
    "channel": ("channel",),
    "full": ("unit", "category", "channel"),
}


def grain_for(dimensions: set[str]) -> str:
    """The coarsest grain that keeps every one of ``dimensions`` (of unit, category, channel)."""
    for grain, kept in GRAINS.items():
        if dimensions <= set(kept):
            return grain
    raise ValueError(f"no grain keeps {sorted(dimensions)}")


def grain_key(values: dict, grain: str) -> dict:
    """The cube key of the cell of ``grain`` that the full-grain key in ``values`` adds to."""
    kept = GRAINS[grain]
    return {
        "grain": grain,
        "kind": values["kind"],
        "month": values["month"],
        "area_path": values["area_path"],
        **{d: values[d] if d in kept else ROLLED[d] for d in ROLLED},
    }


# Histogram bucket upper bounds in seconds: 15 min … 90 days, then one open bucket above.
BUCKET_BOUNDS = tuple(
    int(h * 3600)
    for h in (0.25, 0.5, 1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720, 1080, 1440, 2160)
)
BUCKETS = len(BUCKET_BOUNDS) + 1
CONTACT_BUCKETS = tuple(f"contact_h{i}" for i in range(BUCKETS))
CLOSE_BUCKETS = tuple(f"close_h{i}" for i in range(BUCKETS))


def bucket_of(seconds: int | None) -> int:
    """The histogram bucket of a duration: the first bound it does not exceed; -1 for none."""
    if seconds is None:
        return -1
    for i, bound in enumerate(BUCKET_BOUNDS):
        if seconds <= bound:
            return i
    return BUCKETS - 1


class AppealFact(models.Model):
    appeal = models.OneToOneField(Appeal, primary_key=True, on_delete=models.CASCADE, related_name="fact")
    kind = models.CharField(max_length=16, default=Kind.APPEAL)  # appeals and service orders counted apart
    month = models.DateField(_("提交月份"))
    area_path = models.CharField(max_length=255)
    subdistrict = models.IntegerField(default=0)
    community = models.IntegerField(default=0)
    grid = models.IntegerField(default=0)
    unit = models.IntegerField(default=0)
    category = models.IntegerField(default=0)  # the top-level category
    category_leaf = models.IntegerField(default=0)
    channel = models.CharField(max_length=16)
    contact_seconds = models.BigIntegerField(null=True)
    close_seconds = models.BigIntegerField(null=True)
    contact_bucket = models.SmallIntegerField(default=-1)
    close_bucket = models.SmallIntegerField(default=-1)

    for _name in MEASURES:
        locals()[_name] = models.SmallIntegerField(default=0)
    del _name

    class Meta:
        verbose_name = _("诉求统计事实")
        verbose_name_plural = _("诉求统计事实")
        indexes = [models.Index(fields=["month", "area_path"], name="fact_month_path")]

    def __str__(self) -> str:
        return f"fact #{self.appeal_id}"


class FigureCube(models.Model):
    grain = models.CharField(max_length=8, default="full")
    kind = models.CharField(max_length=16, default=Kind.APPEAL)
    month = models.DateField()
    area_path = models.CharField(max_length=255)
    subdistrict = models.IntegerField(default=0)
    community = models.IntegerField(default=0)
    grid = models.IntegerField(default=0)
    unit = models.IntegerField(default=0)
    category = models.IntegerField(default=0)
    channel = models.CharField(max_length=16)

    for _name in (*MEASURES, *CONTACT_BUCKETS, *CLOSE_BUCKETS):
        locals()[_name] = models.IntegerField(default=0)
    del _name

    class Meta:
        verbose_name = _("月度统计")
        verbose_name_plural = _("月度统计")
        constraints = [models.UniqueConstraint(fields=["grain", *CUBE_KEY], name="cube_grain_cell_unique")]
        indexes = [models.Index(fields=["grain", "kind", "month", "area_path"], name="cube_grain_month_path")]

    def __str__(self) -> str:
        return (
            f"{self.grain} {self.month:%Y-%m} {self.area_path} u{self.unit} c{self.category} {self.channel}"
        )


class FigureDelta(models.Model):
    """One appeal step's change to the cube at the full grain: inserted by the step, never updated.

    A step writes only rows of its own (its appeal's fact row and these), so concurrent steps on appeals of the
    same area never wait on a shared cube row. ``evaluation.fold.fold_deltas`` (the ``fold_figures`` job) adds
    claimed deltas to the cube cells of every grain and deletes them in one transaction; every read sums the
    cube and the deltas not yet folded in one statement (``evaluation.selectors.Cells``), so figures are exact
    at every moment. Values are signed: a step that moves an appeal between cells writes −old and +new.
    """

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=16, default=Kind.APPEAL)
    month = models.DateField()
    area_path = models.CharField(max_length=255)
    subdistrict = models.IntegerField(default=0)
    community = models.IntegerField(default=0)
    grid = models.IntegerField(default=0)
    unit = models.IntegerField(default=0)
    category = models.IntegerField(default=0)
    channel = models.CharField(max_length=16)

    for _name in (*MEASURES, *CONTACT_BUCKETS, *CLOSE_BUCKETS):
        locals()[_name] = models.IntegerField(default=0)
    del _name

    class Meta:
        verbose_name = _("统计增量")
        verbose_name_plural = _("统计增量")
        indexes = [models.Index(fields=["kind", "month", "area_path"], name="delta_month_path")]

    def __str__(self) -> str:
        return f"delta #{self.pk} {self.month:%Y-%m} {self.area_path}"


def report_path(instance: MonthlyReport, filename: str) -> str:
    return f"reports/{instance.month:%Y-%m}/{instance.area.code}/{filename}"


class MonthlyReport(models.Model):
    """评单通报: one month's evaluation report of one area, as PDF and Excel, generated by the worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    month = models.DateField(_("月份"))
    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    pdf = models.FileField(_("PDF"), upload_to=report_path, blank=True)
    xlsx = models.FileField(_("Excel"), upload_to=report_path, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_at = models.DateTimeField(_("申请时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评单通报")
        verbose_name_plural = _("评单通报")
        ordering = ["-month", "-requested_at"]
        indexes = [models.Index(fields=["area", "month"], name="report_area_month")]

    def __str__(self) -> str:
        return f"{self.area.name} {self.month:%Y年%m月} 评单通报"

    @property
    def requester(self) -> str:
        """Who asked for it, by name as people know them (never a login name)."""
        user = self.requested_by
        if user is None:
            return "每月自动生成"
        person = getattr(user, "person", None)
        return (person.name if person is not None else "") or user.get_full_name() or "工作人员"
