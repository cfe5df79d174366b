"""Fixtures of the appeal loop on top of the shared ``world``."""

from __future__ import annotations

import pytest

from appeals import services
from appeals.models import Channel
from categories.models import Category


@pytest.fixture
def category(world):
    root = Category.objects.create(code="CX", name="城乡建设", contact_hours=24, resolve_working_days=5)
    return Category.objects.create(
        code="CX-WY", name="物业管理", parent=root, contact_hours=4, resolve_working_days=3
    )


@pytest.fixture
def submitted(world, category):
    """An appeal the resident raised about their building."""
    return services.appeal_submit(
        user=world.resident,
        title="楼道灯坏了",
        body="3 单元楼道灯坏了一周，老人晚上下楼看不见。",
        channel=Channel.APP,
        category=category,
        building=world.b1a,
    )


@pytest.fixture
def dispatched(world, submitted):
    return services.appeal_dispatch(user=world.community, appeal_id=submitted.pk, unit=world.pm1)


@pytest.fixture
def accepted(world, dispatched):
    return services.appeal_accept(user=world.unit, appeal_id=dispatched.pk)


@pytest.fixture
def completed(world, accepted):
    return services.appeal_complete(user=world.unit, appeal_id=accepted.pk, report="已更换灯泡并检查线路。")
