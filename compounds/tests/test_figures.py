"""The 红色物业 figures recounted from the raw rating rows: each mean, each 满意度 with its fraction, the 四色 grade and
the ranking order of the report table; resident and community ratings once a quarter (409 for a second)."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client

from compounds.figures import score_of
from compounds.models import CRITERIA, Rating
from compounds.ratings import rating_assess, rating_submit
from compounds.sections import firm_table
from compounds.tests.helpers import DAY, compound, firm
from evaluation.ledgers import Rate
from linli.errors import PermissionDenied, TransitionError, ValidationError
from people.models import HouseholdMember
from people.services import household_member_add, person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(world, clock_at):
    """幸福小区 served by 幸福物业; six residents' questionnaires and the community's assessment in 2026 Q2."""
    w = world
    clock_at(DAY)
    c = compound(w)
    firm(w, c)
    people = [w.resident_person, w.neighbour_g1b]
    for i in range(4):
        p = person_create(name=f"住户{i}", phone=f"1390000{i:04d}", community=w.c1)
        household_member_add(person=p, household=w.h1b if i % 2 else w.h1a2)
        people.append(p)
    stars = [
        (5, 5, 4, 5, 5),
        (4, 3, 4, 5, 4),
        (3, 3, 3, 4, 3),
        (5, 4, 5, 5, 5),
        (2, 3, 3, 2, 3),
        (4, 4, 4, 4, 4),
    ]
    for person, row in zip(people, stars, strict=True):
        scores = dict(zip((f for f, _ in CRITERIA), row, strict=True))
        if person == w.resident_person:
            rating_submit(user=w.resident, compound_id=c.pk, scores=scores)
        else:
            rating_submit(user=w.community, compound_id=c.pk, scores=scores, on_behalf_of=person)
    rating_assess(user=w.community, compound_id=c.pk, scores=dict.fromkeys((f for f, _ in CRITERIA), 4))
    return c


def test_the_ranking_table_is_recounted_from_the_rows(world, rated):
    w = world
    table = firm_table(w.c1, DAY - timedelta(days=10), DAY + timedelta(days=10))
    assert table is not None
    row = dict(zip(table.columns, table.rows[0], strict=True))
    rows = list(Rating.objects.filter(compound=rated, rater="resident").values(*(f for f, _ in CRITERIA)))
    n = len(rows)
    stars = sum(sum(r.values()) for r in rows)
    assert row["居民评价人次"] == n == 6
    assert row["居民满意度"] == Rate(stars, 25 * n) and str(row["居民满意度"]).endswith(
        f"（{stars} ÷ {25 * n}）"
    )
    for field, label in CRITERIA:
        mean = (Decimal(sum(r[field] for r in rows)) / n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        assert row[f"{label}（均分）"] == str(mean)
    assert row["社区测评得分率"] == Rate(20, 25) and row["四色等级"] == "绿色（良好）"  # 80 %
    assert row["名次"] == "1" and row["物业党组织"] == "幸福物业党支部" and row["服务小区"] == 1
    # the same figures on the compound's page and the public page, with their fractions
    page = Client().get(f"/community/{w.c1.code}/").content.decode()
    assert f"满意度 {Rate(stars, 25 * n)}" in page and "绿色（良好）" in page
    # a quarter outside the period counts nothing
    assert firm_table(w.c1, DAY + timedelta(days=60), DAY + timedelta(days=70)).rows[0][4] == 0


def test_below_five_ratings_a_firm_is_listed_unranked(world, rated):
    w = world
    Rating.objects.filter(rater="resident").exclude(person=w.resident_person).delete()
    table = firm_table(w.c1, DAY - timedelta(days=10), DAY + timedelta(days=10))
    assert table.rows[0][0] == "—（居民评价不足 5 人次）"
    assert score_of(Rating.objects.filter(rater="resident")).n == 1


def test_once_a_quarter_and_bad_stars(world, rated, clock_at):
    w = world
    with pytest.raises(TransitionError):
        rating_submit(
            user=w.resident, compound_id=rated.pk, scores=dict.fromkeys((f for f, _ in CRITERIA), 5)
        )
    with pytest.raises(TransitionError):
        rating_assess(
            user=w.community, compound_id=rated.pk, scores=dict.fromkeys((f for f, _ in CRITERIA), 5)
        )
    with pytest.raises(ValidationError) as err:
        rating_submit(
            user=w.community,
            compound_id=rated.pk,
            scores={"sanitation": 6, "repairs": "x", "security": 0},
            on_behalf_of=w.buildinghead_person,
        )
    assert set(err.value.message_dict) == {"sanitation", "repairs", "security", "attitude", "party"}
    with pytest.raises(ValidationError):  # lives elsewhere
        rating_submit(
            user=w.community,
            compound_id=rated.pk,
            scores=dict.fromkeys((f for f, _ in CRITERIA), 5),
            on_behalf_of=w.resident_c2,
        )
    with pytest.raises(PermissionDenied):  # only staff enter questionnaires
        rating_submit(
            user=w.resident,
            compound_id=rated.pk,
            scores=dict.fromkeys((f for f, _ in CRITERIA), 5),
            on_behalf_of=w.neighbour_g1b,
        )
    clock_at(DAY + timedelta(days=60))  # the next quarter: again
    rating = rating_submit(
        user=w.resident, compound_id=rated.pk, scores=dict.fromkeys((f for f, _ in CRITERIA), 5)
    )
    assert (rating.year, rating.quarter, rating.total) == (2026, 3, 25)
    assert HouseholdMember.objects.filter(person=w.resident_person).exists()
