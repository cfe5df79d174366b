"""党群服务阵地: the forms of the pages (the API has its serializers). Hours are typed as lines people read."""

from __future__ import annotations

import re
from datetime import datetime, time

from django import forms
from django.utils import timezone

from sites.models import Booking, ServiceRecord, ServiceSite
from sites.services import HoursRow

HOURS_HELP = "每行一个时段：星期 开始-结束，可加“延时”。例如：1-5 08:30-17:30 / 1-5 18:00-20:30 延时 / 6-7 09:00-12:00 延时"
LINE = re.compile(r"^\s*([1-7])(?:\s*-\s*([1-7]))?\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*(延时)?\s*$")


def parse_hours(text: str) -> list[HoursRow]:
    rows: list[HoursRow] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = LINE.match(line)
        if not m:
            raise forms.ValidationError(f"第 {n} 行看不懂：“{line.strip()}”。{HOURS_HELP}")
        first, last = int(m[1]), int(m[2] or m[1])
        try:
            opens, closes = time(int(m[3]), int(m[4])), time(int(m[5]), int(m[6]))
        except ValueError:
            raise forms.ValidationError(f"第 {n} 行的时间不对：“{line.strip()}”") from None
        for day in range(first, last + 1):
            rows.append((day - 1, opens, closes, bool(m[7])))
    return rows


def hours_text(site: ServiceSite) -> str:
    return "\n".join(
        f"{p.weekday + 1} {p.opens:%H:%M}-{p.closes:%H:%M}{' 延时' if p.extended else ''}"
        for p in site.hours.all()
    )


class SiteForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=ServiceSite.Kind.choices)
    name = forms.CharField(label="名称", max_length=100)
    address = forms.CharField(label="地址", max_length=200)
    grid: forms.ModelChoiceField = forms.ModelChoiceField(label="所在网格", queryset=None, required=False)
    lat = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6, required=False)
    lng = forms.DecimalField(label="经度", max_digits=9, decimal_places=6, required=False)
    phone = forms.CharField(label="服务电话", max_length=30, required=False)
    services = forms.CharField(
        label="服务项目（每行一项）", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    hours = forms.CharField(label="开放时间", widget=forms.Textarea(attrs={"rows": 4}), help_text=HOURS_HELP)
    rooms = forms.CharField(
        label="活动室（每行：名称 容纳人数）", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids  # type: ignore[attr-defined]

    def clean_hours(self):
        return parse_hours(self.cleaned_data["hours"])

    def clean_services(self):
        return [s.strip() for s in self.cleaned_data["services"].splitlines() if s.strip()]

    def clean_rooms(self):
        rooms = []
        for line in self.cleaned_data["rooms"].splitlines():
            if not line.strip():
                continue
            parts = line.rsplit(maxsplit=1)
            if len(parts) != 2 or not parts[1].isdigit():
                raise forms.ValidationError(f"“{line.strip()}”：请写成“名称 人数”，如“多功能活动室 40”")
            rooms.append((parts[0], int(parts[1])))
        return rooms


class HoursForm(forms.Form):
    hours = forms.CharField(label="开放时间", widget=forms.Textarea(attrs={"rows": 6}), help_text=HOURS_HELP)

    def clean_hours(self):
        return parse_hours(self.cleaned_data["hours"])


class BookingForm(forms.Form):
    kind = forms.ChoiceField(label="预约", choices=Booking.Kind.choices)
    room: forms.ModelChoiceField = forms.ModelChoiceField(label="活动室", queryset=None, required=False)
    service = forms.ChoiceField(label="服务项目", required=False)
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label="开始", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="结束", widget=forms.TimeInput(attrs={"type": "time"}))
    attendees = forms.IntegerField(label="人数", min_value=1, max_value=10000, initial=1)
    purpose = forms.CharField(label="用途或事项", max_length=200)

    def __init__(self, *args, site: ServiceSite, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = site.rooms.filter(active=True)  # type: ignore[attr-defined]
        self.fields["room"].label_from_instance = lambda r: f"{r.name}（容纳 {r.capacity} 人）"  # type: ignore[attr-defined]
        self.fields["service"].choices = [("", "—")] + [(s, s) for s in site.services]  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start") and data.get("end"):
            data["starts_at"] = timezone.make_aware(datetime.combine(data["day"], data["start"]))
            data["ends_at"] = timezone.make_aware(datetime.combine(data["day"], data["end"]))
        return data


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=ServiceRecord.Kind.choices)
    service = forms.CharField(label="服务事项", max_length=60)
    minutes = forms.IntegerField(label="用时（分钟）", min_value=0, max_value=1440, initial=20)
    done = forms.BooleanField(label="已办结", required=False, initial=True)
    note = forms.CharField(label="备注", max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200, required=False)


class RoomForm(forms.Form):
    name = forms.CharField(label="活动室名称", max_length=60)
    capacity = forms.IntegerField(label="容纳人数", min_value=1, max_value=10000)


class DutyForm(forms.Form):
    people: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="值班人员", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people  # type: ignore[attr-defined]
