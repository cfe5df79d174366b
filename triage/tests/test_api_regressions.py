"""Bugs the API fuzz (tests_api/) found in the triage API."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("pk", ["单位名称", "abc", "1.5e3"])
def test_a_triage_hint_for_an_id_that_is_not_a_number_is_a_404(world, api_client_for, pk):
    # Django's get_object_or_404 let int("单位名称") escape as a ValueError: a 500
    response = api_client_for("community").get(f"/api/triage/{pk}/")

    assert response.status_code == 404, response.content
