"""小区 in the demo district, through the services at their own dates (``linli.clock.at``).

The district generator names an estate per group of buildings ("丽景湾1号楼" … of 丽景湾); each becomes a 小区 of its
community with those buildings: a 家属院 is a 单位宿舍 with a 自管会 of its residents (half of them also have a
firm), an older estate a 老旧小区, a newer one a 商品房小区 with its 业委会. Every estate with a firm is served by its
community's property manager, a 红色物业 with the firm's party branch, and has been rated these three quarters (paper
questionnaires of residents entered by the staff, and the community's assessment), each firm at its own level.
In the main community the 业委会 of the demo resident's estate was elected by the owners' vote two months ago
(candidates published, paper ballots, counted, published), and another estate's election is now at its vote.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from areas.models import Area, Building, Household
from compounds import elections, ratings, services
from compounds.figures import quarter_start
from compounds.models import CRITERIA, Body, Compound
from deliberation import voting
from deliberation.processes import ensure_templates
from linli import clock
from people.models import HouseholdMember, Person
from units.models import Unit

SEED = 20231208
TZ = ZoneInfo("Asia/Shanghai")
ESTATE = re.compile(r"^(?P<estate>.+?)\d+号楼$")


def _at(moment: datetime, fn, **kwargs):
    with clock.at(moment):
        return fn(**kwargs)


def estates() -> dict[tuple[int, str], list[Building]]:
    """(community id, estate name) -> its buildings, from the buildings' names."""
    found: dict[tuple[int, str], list[Building]] = defaultdict(list)
    for building in Building.objects.select_related("grid").order_by("code"):
        match = ESTATE.match(building.name)
        community = building.grid.ancestor_of_kind(Area.Kind.COMMUNITY)
        if match and community is not None:
            found[(community.pk, match["estate"])].append(building)
    return found


def _kind(name: str, buildings: list[Building]) -> str:
    if name.endswith("家属院"):
        return Compound.Kind.WORK_UNIT
    built = min((b.built_year or 2000) for b in buildings)
    return Compound.Kind.OLD if built < 2000 else Compound.Kind.COMMERCIAL


def _residents(compound: Compound, *, owners: bool = False) -> list[Person]:
    members = HouseholdMember.objects.filter(household__building__compound=compound)
    if owners:
        members = members.filter(is_owner=True)
    ids = members.order_by("household__building__code", "household__number", "id").values_list(
        "person_id", flat=True
    )
    people = Person.objects.in_bulk(list(dict.fromkeys(ids)))
    return [people[i] for i in dict.fromkeys(ids)]


def _firm_of(community: Area) -> Unit | None:
    return (
        Unit.objects.filter(kind=Unit.Kind.PROPERTY_MANAGER, areas_served=community, is_active=True)
        .order_by("code")
        .first()
    )


def load_demo_compounds(demo: Any, stdout: TextIO | None = None) -> int:
    if Compound.objects.exists():
        return 0
    users = get_user_model().objects
    admin = users.filter(username="admin").first()
    staff = users.filter(username="community").first() or admin
    manager = Person.objects.filter(user__username="property").first()
    main = demo.community
    rng = random.Random(SEED)
    now = clock.now()
    start = now - timedelta(days=400)
    made = 0
    with transaction.atomic():
        numbers: dict[int, int] = defaultdict(int)
        for (community_id, name), buildings in estates().items():
            community = Area.objects.get(pk=community_id)
            user = staff if community.pk == main.pk else admin
            numbers[community_id] += 1
            compound = _at(
                start,
                services.compound_create,
                user=user,
                community=community,
                code=f"{community.code}-XQ{numbers[community_id]}",
                name=name,
                kind=_kind(name, buildings),
                address=re.sub(r"\d+号楼$", "", buildings[0].address),
                buildings=buildings,
            )
            made += 1
            _bodies(rng, compound, user=user, manager=manager if community.pk == main.pk else None, at=start)
        _ratings(rng, now, staff=staff, admin=admin, main=main)
        _elections(main, staff=staff, now=now)
    if stdout is not None:
        stdout.write(f"  小区 compounds: {made}\n")
    return made


def _bodies(rng: random.Random, compound: Compound, *, user, manager: Person | None, at: datetime) -> None:
    residents = _residents(compound)
    owners = _residents(compound, owners=True)
    if compound.kind == Compound.Kind.WORK_UNIT and len(residents) >= 3:
        body = _at(
            at,
            services.body_create,
            user=user,
            compound_id=compound.pk,
            kind=Body.Kind.SELF_MANAGEMENT,
            starts_on=date(at.year, 1, 1),
            ends_on=date(at.year + 3, 12, 31),
        )
        for person, post in zip(residents[:3], ("director", "member", "member"), strict=False):
            _at(at, services.member_add, user=user, body_id=body.pk, person=person, post=post)
        if rng.random() < 0.5:
            return
    if compound.kind == Compound.Kind.COMMERCIAL and len(owners) >= 3:
        body = _at(
            at,
            services.body_create,
            user=user,
            compound_id=compound.pk,
            kind=Body.Kind.OWNERS_COMMITTEE,
            starts_on=date(at.year - 3, 6, 1),
            ends_on=date(at.year + 2, 5, 31),
        )
        for person, post in zip(
            owners[:5], ("director", "deputy", "member", "member", "member"), strict=False
        ):
            _at(at, services.member_add, user=user, body_id=body.pk, person=person, post=post)
    firm = _firm_of(compound.community)
    if firm is None:
        return
    body = _at(
        at,
        services.firm_appoint,
        user=user,
        compound_id=compound.pk,
        firm=firm,
        starts_on=date(at.year, 1, 1),
        ends_on=date(at.year + 3, 12, 31),
    )
    if manager is not None:
        _at(at, services.member_add, user=user, body_id=body.pk, person=manager, post="manager")


def _ratings(rng: random.Random, now: datetime, *, staff, admin, main: Area) -> None:
    """Three quarters: the two before this one in full (residents and the community), and this one so far (residents
    only, the demo resident not yet)."""
    year, quarter = ratings.quarter_of(now.date())
    quarters = []
    for back in (2, 1, 0):
        q, y = quarter - back, year
        while q < 1:
            q, y = q + 4, y - 1
        quarters.append((y, q))
    levels = {f.pk: rng.uniform(3.0, 4.7) for f in Unit.objects.filter(kind=Unit.Kind.PROPERTY_MANAGER)}
    serving = Body.objects.filter(kind=Body.Kind.PROPERTY, status=Body.Status.ACTIVE).select_related(
        "compound__community", "firm"
    )
    for body in serving.order_by("compound__code"):
        compound = body.compound
        user = staff if compound.community_id == main.pk else admin
        people = [p for p in _residents(compound) if p.user_id is None]
        level = levels.get(body.firm_id or 0, 4.0)
        for y, q in quarters:
            first = quarter_start(y, q)
            moment = datetime(first.year, first.month, 20, 10, tzinfo=TZ)
            if moment > now:
                moment = now - timedelta(hours=2)
            for i, person in enumerate(people[: rng.randint(4, 9)]):
                _at(
                    moment + timedelta(minutes=10 * i),
                    ratings.rating_submit,
                    user=user,
                    compound_id=compound.pk,
                    scores=_stars(rng, level),
                    on_behalf_of=person,
                )
            if (y, q) != (year, quarter):  # this quarter's assessment is still to come
                _at(
                    moment + timedelta(days=5),
                    ratings.rating_assess,
                    user=user,
                    compound_id=compound.pk,
                    scores=_stars(rng, level + 0.2),
                )


def _stars(rng: random.Random, level: float) -> dict[str, int]:
    return {field: max(1, min(5, round(rng.gauss(level, 0.7)))) for field, _ in CRITERIA}


def _elections(main: Area, *, staff, now: datetime) -> None:
    """The demo resident's estate elected its 业委会 two months ago; another estate is at its vote now."""
    ensure_templates()  # the owners' vote runs on the six-step process, a data migration's rows (gone after a flush)
    resident = Person.objects.filter(user__username="resident").first()
    mine = Compound.objects.filter(
        community=main, buildings__households__memberships__person=resident
    ).first()
    others = Compound.objects.filter(community=main).exclude(pk=getattr(mine, "pk", 0)).order_by("code")
    t = now - timedelta(days=60)
    for compound, voting_now in ((mine, False), (others.first(), True)):
        if compound is None:
            continue
        owners = [p for p in _residents(compound, owners=True) if p.user_id is None][:4]
        if len(owners) < 2:
            continue
        start = now - timedelta(days=10) if voting_now else t
        election = _at(
            start,
            elections.election_create,
            user=staff,
            compound_id=compound.pk,
            seats=min(3, len(owners) - 1),
            candidates=owners,
            term_years=5,
            days=7,
        )
        opens = start + timedelta(days=8)
        closes = opens + timedelta(days=7)
        election = _at(opens, elections.election_open, user=staff, election_id=election.pk, closes_at=closes)
        options = [c.option_id for c in election.candidates.order_by("order")]
        flats = compound_flats(compound)
        share = 0.5 if voting_now else 0.9
        for i, flat in enumerate(flats[: max(1, round(len(flats) * share))]):
            choice = options[0] if i % 3 == 0 else options[1 + i % (len(options) - 1)]
            _at(
                opens + timedelta(hours=1 + i),
                voting.vote_enter_paper,
                user=staff,
                vote_id=election.vote_id,
                household=flat,
                option_id=choice,
            )
        if not voting_now:
            _at(closes + timedelta(hours=2), elections.election_close, user=staff, election_id=election.pk)


def compound_flats(compound: Compound) -> list[Household]:
    return list(Household.objects.filter(building__compound=compound).order_by("building__code", "number"))
