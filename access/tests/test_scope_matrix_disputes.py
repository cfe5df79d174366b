"""The scope matrix, continued for dispute mediation (issue #14), the Open311 keys and the background jobs.

A dispute is private (disputes/scope.py): its parties, statements, team, sessions, agreement, terms, follow-ups and
timeline are for the mediation staff over its place, those above with the right, its team and its parties; the
district reads the case (kind, place, state) without who the parties are or what they said. Every persona of the
``world`` — with the community's named mediation force (人民调解员, 法律顾问, 社区民警 of c1, a mediator of c2) and a
resident of 和平社区 with a login — is tried against a case in c1 (agreed, signed, followed up) and one in c2, on the
selector, the pages, the agreement PDF and the API. Open311 keys and the jobs' rows are the administrator's.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from access.models import Role
from access.services import role_grant
from access.tests.test_scope_matrix import PERSONAS as WORLD_PERSONAS
from disputes import outcome, services
from disputes.kinds import ensure_kinds
from disputes.models import Case, DisputeKind, Member, Party
from disputes.scope import actor_for, visible_cases
from linli import clock
from linli.testing import PASSWORD
from open311.keys import key_issue
from people.services import person_create, person_give_login

CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=CST)

# persona -> (name, phone, role, where); resident2 lives in c2 (the world's 王德明, given a login)
FORCE = {
    "mediator": ("秦调解", "13600000001", Role.MEDIATOR, "c1"),
    "adviser": ("尤律师", "13600000002", Role.LEGAL_ADVISER, "c1"),
    "police": ("许警官", "13600000003", Role.COMMUNITY_POLICE, "c1"),
    "mediator2": ("何调解", "13600000004", Role.MEDIATOR, "c2"),
}
PERSONAS = [*WORLD_PERSONAS, *FORCE, "resident2"]

GROUPS = {
    "STAFF1": "gridworker gridleader community subdistrict mediator adviser police admin",
    "STAFF2": "community2 mediator2 admin",
}


def who(spec: str) -> set[str]:
    out: set[str] = set()
    for word in spec.split():
        out |= set(GROUPS[word].split()) if word in GROUPS else {word}
    assert out <= set(PERSONAS), out - set(PERSONAS)
    return out


# who sees the case at all (else 404 on its page, its PDF and its API)
SEEN_BY = {
    "case_c1": "STAFF1 resident district",  # the resident is its applicant
    "case_c2": "STAFF2 resident2 district",  # the c2 case lies in no grid: gridworker2 is not over it
}
# who sees its parties, their statements, the team, the sessions, the agreement and the follow-ups
PRIVATE_SEEN_BY = {
    "case_c1": "STAFF1 resident",
    "case_c2": "STAFF2 resident2",
}
# who manages it (accept, assign, refer, close: the community's mediation committee and the subdistrict)
MANAGED_BY = {"case_c1": "community subdistrict mediator admin", "case_c2": "community2 mediator2 admin"}
# who works it (sessions, agreement, follow-ups, risk): the mediation staff over its place and its team
WORKED_BY = {"case_c1": "STAFF1", "case_c2": "STAFF2"}
# what of the c1 case is private, as it appears on its page, and for whom: PRIVATE_SEEN_BY (the parties too) or
# WORKED_BY (the mediation staff and the team: the session's notes record what each side said)
PRIVATE_TEXT = {
    "statement of the other party": ("我们白天上班", PRIVATE_SEEN_BY),
    "session notes": ("双方各自陈述", WORKED_BY),
    "agreement text": ("互谅互让", PRIVATE_SEEN_BY),
    "a term": ("加装防噪垫", PRIVATE_SEEN_BY),
    "a follow-up": ("已加装防噪垫", PRIVATE_SEEN_BY),
}


def build_disputes(w):
    for key, (name, phone, role, area) in FORCE.items():
        person = person_create(name=name, phone=phone)
        user = person_give_login(person=person, username=key, password=PASSWORD)
        role_grant(user=user, role=role, area=getattr(w, area))
        user.refresh_from_db()
        setattr(w, key, user)
        setattr(w, f"{key}_person", person)
    w.resident2 = person_give_login(person=w.resident_c2, username="resident2", password=PASSWORD)
    role_grant(user=w.resident2, role=Role.RESIDENT, area=w.c2)
    w.resident2.refresh_from_db()

    ensure_kinds()
    kind = DisputeKind.objects.get(code="neighbour")
    o = {}
    with clock.at(NOW - timedelta(days=3)):
        case = services.case_register(
            user=w.gridworker, kind=kind, title="幸福楼上噪音纠纷", summary="夜间噪音", grid=w.g1a, building=w.b1a,
            parties=[
                {"side": Party.Side.APPLICANT, "person": w.resident_person.pk, "statement": "楼上每天夜里拖动家具"},
                {"side": Party.Side.RESPONDENT, "name": "李桂兰", "phone": "13900001111", "statement": "我们白天上班"},
            ],
        )  # fmt: skip
        team = [(w.gridworker_person, Member.Duty.GRID_WORKER), (w.mediator_person, Member.Duty.MEDIATOR)]
        services.case_accept(user=w.community, case_id=case.pk, owner=w.mediator_person, members=team)
    with clock.at(NOW - timedelta(days=2)):
        services.case_session(
            user=w.mediator, case_id=case.pk, held_at=NOW - timedelta(days=2, hours=1), place="和为贵调解室",
            notes="双方各自陈述",
            member_ids=case.members.values_list("pk", flat=True), party_ids=case.parties.values_list("pk", flat=True),
        )  # fmt: skip
        outcome.case_agree(
            user=w.mediator, case_id=case.pk, text="双方本着互谅互让的原则达成协议。",
            terms=[("楼上住户加装防噪垫", date(2026, 12, 1)), ("晚十点后不挪动家具", date(2026, 12, 31))],
        )  # fmt: skip
        outcome.case_sign(user=w.mediator, case_id=case.pk, paper_signed=True)
    with clock.at(NOW - timedelta(days=1)):
        term = case.agreements.get().terms.get(text="楼上住户加装防噪垫")
        outcome.case_follow_up(
            user=w.gridworker, case_id=case.pk, term_id=term.pk, result="kept", note="已加装防噪垫"
        )
    o["case_c1"] = Case.objects.get(pk=case.pk)
    with clock.at(NOW):
        o["case_c2"] = services.case_register(
            user=w.community2, kind=kind, title="和平社区的纠纷", summary="另一个社区", community=w.c2, source="hotline",
            parties=[
                {"side": Party.Side.APPLICANT, "person": w.resident_c2.pk, "statement": "和平甲方说"},
                {"side": Party.Side.RESPONDENT, "name": "某某", "statement": "和平乙方说"},
            ],
        )  # fmt: skip
        o["key"], _ = key_issue(actor=w.admin, client="城市12345", owner="市12345热线", areas=[w.c1])
    return o


@pytest.fixture(scope="module")
def disputes(shared_world, django_db_blocker):
    with django_db_blocker.unblock(), clock.at(NOW):
        return build_disputes(shared_world)


@pytest.fixture
def world(shared_world, db):
    return shared_world


@pytest.fixture
def now(clock_at):
    return clock_at(NOW)


def test_the_tables_nest():
    for key in SEEN_BY:
        assert who(MANAGED_BY[key]) <= who(WORKED_BY[key]) <= who(PRIVATE_SEEN_BY[key]) <= who(SEEN_BY[key])


@pytest.mark.parametrize("persona", PERSONAS)
def test_selector_and_actor(world, disputes, persona):
    from access.scope import Scope

    scope = Scope.of(getattr(world, persona))
    visible = set(visible_cases(scope).values_list("pk", flat=True))
    for key in SEEN_BY:
        case = disputes[key]
        assert (case.pk in visible) == (persona in who(SEEN_BY[key])), key
        if case.pk in visible:
            actor = actor_for(scope, case)
            assert actor.sees_parties == (persona in who(PRIVATE_SEEN_BY[key])), key
            assert actor.manager == (persona in who(MANAGED_BY[key])), key
            assert actor.worker == (persona in who(WORKED_BY[key])), key


@pytest.mark.parametrize("key", list(SEEN_BY))
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_case_page_and_its_private_parts(world, disputes, client_for, persona, key):
    case = disputes[key]
    client = client_for(persona)
    page = client.get(f"/disputes/{case.pk}/")
    pdf = client.get(f"/disputes/{case.pk}/agreement.pdf")
    if persona not in who(SEEN_BY[key]):
        # a resident of another community, a unit, a party member: 404 on the page and the document
        assert page.status_code == 404 and pdf.status_code == 404
        return
    assert page.status_code == 200 and case.title in page.content.decode()
    if key != "case_c1":
        return
    html = page.content.decode()
    sees_private = persona in who(PRIVATE_SEEN_BY[key])
    for what, (text, audience) in PRIVATE_TEXT.items():
        if persona == "resident" and what == "statement of the other party":
            assert text not in html, what  # a party reads only their own statement
        else:
            assert (text in html) == (persona in who(audience[key])), what
    assert ("13900001111" in html) == (sees_private and persona != "resident")  # the other party's phone
    assert pdf.status_code == (200 if sees_private else 404)


@pytest.mark.parametrize("key", list(SEEN_BY))
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_case_api_and_its_private_parts(world, disputes, client_for, api_client_for, persona, key):
    case = disputes[key]
    api = api_client_for(persona)
    detail = api.get(f"/api/disputes/cases/{case.pk}/")
    events = api.get(f"/api/disputes/cases/{case.pk}/events/")
    listed = {row["id"] for row in api.get("/api/disputes/cases/", {"state": "all"}).json()["results"]}
    if persona not in who(SEEN_BY[key]):
        assert detail.status_code == 404 and events.status_code == 404
        assert case.pk not in listed
        return
    assert detail.status_code == 200 and case.pk in listed
    body = detail.json()
    assert bool(body["parties"]) == (persona in who(PRIVATE_SEEN_BY[key]))
    text = str(body)
    for what, (private, audience) in PRIVATE_TEXT.items():
        if private in text:
            assert persona in who(audience[key]), what
    assert ("accept" in body["allowed_actions"] or "close" in body["allowed_actions"]) <= (
        persona in who(MANAGED_BY[key])
    )
    assert events.status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_steps_on_the_api_follow_the_tables(world, disputes, api_client_for, now, persona):
    api = api_client_for(persona)
    # a manager's step (accept the c2 case) and a worker's step (flag the c1 case's risk)
    mediator = world.mediator2_person.pk
    team = {"owner": mediator, "members": [{"person": mediator, "duty": Member.Duty.MEDIATOR}]}
    accept = api.post(f"/api/disputes/cases/{disputes['case_c2'].pk}/accept/", team, format="json")
    flag = api.post(
        f"/api/disputes/cases/{disputes['case_c1'].pk}/flag-risk/",
        {"risk": "medium", "may_escalate": False, "note": "复查"},
        format="json",
    )
    for response, key, right in ((accept, "case_c2", MANAGED_BY), (flag, "case_c1", WORKED_BY)):
        if persona not in who(SEEN_BY[key]):
            assert response.status_code == 404, (key, response.content)
        elif persona not in who(right[key]):
            assert response.status_code == 403, (key, response.content)
        else:
            assert response.status_code == 200, (key, response.content)


def test_the_kinds_are_configuration_every_signed_in_user_reads(world, disputes, api_client_for):
    for persona in ("resident", "unit", "admin"):
        kinds = api_client_for(persona).get("/api/disputes/kinds/")
        assert kinds.status_code == 200 and any(k["code"] == "neighbour" for k in kinds.json())


# ---- Open311 keys and the jobs: the administrator's -----------------------------------------------------------
ADMIN_PAGES = [
    "/admin/disputes/disputekind/",
    "/admin/open311/serviceattribute/",
    "/admin/open311/open311request/",
    "/admin/jobs/jobstate/",
    "/admin/jobs/jobrun/",
    "/admin/jobs/workerheartbeat/",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_keys_and_jobs_are_the_administrators(world, disputes, client_for, persona):
    client = client_for(persona)
    keys = client.get("/open311/keys/")
    revoke = client.post(f"/open311/keys/{disputes['key'].pk}/revoke/")
    disputes["key"].refresh_from_db()
    if persona == "admin":
        assert keys.status_code == 200 and "城市12345" in keys.content.decode()
        assert disputes["key"].revoked_at is not None
    else:
        assert keys.status_code == 403 and revoke.status_code == 403
        assert disputes["key"].revoked_at is None
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == (200 if persona == "admin" else 403), url


def test_the_key_s_service_account_sees_nothing_of_linli(world, disputes, api_client_for):
    # a client's service account holds no role: on Linli's own API it sees no area, no case, no appeal
    from linli.testing import api_client

    api = api_client(disputes["key"].service_user)
    for url in ("/api/areas/", "/api/appeals/", "/api/disputes/cases/", "/api/sites/", "/api/activities/"):
        response = api.get(url)
        assert response.status_code == 200 and response.json()["results"] == [], url
