"""The demo step: the main community's covenant adopted by vote and in force, its revision under deliberation."""

from __future__ import annotations

import pytest
from django.test import Client

from covenants.demo import load_demo_covenants
from covenants.models import Version

pytestmark = pytest.mark.django_db


def test_demo_covenants(settings):
    from demo.loader import load_demo_district

    settings.DEMO_MODE = True
    demo = load_demo_district()
    assert load_demo_covenants(demo) == 1
    assert load_demo_covenants(demo) == 0
    v1, v2 = Version.objects.order_by("number")
    assert (
        v1.status == Version.Status.IN_FORCE and v1.decision.vote.status == "closed" and v1.decision.adopted
    )
    assert v2.status == Version.Status.DELIBERATING and v2.topic.current_step.name == "公示告知"
    page = Client().get(f"/community/{demo.community.code}/").content.decode()
    assert "居民公约" in page and "文明养犬" in page and "第 2 版修订草案正在协商中" in page
