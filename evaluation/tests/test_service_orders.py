"""三库联动 service orders are counted with the same figures as appeals, apart from them (``kind``)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from appeals import services as appeal_services
from appeals.models import Appeal, Kind
from evaluation import selectors as sel
from evaluation.tests.test_recount import cube_snapshot
from needs import rounds, services
from needs.tests.test_services import cats, offers  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
MONTH = "2026-05"  # the orders are made and read in this month, whatever the real date


@pytest.fixture(autouse=True)
def _may(clock_at):
    clock_at(datetime(2026, 5, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai")))


@pytest.fixture
def orders(world, cats, offers):  # noqa: F811
    for title, category, person in (
        ("陪同去医院复查", "elderly", world.resident_person),
        ("就业培训", "jobs", None),
    ):
        services.need_create(
            actor=world.community,
            community=world.c1,
            category=cats[category],
            title=title,
            person=person,
            group="" if person else "辖区失业青年",
        )
    round_ = rounds.match_round_run(actor=world.community, community=world.c1)
    made = rounds.round_dispatch(actor=world.community, round_id=round_.pk)
    served = next(o for o in made if o.provider_id == world.partymember_person.pk)
    appeal_services.appeal_accept(user=world.partymember, appeal_id=served.pk)
    appeal_services.appeal_complete(user=world.partymember, appeal_id=served.pk, report="已陪同完成复查")
    appeal_services.appeal_rate(
        user=world.resident, appeal_id=served.pk, resolved=True, satisfaction="satisfied"
    )
    return made


def test_service_orders_have_their_own_figures_and_stay_out_of_the_appeals(world, orders, client_for):
    period = sel.parse_period(MONTH)
    # then the service orders are counted as service orders, with the same measures
    mine = sel.totals(sel.cells(world.c1, period, kind=Kind.SERVICE_ORDER))
    assert mine["counted"] == 2 and mine["done"] == 1 and mine["rated"] == 1 and mine["satisfied"] == 1
    # and not among the appeals (the 三率 of residents' appeals are not changed by matched services)
    appeals = Appeal.objects.filter(kind=Kind.APPEAL, community=world.c1).exclude(
        status__in=["merged", "withdrawn"]
    )
    assert sel.totals(sel.cells(world.c1, period))["counted"] == appeals.count()
    # and a rebuild from the rows gives the same cube
    incremental = cube_snapshot()
    call_command("rebuild_figures", verbosity=0)
    assert cube_snapshot() == incremental

    # when community staff switch the dashboard to service orders
    client = client_for("community")
    page = client.get(f"/evaluation/area/{world.c1.pk}/", {"kind": Kind.SERVICE_ORDER, "month": MONTH})
    assert page.status_code == 200 and "三库联动服务单评单统计" in page.content.decode()
    card = next(c for c in page.context["headline"] if c.figure.key == "counted")
    assert card.text == "2" and "kind=service_order" in card.url
    units = next(t for t in page.context["tables"] if t.key == "units")
    assert "在职党员个人承接" in {
        r.label for r in units.all_rows
    }  # the order a party member served in person
    # then the number drills to exactly the two orders
    listed = client.get(card.url)
    assert {a.pk for a, _ in listed.context["rows"]} == {o.pk for o in orders}
    # and the workbook is of service orders
    export = client.get(
        f"/evaluation/area/{world.c1.pk}/export.xlsx", {"kind": Kind.SERVICE_ORDER, "month": MONTH}
    )
    assert export.status_code == 200 and "service-orders" in export["Content-Disposition"]


def test_api_figures_of_service_orders(world, orders, api_client_for):
    client = api_client_for("community")
    body = client.get("/api/figures/", {"area": "C1", "kind": "service_order", "month": MONTH}).json()
    assert body["kind"] == "service_order" and body["total"]["counts"]["counted"] == 2
    assert client.get("/api/figures/", {"area": "C1", "kind": "x"}).status_code == 400
