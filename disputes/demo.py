"""矛盾纠纷调解: a year of the demo community's disputes, made through the services at their own dates.

The community's mediation force is named first (一社区一法律顾问、一社区一民警, an 人民调解员 for the community and
one for a grid): duty accounts nobody logs in with, acting in the history. Then about sixty cases of every kind:
most agreed on the spot and kept, some escalated to the community or the subdistrict, some referred to the
司法所 / a court / arbitration, agreements broken and mediated again, a repeat dispute between the same
neighbours, risks flagged "可能激化", and the last weeks' cases still open at each step. Idempotent.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from access.models import Role, RoleAssignment
from access.services import role_grant
from areas.models import Area
from disputes import outcome, services
from disputes.kinds import ensure_kinds
from disputes.models import Case, DisputeKind, Member, Party, Referral, Risk, Source, Term
from linli import clock
from people.models import HouseholdMember, Person
from people.services import person_create, person_give_login

SEED = 1406
DAYS = 365
COUNT = 60
User = get_user_model()

FORCE = [  # (username, name, role, "community" or "grid")
    ("duty-mediator", "秦淑芬", Role.MEDIATOR, "community"),
    ("duty-adviser", "尤志明", Role.LEGAL_ADVISER, "community"),
    ("duty-police", "许国庆", Role.COMMUNITY_POLICE, "community"),
    ("duty-grid-mediator", "施永年", Role.MEDIATOR, "grid"),
]
STORIES = {  # kind code -> (title, summary, applicant says, respondent says, terms)
    "neighbour": ("楼上漏水殃及楼下", "楼上卫生间防水老化，楼下天花板反复渗水发霉。", "墙皮掉了几次，要求修好并赔偿。",
                  "愿意修，但赔偿数额太高。", ["重做卫生间防水", "赔偿楼下粉刷费用 800 元"]),
    "family": ("赡养老人费用分担", "三兄妹对母亲的赡养费和照料分工有争议。", "我一个人照顾了三年。",
               "我们在外地，可以多出钱。", ["兄妹每月各付赡养费 600 元", "轮流每月回家照看一次"]),
    "property": ("物业费与电梯维修争议", "业主以电梯长期故障为由拒交物业费，物业起诉前申请调解。", "电梯坏了半年没人修。",
                 "维修基金审批慢，已垫付部分费用。", ["物业在一个月内修复电梯", "业主补交 2025 年物业费"]),
    "labour": ("装修工人讨要工钱", "装修队工人称被拖欠工钱，雇主称工程质量有问题。", "干完活一个月没给钱。",
               "墙面开裂，要扣一部分。", ["雇主支付工钱 4500 元", "工人返修开裂墙面"]),
    "land_house": ("院墙界址纠纷", "两户因院墙位置、滴水檐占地发生争执。", "院墙往我家占了半米。",
                   "墙是老人在世时就砌的。", ["按测绘结果重砌院墙", "各自承担一半费用"]),
    "other": ("宠物狗伤人赔偿", "邻居家狗咬伤老人，双方就医药费赔偿有分歧。", "打了五针疫苗，要求赔偿。",
              "狗拴着的，老人自己靠近。", ["赔偿医药费 1200 元", "遛狗拴绳并戴嘴套"]),
}  # fmt: skip
# outcome -> weight
OUTCOMES = [("kept", 46), ("escalated", 10), ("referred", 12), ("broken", 8), ("withdrawn", 4), ("risk", 6)]


def _force_user(username: str, name: str, role: str, area: Area):
    user = User.objects.filter(username=username).first()
    if user is None:
        person = person_create(name=name, note="演示：调解力量（值班账号）")
        user = person_give_login(person=person, username=username, password=None)  # type: ignore[arg-type]
        user.set_unusable_password()  # acts in the demo history; nobody logs in with it
        user.save(update_fields=["password"])
    if not RoleAssignment.objects.filter(user=user, role=role, area=area).exists():
        role_grant(user=user, role=role, area=area)
    return User.objects.get(pk=user.pk)


def _person(user) -> Person:
    return Person.objects.get(user=user)


class Play:
    """One case's planned steps, each replayed at its own time while that time is not in the future."""

    def __init__(self, now: datetime, t: datetime):
        self.now, self.t = now, t

    def at(self, days: float, step) -> bool:
        self.t += timedelta(days=days)
        if self.t > self.now:
            return False
        with clock.at(self.t):
            step()
        return True


def load_demo_disputes(demo: Any, stdout: TextIO | None = None) -> int:
    community: Area = demo.community
    if Case.objects.filter(community=community).exists():
        return 0
    rng = random.Random(SEED)
    now = clock.now()
    grids = list(Area.objects.filter(kind=Area.Kind.GRID, path__startswith=community.path).order_by("path"))
    staff = (
        User.objects.filter(username="community").first()
        or User.objects.filter(
            role_assignments__role=Role.COMMUNITY_STAFF, role_assignments__area=community
        ).first()
    )
    if staff is None or not grids:
        return 0
    with transaction.atomic():
        ensure_kinds()
        force = {
            u: _force_user(u, n, r, community if where == "community" else grids[0])
            for u, n, r, where in FORCE
        }
        mediator, adviser, police = (force[k] for k in ("duty-mediator", "duty-adviser", "duty-police"))
        grid_workers = {
            a.area_id: a.user
            for a in RoleAssignment.objects.filter(role=Role.GRID_WORKER, area__in=grids).select_related(
                "user"
            )
        }
        residents: dict[int, list[Person]] = {}
        for m in HouseholdMember.objects.filter(household__building__grid__in=grids).select_related(
            "person", "household__building"
        ):
            residents.setdefault(m.household.building.grid_id, []).append(m.person)
        kinds = list(DisputeKind.objects.filter(active=True))
        made = 0
        repeat: tuple[Area, Person, Person] | None = None
        starts = sorted(
            now - timedelta(days=DAYS * rng.random(), hours=rng.randint(0, 8)) for _ in range(COUNT)
        )
        for i, t0 in enumerate(starts):
            grid = rng.choice(grids)
            people = residents.get(grid.pk) or []
            if len(people) < 2:
                continue
            a, b = rng.sample(people, 2)
            if i == 10:
                repeat = (grid, a, b)
            elif i in (30, 50) and repeat is not None:  # the same neighbours again (重复纠纷)
                grid, a, b = repeat
            kind = kinds[i % len(kinds)]
            fate = rng.choices([o for o, _ in OUTCOMES], weights=[w for _, w in OUTCOMES])[0]
            worker = grid_workers.get(grid.pk)
            _play_case(rng, now, t0, kind, grid, a, b, fate, staff, worker, mediator, adviser, police)
            made += 1
    if stdout:
        stdout.write(f"演示纠纷调解：{made} 起（{community.name}）\n")
    return made


def _play_case(rng, now, t0, kind, grid, a, b, fate, staff, worker, mediator, adviser, police) -> None:
    title, summary, says_a, says_b, terms = STORIES.get(kind.code, STORIES["other"])
    registrar = worker or staff
    with clock.at(t0):
        case = services.case_register(
            user=registrar,
            kind=kind,
            title=f"{title}（{grid.name}）",
            summary=summary,
            source=rng.choice([Source.VISIT, Source.VISIT, Source.HOTLINE, Source.REFERRAL])
            if worker is None
            else Source.VISIT,
            referred_by="街道综治中心",
            grid=grid,
            parties=[
                {"side": Party.Side.APPLICANT, "person": a.pk, "statement": says_a},
                {"side": Party.Side.RESPONDENT, "person": b.pk, "statement": says_b},
            ],
            may_escalate=fate == "risk",
            risk=Risk.HIGH if fate == "risk" else Risk.LOW,
        )
    play = Play(now, t0)
    members = [(_person(mediator), Member.Duty.MEDIATOR), (_person(adviser), Member.Duty.LEGAL_ADVISER)]
    members += [(_person(police), Member.Duty.POLICE)]
    members += (
        [(_person(worker), Member.Duty.GRID_WORKER)] if worker else [(_person(staff), Member.Duty.COMMUNITY)]
    )
    owner = _person(worker) if worker and fate == "kept" else _person(mediator)
    pk = case.pk
    if fate == "withdrawn":
        play.at(1, lambda: services.case_withdraw(user=staff, case_id=pk, reason="双方自行和解，申请撤回"))
        return
    if not play.at(
        rng.uniform(0.2, 1.5),
        lambda: services.case_accept(user=staff, case_id=pk, owner=owner, members=members),
    ):
        return

    def session(note: str):
        case = Case.objects.get(pk=pk)
        services.case_session(
            user=mediator,
            case_id=pk,
            held_at=clock.now(),
            place=rng.choice(["社区和为贵调解室", "当事人家中", "小区议事亭", "网格服务站"]),
            notes=note,
            member_ids=case.members.values_list("pk", flat=True),
            party_ids=case.parties.values_list("pk", flat=True),
        )

    if not play.at(
        rng.uniform(1, 4), lambda: session("双方陈述各自诉求，调解员释法说理，法律顾问讲解相关规定。")
    ):
        return
    if fate in ("escalated", "risk"):
        up = 2 if fate == "escalated" and rng.random() < 0.4 else 1
        for _ in range(up):
            play.at(
                1, lambda: services.case_escalate(user=staff, case_id=pk, reason="涉及多方利益，网格调解未果")
            )
        if not play.at(rng.uniform(2, 6), lambda: session("升级后再次组织调解，双方各让一步。")):
            return
    if fate == "referred":
        to = rng.choice([Referral.JUDICIAL_OFFICE, Referral.LAWSUIT, Referral.ARBITRATION])
        play.at(
            rng.uniform(2, 8),
            lambda: services.case_refer(
                user=staff,
                case_id=pk,
                to=to,
                note="双方分歧较大，经两次调解未能达成协议，告知当事人依法维权途径。",
            ),
        )
        return
    if not _agree_and_sign(rng, play, pk, mediator, terms):
        return
    if fate == "broken":
        term = Term.objects.filter(agreement__case_id=pk).order_by("due_on").first()
        assert term is not None
        if not play.at(
            rng.uniform(8, 15),
            lambda: outcome.case_follow_up(
                user=registrar,
                case_id=pk,
                term_id=term.pk,
                result="broken",
                note="对方未按期履行，申请人再次反映。",
            ),
        ):
            return
        if not play.at(rng.uniform(2, 5), lambda: session("协议未履行后重新调解，重新约定履行期限。")):
            return
        if not _agree_and_sign(rng, play, pk, mediator, terms):
            return
    _follow_and_close(rng, play, pk, registrar, staff)


def _agree_and_sign(rng, play: Play, pk: int, mediator, terms: list[str]) -> bool:
    def agree():
        today = clock.now().date()
        outcome.case_agree(
            user=mediator,
            case_id=pk,
            text="双方当事人本着互谅互让的原则，经调解自愿达成如下协议：",
            terms=[(t, today + timedelta(days=7 + 10 * i)) for i, t in enumerate(terms)],
        )

    if not play.at(rng.uniform(0.5, 3), agree):
        return False
    return play.at(
        rng.uniform(0.1, 1), lambda: outcome.case_sign(user=mediator, case_id=pk, paper_signed=True)
    )


def _follow_and_close(rng, play: Play, pk: int, visitor, staff) -> None:
    for term in Term.objects.filter(agreement__case_id=pk, agreement__broken_at__isnull=True).order_by(
        "due_on"
    ):
        late = rng.random() < 0.15
        days = max(
            0.5, (term.due_on - play.t.date()).days + (rng.uniform(1, 5) if late else -rng.uniform(0, 3))
        )
        if not play.at(
            days,
            lambda t=term: outcome.case_follow_up(
                user=visitor, case_id=pk, term_id=t.pk, result="kept", note="回访核实，已履行。"
            ),
        ):
            return
    if not play.at(rng.uniform(0.5, 3), lambda: outcome.case_close(user=staff, case_id=pk)):
        return
    case = Case.objects.get(pk=pk)
    for party in case.parties.all():
        choice = rng.choices(["satisfied", "basically_satisfied", "unsatisfied"], weights=[70, 25, 5])[0]
        play.at(
            rng.uniform(0.5, 2),
            lambda p=party, c=choice: outcome.case_rate(
                user=staff, case_id=pk, satisfaction=c, party_id=p.pk
            ),
        )
