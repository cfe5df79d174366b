"""What a page's form posts, turned into a service's keyword arguments (bad input: a ``ValidationError`` with the
field's message, shown on the page)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from disputes.models import Case, Member, Party
from linli.errors import ValidationError
from people.models import Person

TERM_ROWS = 5  # term rows on the agreement form
PARTY_ROWS = 3  # party rows on the register form


def _int(value: Any, field: str, label: str) -> int:
    if not str(value or "").isdigit() or int(value) > 2**31 - 1:
        raise ValidationError({field: f"请选择{label}"})
    return int(value)


def _date(value: str, field: str, label: str) -> date:
    parsed = parse_date(value or "") if value else None
    if parsed is None:
        raise ValidationError({field: f"请填写{label}（年-月-日）"})
    return parsed


def _datetime(value: str, field: str, label: str) -> datetime:
    try:
        parsed = parse_datetime(value or "")
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({field: f"请填写{label}"})
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def team(post, case: Case) -> dict:
    people = {
        p.pk: p for p in Person.objects.filter(pk__in=[v for v in post.getlist("member") if v.isdigit()])
    }
    members = []
    for pk, person in people.items():
        duty = post.get(f"duty_{pk}", Member.Duty.OTHER)
        members.append((person, duty))
    owner_id = post.get("owner", "")
    owner = Person.objects.filter(pk=owner_id).first() if owner_id.isdigit() else None
    if owner is not None and owner.pk not in people:
        members.append((owner, post.get(f"duty_{owner.pk}", Member.Duty.MEDIATOR)))
    return {"owner": owner, "members": members, "note": post.get("note", "")}


def session(post, case: Case) -> dict:
    return {
        "held_at": _datetime(post.get("held_at", ""), "held_at", "调解时间"),
        "place": post.get("place", ""),
        "notes": post.get("notes", ""),
        "member_ids": [int(v) for v in post.getlist("member") if v.isdigit()],
        "party_ids": [int(v) for v in post.getlist("party") if v.isdigit()],
        "others": post.get("others", ""),
    }


def agree(post, case: Case) -> dict:
    terms = []
    for i in range(1, TERM_ROWS + 1):
        text = post.get(f"term_{i}", "").strip()
        if text:
            terms.append((text, _date(post.get(f"due_{i}", ""), "terms", f"第 {i} 条的履行期限")))
    return {"text": post.get("text", ""), "terms": terms}


def sign(post, case: Case, files) -> dict:
    return {"scan": files.get("scan"), "paper_signed": post.get("paper_signed") == "1"}


def follow_up(post, case: Case) -> dict:
    kept_on = post.get("kept_on", "")
    return {
        "term_id": _int(post.get("term"), "term", "回访的协议条款"),
        "result": post.get("result", ""),
        "note": post.get("note", ""),
        "kept_on": _date(kept_on, "kept_on", "履行日期") if kept_on else None,
    }


def rate(post, case: Case) -> dict:
    party = post.get("party", "")
    return {
        "satisfaction": post.get("satisfaction", ""),
        "comment": post.get("comment", ""),
        "party_id": int(party) if party.isdigit() else None,
    }


PARSERS: dict[str, Callable[..., dict]] = {
    "accept": team,
    "assign": team,
    "session": session,
    "escalate": lambda post, case: {"reason": post.get("reason", "")},
    "flag_risk": lambda post, case: {
        "risk": post.get("risk", ""),
        "may_escalate": post.get("may_escalate") == "1",
        "note": post.get("note", ""),
    },
    "agree": agree,
    "refer": lambda post, case: {"to": post.get("to", ""), "note": post.get("note", "")},
    "follow_up": follow_up,
    "close": lambda post, case: {"note": post.get("note", "")},
    "reopen": lambda post, case: {
        "term_id": _int(post.get("term"), "term", "未履行的条款"),
        "reason": post.get("reason", ""),
    },
    "rate": rate,
    "withdraw": lambda post, case: {"reason": post.get("reason", "")},
}


def register(post, *, fixed_parties: list[dict] | None = None) -> tuple[dict, list[dict]]:
    """The register form: the case's fields, and its party rows (name, phone, side, statement)."""
    parties = list(fixed_parties or [])
    for i in range(1, PARTY_ROWS + 1):
        parties.append(
            {
                "side": post.get(f"side_{i}", Party.Side.APPLICANT if i == 1 else Party.Side.RESPONDENT),
                "name": post.get(f"name_{i}", ""),
                "phone": post.get(f"phone_{i}", ""),
                "address": post.get(f"address_{i}", ""),
                "statement": post.get(f"statement_{i}", ""),
            }
        )
    return {
        "title": post.get("title", ""),
        "summary": post.get("summary", ""),
        "source": post.get("source") or "visit",
        "place": post.get("place", ""),
        "risk": post.get("risk", "low"),
        "may_escalate": post.get("may_escalate") == "1",
        "referred_by": post.get("referred_by", ""),
    }, parties
