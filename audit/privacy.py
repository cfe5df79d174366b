"""PIPL: the privacy notice a resident consents to, and a resident's own data as a download.

A resident (no working role) is asked once per notice version, at their first sign-in (``access.gates``), and the
consent is a row (``PrivacyConsent``) with the optional choices they made. ``my_data`` gathers everything Linli
holds about the person — their record, homes, appeals with their timelines and ratings, consents, erasure
requests, and the log of who has seen their full phone — and ``my_data_workbook`` writes it as Excel (through
spreadsheets.safe). Nothing of anybody else is in it: staff on their appeals appear by role, not by name.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.db import transaction
from openpyxl import Workbook

from audit.models import ErasureRequest, PersonalDataView, PrivacyConsent, record
from linli import clock
from spreadsheets.safe import clean_row, save

# Bump when the notice's text changes in substance: every resident is asked again.
PRIVACY_VERSION = "2026-12"
SESSION_KEY = "linli_consent"
OPTIONAL_CHOICES = {
    "notify_by_phone": "同意工作人员就我的诉求打电话联系我",
    "public_rating": "同意在公示的评价中显示我的评价意见（姓名始终隐藏）",
}


def version() -> str:
    return getattr(settings, "LINLI_PRIVACY_VERSION", PRIVACY_VERSION)


def has_consented(user) -> bool:
    return PrivacyConsent.objects.filter(user=user, version=version()).exists()


@transaction.atomic
def consent_record(*, user, choices: dict[str, bool]) -> PrivacyConsent:
    chosen = {key: bool(choices.get(key)) for key in OPTIONAL_CHOICES}
    consent, created = PrivacyConsent.objects.get_or_create(
        user=user, version=version(), defaults={"at": clock.now(), "choices": chosen}
    )
    if created:
        record(
            actor=user,
            action="privacy_consent",
            obj=consent,
            summary=f"同意隐私告知（{version()}）",
            **chosen,
        )
    return consent


def _dt(value) -> str:
    return value.astimezone(clock.now().tzinfo).strftime("%Y-%m-%d %H:%M") if value else ""


def my_data(person) -> dict[str, Any]:
    """Everything held about ``person``, as plain data."""
    from appeals.models import Appeal

    appeals = (
        Appeal.objects.filter(raised_by=person)
        .select_related("category", "community", "grid", "unit")
        .prefetch_related("events")
        .order_by("submitted_at", "pk")
    )
    user = person.user
    return {
        "person": {
            "name": person.name,
            "phone": person.phone,
            "gender": person.get_gender_display(),
            "birth_year": person.birth_year,
            "community": person.community.name if person.community_id else "",
            "party_member": person.is_party_member,
            "note": person.note,
            "registered_at": _dt(person.created_at),
            "username": user.username if user else "",
        },
        "homes": [
            {
                "address": str(m.household),
                "relation": m.get_relation_display(),
                "owner": m.is_owner,
            }
            for m in person.memberships.select_related("household__building")
        ],
        "appeals": [
            {
                "id": a.pk,
                "title": a.title,
                "body": a.body,
                "address": a.address,
                "category": a.category.name if a.category else "",
                "community": a.community.name,
                "status": a.get_status_display(),
                "anonymous": a.is_anonymous,
                "submitted_at": _dt(a.submitted_at),
                "closed_at": _dt(a.closed_at),
                "answer": a.answer,
                "report": a.report,
                "satisfaction": a.get_satisfaction_display() if a.satisfaction else "",
                "rating_comment": a.rating_comment,
                "timeline": [
                    {"at": _dt(e.at), "step": e.action, "to": e.to_status}
                    for e in sorted(a.events.all(), key=lambda e: (e.at, e.pk))
                ],
            }
            for a in appeals
        ],
        "consents": [
            {"version": c.version, "at": _dt(c.at), "choices": c.choices}
            for c in PrivacyConsent.objects.filter(user=user)
        ]
        if user
        else [],
        "erasure_requests": [
            {"requested_at": _dt(r.requested_at), "status": r.get_status_display(), "note": r.note}
            for r in ErasureRequest.objects.filter(person=person)
        ],
        "phone_views": [
            {"at": _dt(v.at), "what": v.get_field_display(), "where": v.where}
            for v in PersonalDataView.objects.filter(person=person).order_by("at")
        ],
    }


SHEETS = {
    "homes": ("住址", ["address", "relation", "owner"], ["住址", "关系", "业主"]),
    "appeals": (
        "我的诉求",
        [
            "id",
            "title",
            "body",
            "address",
            "category",
            "community",
            "status",
            "submitted_at",
            "closed_at",
            "answer",
            "report",
            "satisfaction",
            "rating_comment",
        ],
        [
            "编号",
            "标题",
            "内容",
            "地址",
            "类别",
            "社区",
            "状态",
            "提交时间",
            "办结时间",
            "答复",
            "办理结果",
            "评价",
            "评价意见",
        ],
    ),
    "consents": ("隐私同意", ["version", "at"], ["版本", "时间"]),
    "erasure_requests": ("删除申请", ["requested_at", "status", "note"], ["申请时间", "状态", "处理说明"]),
    "phone_views": ("个人信息查看记录", ["at", "what", "where"], ["时间", "信息", "页面"]),
}
PERSON_LABELS = {
    "name": "姓名", "phone": "电话", "gender": "性别", "birth_year": "出生年份", "community": "社区",
    "party_member": "党员", "note": "备注", "registered_at": "登记时间", "username": "登录账号",
}  # fmt: skip


def my_data_workbook(data: dict[str, Any]) -> bytes:
    book = Workbook()
    sheet = book.create_sheet("个人信息", 0)
    book.remove(book.worksheets[1])  # the blank sheet a new workbook starts with
    for key, label in PERSON_LABELS.items():
        value = data["person"][key]
        sheet.append(clean_row([label, "是" if value is True else "否" if value is False else value]))
    for key, (title, fields, headers) in SHEETS.items():
        ws = book.create_sheet(title)
        ws.append(headers)
        for row in data[key]:
            ws.append(clean_row([row[f] for f in fields]))
    stream = io.BytesIO()
    save(book, stream)
    return stream.getvalue()
