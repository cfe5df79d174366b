"""两代表一委员 分片联系: assigned to a community with a contact day, on its 评单 review panel."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from access.models import RoleAssignment
from access.scope import Scope
from appeals.models import Channel
from appeals.services import appeal_submit
from councils.liaisons import liaison_assign, liaison_end, visible_liaisons
from councils.sections import review_panel_table
from linli.errors import PermissionDenied, TransitionError, ValidationError

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def test_assign_grants_the_role_and_ending_revokes_it(world):
    w = world
    liaison = liaison_assign(
        user=w.subdistrict,
        person=w.partymember_person,
        kind="deputy",
        community=w.c1,
        contact_day="每月第一个周三上午",
    )
    assert RoleAssignment.objects.filter(user=w.partymember, role="deputy", area=w.c1).exists()
    with pytest.raises(ValidationError):
        liaison_assign(
            user=w.subdistrict, person=w.partymember_person, kind="deputy", community=w.c1, contact_day="x"
        )
    liaison_end(user=w.community, liaison_id=liaison.pk)
    assert not RoleAssignment.objects.filter(user=w.partymember, role="deputy").exists()
    with pytest.raises(TransitionError):
        liaison_end(user=w.community, liaison_id=liaison.pk)


def test_refusals(world):
    w = world
    with pytest.raises(PermissionDenied):
        liaison_assign(
            user=w.community2, person=w.resident_c2, kind="deputy", community=w.c1, contact_day="x"
        )
    with pytest.raises(ValidationError):
        liaison_assign(user=w.community, person=w.resident_c2, kind="deputy", community=w.c1, contact_day=" ")
    with pytest.raises(ValidationError):
        liaison_assign(user=w.community, person=w.resident_c2, kind="mayor", community=w.c1, contact_day="x")


def test_review_panel_counts_the_appeals_they_follow(world, clock_at):
    w = world
    clock_at(datetime(2026, 11, 3, 9, tzinfo=TZ))
    liaison_assign(
        user=w.community, person=w.partymember_person, kind="cppcc_member", community=w.c1, contact_day="周三"
    )
    appeal = appeal_submit(
        user=w.resident, title="噪音", body="夜间施工", channel=Channel.APP, building=w.b1a
    )
    appeal.followers.add(w.partymember_person)
    table = review_panel_table(w.s1, datetime(2026, 11, 1, tzinfo=TZ), datetime(2026, 12, 1, tzinfo=TZ))
    assert table is not None
    followed = w.partymember_person.appeals_followed.filter(community=w.c1).count()
    assert table.rows == [[w.partymember_person.name, "政协委员", "幸福社区", "周三", 0, followed]]
    assert followed == 1


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("community", True),
        ("subdistrict", True),
        ("district", True),
        ("resident", True),
        ("gridworker", True),
        ("community2", False),
        ("unit2", False),
    ],
)
def test_scope_matrix_of_liaisons(world, persona, sees):
    w = world
    liaison = liaison_assign(
        user=w.community, person=w.partymember_person, kind="deputy", community=w.c1, contact_day="x"
    )
    assert visible_liaisons(Scope.of(getattr(w, persona))).filter(pk=liaison.pk).exists() is sees


def test_pages(world, client_for):
    w = world
    client = client_for("community")
    client.post(
        f"/councils/liaisons/{w.c1.pk}/act/",
        {"person": w.partymember_person.pk, "kind": "deputy", "contact_day": "每月第一个周三上午"},
    )
    page = client.get(f"/councils/liaisons/{w.c1.pk}/").content.decode()
    assert "每月第一个周三上午" in page and w.partymember_person.name in page
    public = client_for("resident").get(f"/community/{w.c1.code}/").content.decode()
    assert "两代表一委员接待日" in public and "每月第一个周三上午" in public
    assert 'id="liaisons"' in client.get(f"/areas/{w.c1.pk}/").content.decode()
