"""Residents' phones (and other secrets, such as two-factor keys) encrypted at rest, with keyed digests for lookups.

The key comes from the environment (``LINLI_DATA_KEY``; in development it is derived from ``SECRET_KEY``). Two keys
are derived from it: one for AES-256-GCM (a random 96-bit nonce per value, so equal phones give different
ciphertexts) and one for HMAC-SHA256 digests (equal phones give equal digests, which is what a lookup needs; without
the key a digest says nothing, and a list of every mobile number cannot be hashed to find one).

A stored value reads ``v1:<base64url(nonce ‖ ciphertext ‖ tag)>``. Values written before encryption (no prefix) are
read as they are, so a half-migrated table still works. Old keys in ``LINLI_DATA_KEY_FALLBACKS`` still decrypt;
``manage.py reencrypt_personal_data`` rewrites every value and digest with the current key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1:"
NONCE_BYTES = 12


class UndecryptableValue(ValueError):
    """A stored value no configured key opens: the wrong LINLI_DATA_KEY, or a damaged row."""


@lru_cache(maxsize=8)
def _keys(master: str) -> tuple[AESGCM, bytes]:
    secret = master.encode()
    aes_key = hmac.new(secret, b"linli:personal-data:aes-256-gcm", hashlib.sha256).digest()
    digest_key = hmac.new(secret, b"linli:personal-data:digest", hashlib.sha256).digest()
    return AESGCM(aes_key), digest_key


def _current() -> tuple[AESGCM, bytes]:
    return _keys(settings.LINLI_DATA_KEY)


def encrypt(value: str) -> str:
    """The stored form of a value ("" stays "")."""
    if not value:
        return value
    nonce = os.urandom(NONCE_BYTES)
    sealed = _current()[0].encrypt(nonce, value.encode(), None)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")


def is_encrypted(stored: str | None) -> bool:
    return bool(stored) and stored.startswith(PREFIX)  # type: ignore[union-attr]


def decrypt(stored: str) -> str:
    """The value of a stored form; a value stored before encryption is returned as it is."""
    if not is_encrypted(stored):
        return stored
    raw = stored[len(PREFIX) :]
    try:
        blob = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except ValueError as exc:
        raise UndecryptableValue("not a Linli ciphertext") from exc
    nonce, sealed = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
    for master in [settings.LINLI_DATA_KEY, *getattr(settings, "LINLI_DATA_KEY_FALLBACKS", [])]:
        try:
            return _keys(master)[0].decrypt(nonce, sealed, None).decode()
        except InvalidTag:
            continue
    raise UndecryptableValue("no key in LINLI_DATA_KEY or LINLI_DATA_KEY_FALLBACKS opens this value")


def needs_reencryption(stored: str) -> bool:
    """True for a value stored in plain text or under a fallback key."""
    if not stored:
        return False
    if not is_encrypted(stored):
        return True
    raw = stored[len(PREFIX) :]
    blob = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    try:
        _current()[0].decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], None)
    except InvalidTag:
        return True
    return False


# ---- digests (blind indexes) ------------------------------------------------------------------------------------
def normalize_phone(value: str) -> str:
    """The digits (and a leading +) of a phone as typed: "0731-8888 1200" and "073188881200" are the same phone."""
    return "".join(ch for ch in (value or "") if ch.isdigit() or ch == "+")


def phone_tail(value: str) -> str:
    """The last four digits, what a resident says on the phone ("尾号 5678"); "" for fewer than four."""
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


NORMALIZERS = {"phone": normalize_phone, "phone_tail": phone_tail}


def digest(kind: str, value: str) -> str:
    """The keyed digest of a value for a kind of lookup ("phone", "phone_tail"); "" for an empty value."""
    normalized = NORMALIZERS[kind](value)
    if not normalized:
        return ""
    message = f"{kind}:{normalized}".encode()
    return hmac.new(_current()[1], message, hashlib.sha256).hexdigest()
