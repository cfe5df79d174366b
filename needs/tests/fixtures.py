"""The demo's offers and needs (needs.demo) built in the test world through the services, for the tests of the
fit rule, manual assignment and the API."""

from __future__ import annotations

from types import SimpleNamespace

from demo.categories import ensure_categories
from needs import demo, services
from needs.models import Need, Offer
from people.services import person_create
from units.models import Unit
from units.services import unit_create


def demo_offer(title: str) -> tuple[list[str], list[str], int, int]:
    """(categories, service types, capacity, radius) of a demo offer, by its title."""
    for _kind, _word, (name, codes, kinds, capacity, radius) in demo.UNIT_OFFERS:
        if name == title:
            return codes, kinds, capacity, radius
    for name, codes, kinds in demo.MEMBER_OFFERS:
        if name == title:
            return codes, kinds, 2, 3
    raise KeyError(title)


def demo_need(title: str) -> tuple[str, str, int]:
    """(category, service type, priority) of a demo need, by its title."""
    for name, code, kind, _who, priority in demo.NEEDS:
        if name == title:
            return code, kind, priority
    raise KeyError(title)


def offers_like_the_demo(w) -> SimpleNamespace:
    """In 幸福社区 c1: the property manager's 楼道设施小修, the power company's 用电安全检查, the labour bureau's
    就业社保政策进社区, and three party members: 法律咨询, 电脑手机教学, 水电小修. The lawyer starts from the
    other community, 1 km radius: too far for c1's needs, so a round leaves legal needs unmatched."""
    cats = ensure_categories()
    power = unit_create(kind=Unit.Kind.UTILITY, code="U-PWR", name="区供电公司", home_area=w.d)
    labour = unit_create(kind=Unit.Kind.DEPARTMENT, code="U-HR", name="区人力资源局", home_area=w.d)
    members = {
        title: person_create(name=name, phone=phone, is_party_member=True, community=w.c1)
        for title, name, phone in [
            ("法律咨询", "吴律师", "13600000001"),
            ("电脑手机教学", "郑老师", "13600000002"),
            ("水电小修", "冯师傅", "13600000003"),
        ]
    }
    made: dict[str, Offer] = {}
    for title, holder in [("楼道设施小修", {"unit": w.pm1}), ("用电安全检查", {"unit": power})]:
        made[title] = _offer(w, cats, title, holder)
    made["就业社保政策进社区"] = _offer(w, cats, "就业社保政策进社区", {"unit": labour})
    for title, person in members.items():
        made[title] = _offer(
            w, cats, title, {"person": person}, base=w.c2 if title == "法律咨询" else w.c1, radius=1
        )
    return SimpleNamespace(cats=cats, offers=made, members=members)


def _offer(w, cats, title: str, holder: dict, base=None, radius=None) -> Offer:
    codes, kinds, capacity, default_radius = demo_offer(title)
    registration = services.registration_create(actor=w.community, community=w.c1, **holder)
    return services.offer_create(
        actor=w.community,
        registration=registration,
        title=title,
        categories=[cats[c] for c in codes],
        service_types=kinds,
        capacity_per_month=capacity,
        base=base or w.c1,
        max_distance_km=radius if radius is not None else default_radius,
    )


def need_like_the_demo(w, cats, title: str, **extra) -> Need:
    code, kind, priority = demo_need(title)
    return services.need_create(
        actor=w.community,
        community=w.c1,
        category=cats[code],
        service_type=kind,
        title=title,
        priority=priority,
        **({"person": w.resident_person, "building": w.b1a} | extra),
    )
