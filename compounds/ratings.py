"""Writes of 红色物业 ratings: a resident's quarterly stars for the firm serving their compound, and the community's
quarterly assessment of it (which gives the 四色 grade).

One rating per resident, compound, firm and quarter, and one assessment per compound, firm and quarter: a second is
refused (409), backed by the table's unique constraints should two arrive at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from access.scope import Scope
from compounds.models import CRITERIA, Compound, Rating
from compounds.scope import firm_of, keeps, may_rate, resident_of
from compounds.services import event, lock_compound
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from people.models import Person


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _scores(scores: Mapping[str, Any]) -> dict[str, int]:
    errors: dict[str, str] = {}
    out: dict[str, int] = {}
    for field, label in CRITERIA:
        raw = scores.get(field)
        try:
            value = int(str(raw).strip()) if raw not in (None, "") else None
        except ValueError:
            value = None
        if value is None or not 1 <= value <= 5:
            errors[field] = f"请为“{label}”打 1 至 5 星"
        else:
            out[field] = value
    if errors:
        raise ValidationError(errors)
    return out


def _create(compound: Compound, **fields) -> Rating:
    try:
        with transaction.atomic():
            return Rating.objects.create(compound=compound, **fields)
    except IntegrityError as exc:  # the constraint, should a second one have slipped in at the same moment
        raise TransitionError("本季度已评价，每季度只能评价一次") from exc


@transaction.atomic
def rating_submit(
    *,
    user,
    compound_id: int,
    scores: Mapping[str, Any],
    comment: str = "",
    on_behalf_of: Person | None = None,
) -> Rating:
    """居民评价: a resident of the compound rates its firm for this quarter; or the community's staff enter a
    resident's paper questionnaire (``on_behalf_of``: the resident, who must live in the compound)."""
    compound = lock_compound(compound_id)
    scope = Scope.of(user)
    if on_behalf_of is not None:
        if not keeps(scope, compound):
            raise PermissionDenied(f"只有{compound.community.name}的社区工作者可以录入居民问卷")
        if not resident_of(on_behalf_of, compound):
            raise ValidationError({"person": f"{on_behalf_of.name}不住在{compound.name}"})
        person: Person | None = on_behalf_of
    elif not may_rate(scope, compound):
        raise PermissionDenied(f"只有住在{compound.name}的居民可以评价本小区物业")
    else:
        person = scope.person
    body = firm_of(compound)
    if body is None or body.firm is None:
        raise TransitionError(f"{compound.name}目前没有物业服务企业，无需评价")
    year, quarter = quarter_of(clock.now().date())
    if Rating.objects.filter(
        compound=compound,
        firm=body.firm,
        year=year,
        quarter=quarter,
        rater=Rating.Rater.RESIDENT,
        person=person,
    ).exists():
        who = "您" if on_behalf_of is None else on_behalf_of.name
        raise TransitionError(f"{who}已评价过{year}年第{quarter}季度的{body.firm.name}，每季度只能评价一次")
    said = "居民评价" if on_behalf_of is None else f"录入{on_behalf_of.name}的问卷"
    return _save(
        compound, body, (year, quarter), user, Rating.Rater.RESIDENT, person, scores, comment, "rate", said
    )


@transaction.atomic
def rating_assess(*, user, compound_id: int, scores: Mapping[str, Any], comment: str = "") -> Rating:
    """社区测评: the community's staff assess the compound's firm for this quarter (stars per criterion)."""
    compound = lock_compound(compound_id)
    scope = Scope.of(user)
    if not keeps(scope, compound):
        raise PermissionDenied(f"只有{compound.community.name}的社区工作者可以测评物业")
    body = firm_of(compound)
    if body is None or body.firm is None:
        raise TransitionError(f"{compound.name}目前没有物业服务企业，无需测评")
    year, quarter = quarter_of(clock.now().date())
    if Rating.objects.filter(
        compound=compound, firm=body.firm, year=year, quarter=quarter, rater=Rating.Rater.COMMUNITY
    ).exists():
        raise TransitionError(f"{compound.name}{year}年第{quarter}季度的社区测评已完成，每季度测评一次")
    return _save(
        compound,
        body,
        (year, quarter),
        user,
        Rating.Rater.COMMUNITY,
        scope.person,
        scores,
        comment,
        "assess",
        "社区测评",
    )


def _save(compound, body, when, user, rater, person, scores, comment, action: str, said: str) -> Rating:
    """The quarter's rating row (stars checked first) and its event, for a resident's rating or the assessment."""
    stars = _scores(scores)
    year, quarter = when
    rating = _create(
        compound,
        firm=body.firm,
        year=year,
        quarter=quarter,
        rater=rater,
        person=person,
        comment=(comment or "").strip()[:500],
        rated_at=clock.now(),
        rated_by=user,
        **stars,
    )
    event(
        compound, user=user, action=action, note=f"{said} {body.firm.name}：{rating.total} 星 / 25", body=body
    )
    return rating
