"""The structure pages: a community's party tree and co-building units, kept by its staff on the page."""

from __future__ import annotations

from datetime import date

import pytest

from cobuilding.services import agreement_create, pledge_add
from units.models import PartyOrg

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(world):
    a = agreement_create(
        user=world.community,
        community=world.c1,
        unit=world.pm1,
        title="幸福物业共建协议",
        starts_on=date(2026, 1, 1),
        ends_on=date(2028, 12, 31),
    )
    pledge_add(user=world.community, agreement_id=a.pk, kind="place", description="开放物业活动室")
    return a


def test_staff_see_the_tree_and_the_units_and_found_a_branch(world, client_for, agreement):
    client = client_for("community")
    page = client.get(f"/cobuilding/community/{world.c1.pk}/").content.decode()
    assert "幸福社区党委" in page and "幸福物业共建协议" in page and "开放物业活动室" in page
    response = client.post(
        f"/cobuilding/party/{world.po_c1.pk}/child/",
        {"name": "幸福二网格党支部", "area": world.g1b.pk, "secretary": world.partymember_person.pk},
    )
    branch = PartyOrg.objects.get(name="幸福二网格党支部")
    assert response.status_code == 302 and response["Location"] == f"/cobuilding/party/{branch.pk}/"
    assert (branch.area, branch.secretary) == (world.g1b, world.partymember_person)
    detail = client.get(f"/cobuilding/party/{branch.pk}/").content.decode()
    assert "成立党小组" in detail and "幸福2号楼" in detail


def test_a_refusal_is_shown_on_the_page(world, client_for):
    client = client_for("community")
    response = client.post(
        f"/cobuilding/party/{world.po_c1.pk}/edit/",
        {"name": "x", "secretary": world.neighbour_g1b.pk},
        follow=True,
    )
    assert "不是党员" in response.content.decode()


def test_outsiders_do_not_find_the_community_and_residents_have_no_forms(world, client_for, agreement):
    assert client_for("community2").get(f"/cobuilding/community/{world.c1.pk}/").status_code == 404
    assert client_for("community2").get(f"/cobuilding/agreements/{agreement.pk}/").status_code == 404
    page = client_for("resident").get(f"/cobuilding/community/{world.c1.pk}/").content.decode()
    assert "幸福社区党委" in page and "登记共建协议" not in page
    response = client_for("resident").post(
        f"/cobuilding/party/{world.po_c1.pk}/edit/", {"name": "x"}, follow=True
    )
    assert "您不能维护" in response.content.decode()


def test_sections_on_the_area_page_the_public_page_and_the_hub(world, client_for, agreement):
    area_page = client_for("community").get(f"/areas/{world.c1.pk}/").content.decode()
    assert 'id="party-tree"' in area_page and 'id="cobuilding"' in area_page
    public = client_for("resident").get(f"/community/{world.c1.code}/").content.decode()
    assert "党组织与共建单位" in public and "幸福物业" in public
    assert "13812345678" not in public
    assert "党建与共建" in client_for("community").get("/hub/").content.decode()


def test_annual_report_pdf(world, client_for, agreement):
    response = client_for("unit").get(f"/cobuilding/units/{world.pm1.pk}/report/2026.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client_for("unit2").get(f"/cobuilding/units/{world.pm1.pk}/report/2026.pdf").status_code == 404
