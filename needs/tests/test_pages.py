"""The 三库联动 pages ask for the service: a need says which service it needs, an offer which it gives."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from categories.models import Category
from needs import services
from needs.models import Need, Offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(world):
    root = Category.objects.create(code="CXJS", name="城乡建设")
    return Category.objects.create(code="CXJS-LLJF", name="邻里纠纷", parent=root)


def test_a_need_is_registered_with_the_service_it_needs(world, category, client_for):
    staff = client_for("community")
    hub = staff.get(f"/needs/?community={world.c1.pk}").content.decode()
    assert "需要的服务" in hub and "法律咨询与调解" in hub and "最小费用流" not in hub
    form = {
        "community": world.c1.pk,
        "title": "楼上噪音扰民",
        "category": category.pk,
        "person": world.resident_person.pk,
        "priority": 1,
    }
    # Without the service: refused with the field named, nothing registered
    refused = staff.post("/needs/needs/new/", form, follow=True).content.decode()
    assert "需要的服务" in refused and not Need.objects.exists()
    # With it: registered
    staff.post("/needs/needs/new/", form | {"service_type": "legal"}, follow=True)
    assert Need.objects.get().service_type == "legal"
    # A service not in the list is refused by the service too
    with pytest.raises(ValidationError, match="服务类型"):
        services.need_create(
            actor=world.community,
            community=world.c1,
            category=category,
            title="x",
            group="居民",
            service_type="astrology",
        )


def test_an_offer_is_registered_with_the_services_it_gives(world, category, client_for):
    registration = services.registration_create(
        actor=world.community, community=world.c1, person=world.partymember_person
    )
    staff = client_for("community")
    form = {
        "title": "法律咨询",
        "categories": [category.pk],
        "capacity_per_month": 2,
        "max_distance_km": "3",
        "service_types": ["legal"],
    }
    response = staff.post(f"/needs/registrations/{registration.pk}/", form, follow=True)
    assert response.status_code == 200
    offer = Offer.objects.get()
    assert offer.service_types == ["legal"]
    page = staff.get(f"/needs/registrations/{registration.pk}/").content.decode()
    assert "法律咨询与调解" in page
