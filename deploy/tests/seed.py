"""The people and places a fresh deployment's administrator would enter first, for the stack test, the fault tests
and the stack benchmark: the named test world (``linli.testing``), a second resident with a login, and a category.

Run inside the stack's own settings (``Stack.python``); prints the ids and logins the callers need as JSON.
"""

from __future__ import annotations

import json

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.test import override_settings

from access.models import Role
from access.services import role_grant
from categories.models import Category
from linli.testing import PASSWORD, build_world
from people.services import person_give_login

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGINS = ("resident", "neighbour", "community", "unit")


def seed() -> dict:
    with override_settings(PASSWORD_HASHERS=FAST):  # fifteen personas: cheap hashes first …
        w = build_world()
        neighbour = person_give_login(person=w.neighbour_g1b, username="neighbour", password=PASSWORD)
        role_grant(user=neighbour, role=Role.RESIDENT, area=w.c1)
    # … then the four logins the callers use get the production hasher, which the stack verifies
    for user in User.objects.filter(username__in=LOGINS):
        user.password = make_password(PASSWORD)
        user.save(update_fields=["password"])
    category = Category.objects.create(
        code="STACK", name="楼道照明", contact_hours=24, resolve_working_days=5
    )
    return {
        "password": PASSWORD,
        "building": w.b1a.pk,
        "category": category.pk,
        "unit": w.pm1.pk,
        "community": w.c1.pk,
    }


if __name__ == "__main__":
    print(json.dumps(seed()))
