"""Personal data at rest: text stored Fernet-encrypted (ID and phone numbers of volunteers, accounts, liaisons),
keyed digests for equality lookups and phone masking. Shared by every app that keeps such data (volunteering,
accounts, liaisons); the ID-number rules stay with the service (kesu.volunteering.crypto).

Key: settings.KESU_FIELD_KEY — one or more keys separated by commas (the first encrypts, all decrypt, so keys
can be rotated). Each key is either a Fernet key (urlsafe base64 of 32 bytes) or any passphrase, which is
stretched with SHA-256. It is its own secret, never derived from SECRET_KEY (settings give a fixed key in debug).
Lookups (is this ID number already registered?) use a keyed HMAC digest, never the plaintext.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def _as_fernet_key(raw: str) -> bytes:
    try:
        decoded = base64.urlsafe_b64decode(raw.encode())
        if len(decoded) == 32:
            return raw.encode()
    except (binascii.Error, ValueError):
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(raw.encode()).digest())


def _configured_keys() -> list[str]:
    configured = getattr(settings, "KESU_FIELD_KEY", "") or ""
    keys = [k.strip() for k in configured.split(",") if k.strip()]
    if not keys:
        raise ImproperlyConfigured("KESU_FIELD_KEY is not set")
    return keys


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_as_fernet_key(k)) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(_configured_keys()))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise InvalidToken("无法解密个人信息字段：KESU_FIELD_KEY 与加密时使用的密钥不一致") from error


def digest(text: str) -> str:
    """A keyed digest for equality lookups (the same ID number gives the same digest); '' for ''."""
    if not text:
        return ""
    key = hashlib.sha256(("digest:" + _configured_keys()[0]).encode()).digest()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


# Every Fernet token starts with the version byte 0x80, i.e. "gAAAAA" in urlsafe base64.
FERNET_TOKEN_START = "gAAAAA"


def _decrypted_if_token(text: str) -> str:
    """The plaintext of a Fernet token made with our keys (a serialized value); any other text unchanged."""
    if not text.startswith(FERNET_TOKEN_START):
        return text
    try:
        return fernet().decrypt(text.encode()).decode()
    except InvalidToken:
        return text


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python sees the plaintext. Cannot be filtered on (tokens are randomised).

    Serialization (`dumpdata`, fixtures) writes the ciphertext, never the plaintext; deserialization
    (`loaddata`) recognises a token made with our keys and turns it back into the plaintext."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else ""

    def to_python(self, value):
        return "" if value is None else _decrypted_if_token(str(value))

    def value_to_string(self, obj) -> str:
        return encrypt(self.value_from_object(obj) or "")

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else ""


# ---------------------------------------------------------------------------- phones


def normalise_phone(text: str) -> str:
    return re.sub(r"[\s-]", "", text or "")


def valid_phone(text: str) -> bool:
    return bool(re.fullmatch(r"1[3-9]\d{9}|0\d{2,3}\d{7,8}", normalise_phone(text)))


def mask_phone(text: str) -> str:
    """13812345678 → 138****5678."""
    if not text:
        return ""
    if len(text) <= 7:
        return text[:1] + "*" * (len(text) - 1)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]
