"""The demo step: a 最美家庭 campaign through to the honour roll, a 星级文明户 campaign open for nominations."""

from __future__ import annotations

import pytest
from django.test import Client

from campaigns.demo import load_demo_campaigns
from campaigns.models import Campaign, Honour

pytestmark = pytest.mark.django_db


def test_demo_campaigns(settings):
    from demo.loader import load_demo_district

    settings.DEMO_MODE = True
    demo = load_demo_district()
    assert load_demo_campaigns(demo) == 2
    assert load_demo_campaigns(demo) == 0
    family = Campaign.objects.get(kind=Campaign.Kind.FAMILY)
    assert family.status == Campaign.Status.FINISHED and Honour.objects.filter(campaign=family).count() == 3
    assert family.notice.objections.get().answered_at is not None
    star = Campaign.objects.get(kind=Campaign.Kind.STAR_HOUSEHOLD)
    assert star.status == Campaign.Status.NOMINATING and star.nominations.count() == 2
    page = Client().get(f"/community/{demo.community.code}/").content.decode()
    assert "评选光荣榜" in page and "某某家庭" in page and star.title in page
