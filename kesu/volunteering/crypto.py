"""Personal data at rest: ID and phone numbers (and order contacts) are stored Fernet-encrypted. Volunteers'
numbers are masked on every page and in the API, even for the office, which reveals one record at a time
(do_reveal_volunteer_contact, recorded); the .xlsx export is masked for anyone but the office.

Key: settings.KESU_FIELD_KEY — one or more keys separated by commas (the first encrypts, all decrypt, so keys
can be rotated). Each key is either a Fernet key (urlsafe base64 of 32 bytes) or any passphrase, which is
stretched with SHA-256. It is its own secret, never derived from SECRET_KEY (settings give a fixed key in debug).
Lookups (is this ID number already registered?) use a keyed HMAC digest, never the plaintext.
The mechanism is kesu.infra.crypto; this module adds the ID-number rules and name masking.
"""

from __future__ import annotations

import re

# Encryption at rest, digests and phone numbers live in kesu.infra.crypto (shared with accounts and liaisons);
# re-exported here for the service's modules and its migrations (kesu.volunteering.crypto.EncryptedTextField).
from kesu.infra.crypto import (
    FERNET_TOKEN_START,
    EncryptedTextField,
    decrypt,
    digest,
    encrypt,
    fernet,
    mask_phone,
    normalise_phone,
    valid_phone,
)

__all__ = [
    "FERNET_TOKEN_START", "EncryptedTextField", "decrypt", "digest", "encrypt", "fernet", "mask_id", "mask_name",
    "mask_phone", "normalise_id", "normalise_phone", "valid_id_number", "valid_phone",
]

# ---------------------------------------------------------------------------- masking

_ID = re.compile(r"^[0-9]{17}[0-9Xx]$")


def normalise_id(text: str) -> str:
    return (text or "").strip().replace(" ", "").upper()


def valid_id_number(text: str) -> bool:
    """A mainland resident ID (18 characters) with a correct GB 11643 check digit."""
    text = normalise_id(text)
    if not _ID.match(text):
        return False
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(text[:17], weights, strict=True))
    return "10X98765432"[total % 11] == text[17]


def mask_id(text: str) -> str:
    """110101199003074514 → 110***********4514."""
    if not text:
        return ""
    if len(text) <= 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_name(text: str) -> str:
    """张三丰 → 张**: a contact's name for those who may not see it."""
    if not text:
        return ""
    return text[0] + "*" * (len(text) - 1)
