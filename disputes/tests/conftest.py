"""Fixtures of the mediation loop on top of the shared ``world``: the community's named mediation force
(人民调解员、法律顾问、社区民警 of 幸福社区 c1, and an outsider mediator of 和平社区 c2) and cases at each step."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from access.models import Role
from access.services import role_grant
from disputes import outcome, services
from disputes.kinds import ensure_kinds
from disputes.models import DisputeKind, Member, Party
from linli import clock
from linli.testing import PASSWORD
from people.services import person_create, person_give_login

CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=CST)

FORCE = {
    "mediator": ("秦调解", "13600000001", Role.MEDIATOR, "c1"),
    "adviser": ("尤律师", "13600000002", Role.LEGAL_ADVISER, "c1"),
    "police": ("许警官", "13600000003", Role.COMMUNITY_POLICE, "c1"),
    "mediator2": ("何调解", "13600000004", Role.MEDIATOR, "c2"),
}


@pytest.fixture
def force(world):
    for key, (name, phone, role, area) in FORCE.items():
        person = person_create(name=name, phone=phone)
        user = person_give_login(person=person, username=key, password=PASSWORD)
        role_grant(user=user, role=role, area=getattr(world, area))
        user.refresh_from_db()
        person.refresh_from_db()
        setattr(world, key, user)
        setattr(world, f"{key}_person", person)
    return world


@pytest.fixture
def now(clock_at):
    return clock_at(NOW)


@pytest.fixture
def kind(db):
    ensure_kinds()  # a transactional test's flush removes the migration's rows
    return DisputeKind.objects.get(code="neighbour")


def two_parties(w) -> list[dict]:
    return [
        {
            "side": Party.Side.APPLICANT,
            "person": w.resident_person.pk,
            "statement": "楼上每天夜里拖动家具，吵得老人睡不着。",
        },
        {
            "side": Party.Side.RESPONDENT,
            "name": "李桂兰",
            "phone": "13900001111",
            "statement": "我们白天上班，晚上才收拾，没想到影响楼下。",
        },
    ]


@pytest.fixture
def registered(force, kind, now):
    w = force
    with clock.at(now - timedelta(hours=3)):
        return services.case_register(
            user=w.gridworker,
            kind=kind,
            title="楼上噪音纠纷",
            summary="幸福1号楼101与楼上住户因夜间噪音发生争执。",
            parties=two_parties(w),
            grid=w.g1a,
            building=w.b1a,
            place="幸福1号楼",
        )


def team(w) -> list[tuple]:
    return [
        (w.gridworker_person, Member.Duty.GRID_WORKER),
        (w.mediator_person, Member.Duty.MEDIATOR),
        (w.adviser_person, Member.Duty.LEGAL_ADVISER),
        (w.police_person, Member.Duty.POLICE),
    ]


@pytest.fixture
def accepted(force, registered):
    w = force
    return services.case_accept(
        user=w.community, case_id=registered.pk, owner=w.mediator_person, members=team(w)
    )


@pytest.fixture
def mediating(force, accepted, now):
    w = force
    services.case_session(
        user=w.mediator,
        case_id=accepted.pk,
        held_at=now - timedelta(hours=1),
        place="幸福社区和为贵调解室",
        notes="双方各自陈述，约定晚十点后不再挪动家具。",
        member_ids=accepted.members.values_list("pk", flat=True),
        party_ids=accepted.parties.values_list("pk", flat=True),
    )
    accepted.refresh_from_db()
    return accepted


@pytest.fixture
def agreed(force, mediating, now):
    w = force
    outcome.case_agree(
        user=w.mediator,
        case_id=mediating.pk,
        text="双方本着互谅互让的原则，自愿达成如下协议。",
        terms=[
            ("楼上住户在家具脚加装防噪垫", date(2026, 12, 10)),
            ("晚十点后不再挪动家具", date(2026, 12, 31)),
        ],
    )
    mediating.refresh_from_db()
    return mediating


@pytest.fixture
def following(force, agreed):
    outcome.case_sign(user=force.mediator, case_id=agreed.pk, paper_signed=True)
    agreed.refresh_from_db()
    return agreed
