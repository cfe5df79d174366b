"""居民公约: drafted, deliberated as a six-step topic, adopted by the residents' vote, published on the notice board,
revised as a new version; the public page shows the version in force and its history. Refusals and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from covenants import services
from covenants.models import Version
from deliberation import voting
from deliberation.processes import ensure_templates
from deliberation.tests.conftest import to_voting_step
from linli import clock
from linli.errors import PermissionDenied, TransitionError
from notices.models import Notice

TEXT_1 = "一、爱护公共环境，垃圾分类投放。\n二、邻里互助，文明养犬。"
TEXT_2 = TEXT_1 + "\n三、电动车不进楼道，不飞线充电。"


@pytest.fixture(autouse=True)
def _templates(db):
    ensure_templates()


def vote_on(world, version, agree: bool):
    """The topic at 开展协商, a residents' vote, both households voting, the vote closed after its time."""
    to_voting_step(world.community, version.topic)
    now = clock.now()
    vote = voting.vote_open(user=world.community, topic_id=version.topic_id, title="是否同意公约草案", question="请表决",
                            electorate="residents", opens_at=now, closes_at=now + timedelta(hours=1))  # fmt: skip
    option = vote.options.get(order=0 if agree else 1)
    for user in (world.resident, world.buildinghead):
        voting.vote_cast(user=user, vote_id=vote.pk, option_id=option.pk)
    with clock.travel(now + timedelta(hours=2)):
        voting.vote_close(user=world.community, vote_id=vote.pk)


def adopt_and_publish(world, version):
    with clock.travel(clock.now() + timedelta(hours=3)):
        services.version_adopt(user=world.community, version_id=version.pk)
        return services.version_publish(user=world.community, version_id=version.pk)


def test_drafted_deliberated_adopted_published_and_revised(world, client):
    v1 = services.covenant_create(
        user=world.community, community=world.c1, title="幸福社区居民公约", text=TEXT_1
    )
    v1 = services.version_deliberate(user=world.community, version_id=v1.pk)
    assert v1.topic.template.code == "146" and v1.topic.community == world.c1
    with pytest.raises(TransitionError, match="还没有结束的居民表决"):
        services.version_adopt(user=world.community, version_id=v1.pk)
    vote_on(world, v1, agree=True)
    v1 = adopt_and_publish(world, v1)
    assert v1.status == Version.Status.IN_FORCE and v1.decision.vote is not None
    assert Notice.objects.get(subject_type="covenants.version", subject_id=v1.pk).kind == Notice.Kind.RESULT
    with pytest.raises(TransitionError):  # nothing left to do to an in-force version
        services.version_publish(user=world.community, version_id=v1.pk)
    v2 = services.covenant_revise(
        user=world.community, covenant_id=v1.covenant_id, text=TEXT_2, changes="增加电动车安全条款"
    )
    with pytest.raises(TransitionError, match="完成后才能再修订"):
        services.covenant_revise(
            user=world.community, covenant_id=v1.covenant_id, text=TEXT_2, changes="再改"
        )
    services.version_deliberate(user=world.community, version_id=v2.pk)
    v2.refresh_from_db()
    vote_on(world, v2, agree=True)
    v2 = adopt_and_publish(world, v2)
    v1.refresh_from_db()
    assert (v1.status, v2.status, v2.number) == (Version.Status.SUPERSEDED, Version.Status.IN_FORCE, 2)
    page = client.get(f"/community/{world.c1.code}/").content.decode()
    assert (
        "居民公约" in page and "电动车不进楼道" in page and "第 2 版" in page and "增加电动车安全条款" in page
    )
    assert page.count("第 1 版") >= 1


def test_a_failed_vote_rejects_the_version_and_the_one_in_force_stays(world):
    v = services.covenant_create(
        user=world.community, community=world.c1, title="公约", text=TEXT_1, compound="幸福小区"
    )
    services.version_deliberate(user=world.community, version_id=v.pk)
    v.refresh_from_db()
    vote_on(world, v, agree=False)
    with clock.travel(clock.now() + timedelta(hours=3)):
        with pytest.raises(TransitionError, match="未通过"):
            services.version_adopt(user=world.community, version_id=v.pk)
        v = services.version_reject(user=world.community, version_id=v.pk)
    assert v.status == Version.Status.REJECTED


def test_only_the_communitys_staff_run_a_covenant(world):
    with pytest.raises(PermissionDenied):
        services.covenant_create(user=world.gridworker, community=world.c1, title="公约", text=TEXT_1)
    v = services.covenant_create(user=world.community, community=world.c1, title="公约", text=TEXT_1)
    with pytest.raises(TransitionError):
        services.covenant_create(user=world.community, community=world.c1, title="公约", text=TEXT_1)
    with pytest.raises(PermissionDenied):
        services.version_deliberate(user=world.community2, version_id=v.pk)
    with pytest.raises(TransitionError):  # state before right: a draft cannot be adopted by anyone
        services.version_adopt(user=world.community2, version_id=v.pk)


SEES_DRAFT = {
    "community": True,
    "gridworker": True,
    "subdistrict": True,
    "admin": True,
    "resident": False,
    "buildinghead": False,
    "partymember": False,
}
SEES = {
    **SEES_DRAFT,
    "resident": True,
    "buildinghead": True,
    "partymember": True,
    "community2": False,
    "unit": False,
    "gridworker2": False,
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_scope_matrix_covenants(world, api_client_for, client_for, persona):
    v = services.covenant_create(user=world.community, community=world.c1, title="公约", text=TEXT_1)
    got = api_client_for(persona).get(f"/api/covenants/{v.covenant_id}/")
    assert (got.status_code == 200) is SEES[persona]
    assert (client_for(persona).get(f"/covenants/{v.covenant_id}/").status_code == 200) is SEES[persona]
    if SEES[persona]:
        assert bool(got.json()["versions"]) is SEES_DRAFT[persona]  # drafts are for the staff


def test_api_steps(world, api_client_for):
    v = services.covenant_create(user=world.community, community=world.c1, title="公约", text=TEXT_1)
    url = f"/api/covenants/{v.covenant_id}/step/"
    assert (
        api_client_for("gridworker")
        .post(url, {"version": v.pk, "step": "deliberate"}, format="json")
        .status_code
        == 403
    )
    assert (
        api_client_for("community").post(url, {"version": v.pk, "step": "fly"}, format="json").status_code
        == 400
    )
    assert (
        api_client_for("community").post(url, {"version": 999999, "step": "adopt"}, format="json").status_code
        == 404
    )
    assert (
        api_client_for("community").post(url, {"version": v.pk, "step": "adopt"}, format="json").status_code
        == 409
    )
    ok = api_client_for("community").post(url, {"version": v.pk, "step": "deliberate"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "deliberating" and ok.json()["topic"]
    assert (
        api_client_for("community2").post(url, {"version": v.pk, "step": "adopt"}, format="json").status_code
        == 404
    )


def test_pages_create_and_deliberate(world, client_for):
    staff = client_for("community")
    made = staff.post("/covenants/", {"community": world.c1.pk, "title": "幸福社区居民公约", "text": TEXT_1})
    assert made.status_code == 302
    version = Version.objects.get()
    staff.post(f"/covenants/{version.covenant_id}/deliberate/", {"version": version.pk})
    version.refresh_from_db()
    assert version.status == Version.Status.DELIBERATING
    page = staff.get(f"/covenants/{version.covenant_id}/").content.decode()
    assert "确认表决通过" in page and version.topic.title in page
    refused = staff.post(f"/covenants/{version.covenant_id}/adopt/", {"version": version.pk}, follow=True)
    assert "还没有结束的居民表决" in refused.content.decode()
    assert client_for("resident").get("/covenants/").status_code == 200
