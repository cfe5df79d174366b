"""Demo appeals: a few thousand appeals over two years, replayed through the real services at their own dates.

Each appeal gets a planned story (answered, withdrawn, merged, whistled, or dispatched → accepted → completed
→ rated, with some returns, late steps, unresolved and unsatisfied ratings, redos and a few redos never
finished); the steps whose time has come are replayed with ``linli.clock.at``, so recent appeals stay open at
whatever step they have reached, and late ones are flagged by the same supervision code the worker runs.
How likely things go wrong depends on the unit, the community and the month (``demo.outcomes``), so the
figures vary the way a real district's do.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from access.models import Role
from access.services import role_grant
from appeals import services, whistle
from appeals.demo_texts import DemoText, real_texts, sample_texts
from appeals.models import Appeal, Channel, Kind, Status
from appeals.selectors import units_serving
from appeals.signals import bulk_replay
from appeals.supervision import flag_overdue, supervise_overdue
from areas.models import Area, Building
from categories.models import Category
from demo.outcomes import UNSATISFIED, Outcomes, answer_rating, chance, first_rating, later_rating, stuck
from linli import clock
from notifications.models import Notification
from people.models import HouseholdMember, Person
from units.models import Unit

User = get_user_model()
SEED = 4300  # 4.3 万条诉求 in the 商州 report
DEFAULT_COUNT = 2000
DAYS = 730


@dataclass
class Place:
    community: Area
    staff: Any
    residents: list[tuple[Person, Building]]
    units: list[Unit]
    unit_categories: dict[int, set[int]] = field(default_factory=dict)
    open_ids: list[int] = field(default_factory=list)


def _duty_user(username: str, name: str, role: str, **holder: Any):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, first_name=name)
        user.set_unusable_password()  # duty accounts act in the demo history; nobody logs in with them
        user.save(update_fields=["password"])
        role_grant(user=user, role=role, **holder)
    return user


def _staff_for(community: Area):
    found = (
        User.objects.filter(role_assignments__role=Role.COMMUNITY_STAFF, role_assignments__area=community)
        .order_by("id")
        .first()
    )
    return found or _duty_user(
        f"duty-{community.code.lower()}", f"{community.name}值班员", Role.COMMUNITY_STAFF, area=community
    )


def _unit_staff(unit: Unit):
    found = (
        User.objects.filter(role_assignments__role=Role.UNIT_STAFF, role_assignments__unit=unit)
        .order_by("id")
        .first()
    )
    return found or _duty_user(f"duty-{unit.code.lower()}", f"{unit.name}值班员", Role.UNIT_STAFF, unit=unit)


def _places(district: Area) -> list[Place]:
    places = []
    for community in Area.objects.filter(kind=Area.Kind.COMMUNITY, path__startswith=district.path).order_by(
        "path"
    ):
        members = HouseholdMember.objects.filter(
            household__building__grid__path__startswith=community.path
        ).select_related("person__user", "household__building__grid")
        # In creation order: without it each database returns its own order, and the seeded draws differ.
        members = members.order_by("pk")
        residents = [(m.person, m.household.building) for m in members]
        if residents:
            places.append(Place(community, _staff_for(community), residents, list(units_serving(community))))
    return places


class Story:
    """One appeal's planned steps, replayed while their time is not in the future."""

    def __init__(self, rng: random.Random, now: datetime, t0: datetime):
        self.rng, self.now, self.t = rng, now, t0

    def at(self, hours: float, step: Callable[[], object]) -> bool:
        self.t += timedelta(hours=hours)
        if self.t > self.now:
            return False
        with clock.at(self.t):
            step()
        return True


def _ruled(place: Place, category: Category | None, units: list[Unit] | None = None) -> Unit | None:
    """The unit the district's routing rules name (``triage.demo``) for the category here, among ``units``."""
    from triage.demo import demo_rule_unit

    return demo_rule_unit(category, place.community, units or place.units) if category else None


def _pick_unit(
    rng: random.Random, place: Place, category: Category | None, *, not_to: Unit | None = None
) -> Unit:
    """Mostly the unit the district's routing rules name, as a real dispatcher would; else any unit that takes
    the category here. ``not_to``: the unit that returned the appeal as not its own (a dispatcher sends it on to
    another unit whose duty it is, never back)."""
    units = [u for u in place.units if u != not_to] or place.units
    ruled = _ruled(place, category, units)
    if ruled is not None and rng.random() < 0.9:
        return ruled
    wanted = {category.pk, category.parent_id} if category else set()
    fitting = [u for u in units if wanted & place.unit_categories[u.pk]]
    return rng.choice(fitting or units)


COMMENTS = {
    "satisfied": ["处理很及时，谢谢社区", "师傅态度很好", "问题解决了，点赞", ""],
    "basically_satisfied": ["解决了，就是等得有点久", "基本解决，希望以后多巡查", ""],
    "unsatisfied": ["问题还在，没有真正解决", "来看了一眼就走了", "答复敷衍"],
}
UNRESOLVED_COMMENTS = ["暂时解决不了，理解", "说要等明年统一改造", "政策上办不了，解释得还算清楚", ""]


def _play(
    rng: random.Random,
    now: datetime,
    t0: datetime,
    place: Place,
    text: DemoText,
    categories: dict[str, Category],
    unit_staff: Callable[[Unit], Any],
    outcomes: Outcomes,
) -> None:
    person, building = rng.choice(place.residents)
    category = categories.get(text.category_code)
    own = person.user_id is not None
    with clock.at(t0):
        appeal = services.appeal_submit(
            user=person.user if own else place.staff,
            title=text.title,
            body=text.body,
            category=category,
            building=building,
            raised_by=person,
            channel=Channel.APP
            if own
            else rng.choice([Channel.VISIT, Channel.HOTLINE, Channel.COUNTER, Channel.VISIT]),
            is_anonymous=rng.random() < 0.1,
        )
    pk, staff = appeal.pk, place.staff
    story = Story(rng, now, t0)
    rater = person.user if own and rng.random() < 0.7 else staff

    def rate(resolved: bool, satisfaction: str) -> None:
        unresolved = not resolved and satisfaction != UNSATISFIED
        services.appeal_rate(
            user=rater,
            appeal_id=pk,
            resolved=resolved,
            satisfaction=satisfaction,
            comment=rng.choice(UNRESOLVED_COMMENTS if unresolved else COMMENTS[satisfaction]),
        )

    r = rng.random()
    if r < 0.12:  # 回复解释
        answer = text.reply or "经核实，该事项已有明确政策规定，已向您电话说明办理渠道和所需材料。"
        if story.at(
            rng.uniform(1, 20),
            lambda: services.appeal_triage(user=staff, appeal_id=pk, kind="answer", answer=answer),
        ):
            trouble = outcomes.trouble(t0, place.community)
            story.at(rng.uniform(20, 72), lambda: rate(*answer_rating(rng, trouble)))
        return
    if r < 0.15:
        story.at(
            rng.uniform(1, 30),
            lambda: services.appeal_withdraw(user=staff, appeal_id=pk, reason="居民表示问题已自行解决"),
        )
        return
    if r < 0.18 and place.open_ids:
        target = place.open_ids[-1]
        # Stories are replayed one appeal at a time, so the target is already in its final state here.
        if (
            Appeal.objects.filter(pk=target, level=0)
            .exclude(status__in=[Status.MERGED, Status.WITHDRAWN])
            .exists()
        ):
            story.at(
                rng.uniform(1, 6), lambda: services.appeal_merge(user=staff, appeal_id=pk, into_id=target)
            )
            return
    place.open_ids.append(pk)
    if r < 0.23 and len(place.units) >= 3:
        units = rng.sample(place.units, rng.choice([2, 3]))
        if not story.at(
            rng.uniform(1, 8),
            lambda: whistle.appeal_whistle(
                user=staff, appeal_id=pk, units=units, report_within_hours=2, task="联合现场处置"
            ),
        ):
            return
        for unit in units:
            if not story.at(
                rng.uniform(0.2, 1.8), partial(whistle.whistle_report_in, user=unit_staff(unit), appeal_id=pk)
            ):
                return
        for unit in units:
            done = partial(
                whistle.whistle_part_done,
                user=unit_staff(unit),
                appeal_id=pk,
                report=f"{unit.name}已完成现场处置",
            )
            if not story.at(rng.uniform(12, 60), done):
                return
        trouble = outcomes.trouble(t0, place.community, units)
        story.at(rng.uniform(24, 72), lambda: rate(*first_rating(rng, trouble)))
        return

    unit = _pick_unit(rng, place, category)
    if rng.random() < 0.3:
        if not story.at(
            rng.uniform(0.5, 6),
            lambda: services.appeal_triage(user=staff, appeal_id=pk, kind="transfer", category=category),
        ):
            return
    if not story.at(
        rng.uniform(0.5, 16), lambda: services.appeal_dispatch(user=staff, appeal_id=pk, unit=unit)
    ):
        return
    ruled = _ruled(place, category)
    if rng.random() < (0.6 if ruled is not None and unit != ruled else 0.03):  # mostly a unit sent in error
        if not story.at(
            rng.uniform(1, 6),
            lambda: services.appeal_return(
                user=unit_staff(unit), appeal_id=pk, reason="不属于本单位职责范围，请改派"
            ),
        ):
            return
        unit = _pick_unit(rng, place, category, not_to=unit)
        if not story.at(
            rng.uniform(1, 10), lambda: services.appeal_dispatch(user=staff, appeal_id=pk, unit=unit)
        ):
            return
    trouble = outcomes.trouble(t0, place.community, [unit])
    for round_ in range(3):
        appeal.refresh_from_db(fields=["contact_due", "resolve_due"])
        assert appeal.contact_due is not None and appeal.resolve_due is not None  # set by the dispatch
        contact_hours = (appeal.contact_due - story.t).total_seconds() / 3600
        stalls = round_ > 0 and stuck(rng, trouble, round_)
        late_contact = rng.random() < chance(0.05, trouble, 0.5)
        if late_contact:
            story.at(contact_hours + 0.02, lambda: flag_overdue(pk, "contact", clock.now()))
        if not story.at(
            rng.uniform(0.2, 0.9) * contact_hours if not late_contact else rng.uniform(1, 12),
            lambda: services.appeal_accept(user=unit_staff(unit), appeal_id=pk, note="已电话联系居民"),
        ):
            return
        if rng.random() < 0.5 and not story.at(
            rng.uniform(4, 30),
            lambda: services.appeal_progress(
                user=unit_staff(unit), appeal_id=pk, note="已到现场查看，正在安排处理"
            ),
        ):
            return
        if stalls:  # taken back, never finished: open, soon overdue, and the 不满意 stands
            story.at(
                rng.uniform(24, 120),
                lambda: services.appeal_progress(
                    user=unit_staff(unit), appeal_id=pk, note="涉及多个部门和历史遗留问题，正在协调"
                ),
            )
            return
        remaining = (appeal.resolve_due - story.t).total_seconds() / 3600
        if rng.random() < chance(0.06, trouble, 0.5):
            story.at(max(remaining, 0) + 0.05, lambda: flag_overdue(pk, "resolve", clock.now()))
            remaining = rng.uniform(12, 96)
        else:  # a redo takes longer than a first go
            remaining = rng.uniform(0.2 if round_ == 0 else 0.5, 0.9) * max(remaining, 2)
        report = text.reply or "已安排人员现场处理完毕，并电话告知居民。"
        if not story.at(
            remaining, partial(services.appeal_complete, user=unit_staff(unit), appeal_id=pk, report=report)
        ):
            return
        if round_ == 0:
            resolved, satisfaction = first_rating(rng, trouble)
        else:
            resolved, satisfaction = later_rating(rng, trouble, round_)
        if not story.at(rng.uniform(12, 96 if round_ == 0 else 144), partial(rate, resolved, satisfaction)):
            return
        if satisfaction != UNSATISFIED:
            return


def load_demo_appeals(demo: Any, stdout: TextIO | None = None, count: int = DEFAULT_COUNT) -> int:
    """Idempotent: does nothing if the district already has appeals. Returns how many were made."""
    district: Area = demo.district
    if Appeal.objects.filter(kind=Kind.APPEAL, community__path__startswith=district.path).exists():
        return 0  # (the 三库联动 step's service orders are appeals of another kind)
    rng = random.Random(SEED)
    now = clock.now()
    outcomes = Outcomes(now, DAYS)
    texts = real_texts(count * 3) or sample_texts()
    rng.shuffle(texts)
    source = "真实居民留言 (tipdm2020)" if len(texts) > len(sample_texts()) else "团队自编样例"
    categories = {c.code: c for c in Category.objects.all()}
    staff_cache: dict[int, Any] = {}

    def unit_staff(unit: Unit) -> Any:
        if unit.pk not in staff_cache:
            staff_cache[unit.pk] = _unit_staff(unit)
        return staff_cache[unit.pk]

    # Figures are rebuilt once by the evaluation demo step that follows, not refreshed on each replayed step.
    with transaction.atomic(), bulk_replay():
        places = _places(district)
        for place in places:
            place.unit_categories = {
                u.pk: set(u.categories.values_list("pk", flat=True)) for u in place.units
            }
        main = next((p for p in places if p.community == demo.community), places[0])
        starts = sorted(
            now - timedelta(days=DAYS * rng.random() ** 1.4, minutes=rng.randint(0, 600))
            for _ in range(count)
        )
        for i, t0 in enumerate(starts):
            place = main if rng.random() < 0.25 else rng.choice(places)
            _play(rng, now, t0, place, texts[i % len(texts)], categories, unit_staff, outcomes)
            if stdout and (i + 1) % 500 == 0:
                stdout.write(f"  诉求 {i + 1}/{count}\n")
        supervise_overdue(now=now, batch=100_000)
        # What happened more than a week ago has been read.
        Notification.objects.filter(created_at__lt=now - timedelta(days=7), read_at__isnull=True).update(
            read_at=now
        )
    if stdout:
        stdout.write(f"演示诉求：{count} 件（文本来源：{source}）\n")
    return count
