"""The project ledger: create, claim by a co-building unit, milestones, complete, rate, publish; refusals."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from needs.services import registration_create
from notices.models import Notice
from projects import services
from projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(world):
    return services.project_create(
        user=world.community,
        community=world.c1,
        kind="co_building",
        title="幸福社区加装电梯",
        description="为 1 号楼加装电梯",
        budget_fen=45_000_000,
    )


def test_the_ledger_from_creation_to_done(world, project, client_for):
    registration_create(actor=world.community, community=world.c1, unit=world.pm1)
    services.project_claim(user=world.unit, project_id=project.pk, unit=world.pm1)
    m1 = services.milestone_add(
        user=world.community, project_id=project.pk, title="方案公示", due=date(2026, 12, 1)
    )
    m2 = services.milestone_add(
        user=world.community, project_id=project.pk, title="施工", due=date(2027, 3, 1), weight=3
    )
    services.milestone_done(user=world.unit, project_id=project.pk, milestone_id=m1.pk)
    project.refresh_from_db()
    assert project.status == Project.Status.IN_PROGRESS and project.progress == 25
    with pytest.raises(ValidationError):  # a milestone still open
        services.project_complete(user=world.community, project_id=project.pk, note="完工")
    services.milestone_done(user=world.unit, project_id=project.pk, milestone_id=m2.pk)
    services.project_complete(user=world.community, project_id=project.pk, note="电梯投入使用")
    project.refresh_from_db()
    assert project.status == Project.Status.DONE and project.progress == 100
    assert list(project.events.values_list("action", flat=True)) == [
        "create",
        "claim",
        "milestone",
        "milestone",
        "milestone_done",
        "milestone_done",
        "complete",
    ]
    assert services.ledger_rate(Project.objects.filter(community=world.c1)) == (1, 1)
    notice = services.ledger_publish(user=world.community, community=world.c1)
    assert notice.kind == Notice.Kind.LEDGER and "幸福社区加装电梯" in notice.body
    page = client_for("community").get(f"/projects/{project.pk}/").content.decode()
    assert "电梯投入使用" in page and "100%" in page


def test_only_co_building_units_claim(world, project):
    with pytest.raises(PermissionDenied):  # not their unit
        services.project_claim(user=world.community, project_id=project.pk, unit=world.pm1)
    with pytest.raises(ValidationError):  # pm2 neither co-builds with nor registered in c1
        services.project_claim(user=world.unit2, project_id=project.pk, unit=world.pm2)
    project.refresh_from_db()
    assert project.status == Project.Status.OPEN and project.claimed_by is None


def test_bad_input_and_outsiders(world, client_for):
    with pytest.raises(ValidationError) as err:
        services.project_create(
            user=world.community, community=world.c1, kind="x", title="", description="", budget_fen=-1
        )
    assert set(err.value.message_dict) == {"kind", "title", "description", "budget_fen"}
    with pytest.raises(PermissionDenied):
        services.project_create(
            user=world.community2, community=world.c1, kind="livelihood", title="a", description="b"
        )
    assert Project.objects.count() == 0
    r = client_for("community").post(
        "/projects/new/",
        {"community": world.c1.pk, "kind": "livelihood", "title": "", "description": "", "budget_yuan": "-5"},
    )
    assert r.status_code == 302 and Project.objects.count() == 0


def test_pages_follow_scope(world, project, client_for):
    assert client_for("community").get(f"/projects/{project.pk}/").status_code == 200
    assert client_for("community2").get(f"/projects/{project.pk}/").status_code == 404
    assert client_for("resident").get(f"/projects/{project.pk}/").status_code == 404
    export = client_for("community").get("/projects/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_a_project_grows_out_of_appeals_and_links_back(world, client_for):
    from appeals import services as appeal_services
    from appeals.models import Channel

    appeal = appeal_services.appeal_submit(
        user=world.resident, title="老楼没有电梯", body="上下楼困难", channel=Channel.APP, building=world.b1a
    )
    community = client_for("community")
    r = community.post(
        "/projects/new/",
        {
            "community": world.c1.pk,
            "kind": "livelihood",
            "title": "加装电梯",
            "description": "回应居民诉求",
            "budget_yuan": "1000",
            "appeal_ids": f"{appeal.pk}",
        },
    )
    project = Project.objects.get()
    assert r.status_code == 302 and list(project.appeals.all()) == [appeal]
    assert "加装电梯" in community.get(f"/appeals/{appeal.pk}/").content.decode()
    r = community.post(
        "/projects/new/",
        {
            "community": world.c1.pk,
            "kind": "livelihood",
            "title": "x",
            "description": "y",
            "budget_yuan": "1",
            "appeal_ids": "999999",
        },
    )
    assert Project.objects.count() == 1
