"""Phones and two-factor secrets encrypted at rest (people.crypto, people.fields): the raw columns hold no phone,
lookups still work through keyed digests, existing rows are encrypted by the migrations' helper, a key change is
carried out by ``reencrypt_personal_data``, and production refuses to start without a key of its own."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from access import twofactor
from access.twofactor_models import TwoFactorDevice
from linli import clock
from people import crypto
from people.migration_ops import rewrite_column
from people.models import Person, phone_matches
from people.services import person_update

pytestmark = pytest.mark.django_db


def raw(model, pk, column: str) -> str:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(column)} FROM {qn(model._meta.db_table)} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_phone_column_holds_no_phone_and_the_model_reads_it_back(world):
    # given a resident registered with a phone
    person = world.neighbour_g1b
    # then the column holds a ciphertext with no digit run of the phone, different for two equal phones
    stored = raw(Person, person.pk, "phone")
    assert stored.startswith(crypto.PREFIX) and "13900001111" not in stored and "1111" not in stored
    twin = Person.objects.create(name="李桂兰的女儿", phone="13900001111")
    assert raw(Person, twin.pk, "phone") != stored
    # and neither digest column contains it
    assert "13900001111" not in raw(Person, person.pk, "phone_digest")
    # and the model reads the phone back
    assert Person.objects.get(pk=person.pk).phone == "13900001111"
    assert Person.objects.filter(pk=person.pk).values_list("phone", flat=True)[0] == "13900001111"


def test_lookups_by_whole_phone_and_last_four_digits_still_work(world):
    assert list(Person.objects.filter(phone="13900001111")) == [world.neighbour_g1b]
    assert list(Person.objects.filter(phone__in=["13900001111", "13700002222"]).order_by("pk")) == [
        world.neighbour_g1b,
        world.resident_c2,
    ]
    assert set(Person.objects.filter(phone_matches("2222"))) == {world.resident_c2}
    assert set(Person.objects.filter(phone_matches("13812345678"))) == {world.resident_person}
    assert not Person.objects.filter(phone_matches("123")).exists()  # a fragment finds nobody
    # an empty phone is found as empty
    blank = Person.objects.create(name="无电话")
    assert blank in Person.objects.filter(phone="")
    assert blank not in Person.objects.exclude(phone="")


def test_a_search_inside_the_ciphertext_is_an_error_not_an_empty_answer(world):
    with pytest.raises(FieldError):
        list(Person.objects.filter(phone__contains="1111"))
    with pytest.raises(FieldError):
        list(Person.objects.filter(phone__startswith="139"))


def test_changing_a_phone_with_update_fields_moves_its_digests(world):
    # when the grid worker corrects a phone through the service (save with update_fields=["phone"])
    person_update(actor=world.gridworker, person=world.neighbour_g1b, phone="13911112222")
    # then the new phone is found and the old one is not
    assert list(Person.objects.filter(phone="13911112222")) == [world.neighbour_g1b]
    assert not Person.objects.filter(phone="13900001111").exists()
    assert set(Person.objects.filter(phone_matches("2222"))) == {world.neighbour_g1b, world.resident_c2}


def test_a_landline_is_found_with_or_without_its_hyphen(world):
    person = Person.objects.create(name="张大爷", phone="0731-88881200")
    assert list(Person.objects.filter(phone="073188881200")) == [person]
    assert list(Person.objects.filter(phone_matches("1200"))) == [person]


def test_rows_stored_before_encryption_are_encrypted_and_found(world):
    # given phones written in plain text, as before the migration (and one already encrypted)
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn('people_person')} SET {qn('phone')} = %s, {qn('phone_digest')} = '' WHERE id = %s",
            ["13900001111", world.neighbour_g1b.pk],
        )
    assert raw(Person, world.neighbour_g1b.pk, "phone") == "13900001111"
    assert Person.objects.get(pk=world.neighbour_g1b.pk).phone == "13900001111"  # plain text still reads
    # when the migration's step runs (in batches smaller than the table)
    rewritten = rewrite_column(Person, "phone", batch=3)
    # then only that row was rewritten: encrypted, and found again by its phone
    assert rewritten == 1
    assert crypto.is_encrypted(raw(Person, world.neighbour_g1b.pk, "phone"))
    assert list(Person.objects.filter(phone="13900001111")) == [world.neighbour_g1b]
    # and going back stores plain text again
    rewrite_column(Person, "phone", decrypting=True)
    assert raw(Person, world.neighbour_g1b.pk, "phone") == "13900001111"
    rewrite_column(Person, "phone")


def test_a_new_key_reads_old_values_through_the_fallback_and_the_command_rewrites_them(world, settings):
    old_key = settings.LINLI_DATA_KEY
    old_stored = raw(Person, world.resident_c2.pk, "phone")
    # given a new key, the old one kept as a fallback
    settings.LINLI_DATA_KEY = "a-brand-new-key-of-forty-random-characters"
    settings.LINLI_DATA_KEY_FALLBACKS = [old_key]
    assert Person.objects.get(pk=world.resident_c2.pk).phone == "13700002222"
    # when the command rewrites everything
    call_command("reencrypt_personal_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # then the value is stored anew, found by the new digest, and read without the fallback
    assert raw(Person, world.resident_c2.pk, "phone") != old_stored
    settings.LINLI_DATA_KEY_FALLBACKS = []
    assert Person.objects.get(pk=world.resident_c2.pk).phone == "13700002222"
    assert list(Person.objects.filter(phone="13700002222")) == [world.resident_c2]


def test_a_value_no_key_opens_is_an_error_not_a_wrong_phone(world, settings):
    settings.LINLI_DATA_KEY = "someone-elses-key-of-forty-random-characters"
    with pytest.raises(crypto.UndecryptableValue):
        Person.objects.get(pk=world.resident_c2.pk)


def test_the_two_factor_secret_is_encrypted_at_rest(world):
    # given the administrator starting two-factor sign-in
    device = twofactor.twofactor_start(user=world.admin)
    secret = device.secret
    # then the column holds no secret, and a code from the authenticator app is still accepted
    assert secret not in raw(TwoFactorDevice, device.pk, "secret")
    code = twofactor.code_at(secret, twofactor.step_of(clock.now().timestamp()))
    assert len(twofactor.twofactor_confirm(user=world.admin, code=code)) == twofactor.RECOVERY_CODES


def test_a_partys_and_an_open311_contacts_phone_are_encrypted_at_rest():
    from disputes.models import Party
    from open311.models import Open311Request

    for model in (Party, Open311Request):
        field = model._meta.get_field("phone")
        stored = field.get_db_prep_save("13900001111", connection)
        assert crypto.is_encrypted(stored) and "1111" not in stored
        assert field.from_db_value(stored, None, connection) == "13900001111"


def _check(env_changes: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINLI_DATA_KEY")}
    env.update(
        DEBUG="0",
        SECRET_KEY="a-production-secret-key-that-is-long-enough-for-the-check-1234567890",
        DATABASE_URL="sqlite:////tmp/linli-never-opened.sqlite3",
        ALLOWED_HOSTS="linli.example.gov.cn",
        **env_changes,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    "key",
    [None, "replace-with-43-random-characters-xxxxxxxxx", "short", "SECRET"],
)
def test_production_refuses_to_start_without_a_data_key_of_its_own(key):
    env = {} if key is None else {"LINLI_DATA_KEY": key}
    if key == "SECRET":
        env["LINLI_DATA_KEY"] = "a-production-secret-key-that-is-long-enough-for-the-check-1234567890"
    result = _check(env)
    assert result.returncode != 0
    assert "LINLI_DATA_KEY" in result.stderr
