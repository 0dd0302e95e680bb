"""Card codes: random, opaque, readable by a USB scanner under AZERTY and QWERTY alike.

A scanner types what it reads as key presses. Under AZERTY the digit row gives &é"'(-è_çà and
the keys A/Q, Z/W and M/; swap, so a code made of digits or those letters comes through wrong.
The alphabet keeps the 20 letters that AZERTY, QWERTY and QWERTZ (which swaps Y and Z) all type
the same: no digit, no A, Q, W, Z, M or Y. Thirty of them give 129 bits of entropy.
"""

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

ALPHABET = "BCDEFGHIJKLNOPRSTUVX"
CODE_LENGTH = 30
MAX_CODE_INPUT = 256


def new_code() -> str:
    """A fresh card code: 30 letters from the layout-safe alphabet (about 129 bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a scanner or camera gave, as the stored form: trimmed and upper case."""
    return raw.strip().upper()


def code_digest(code: str) -> str:
    """The digest under which a card is looked up."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def _fernet() -> Fernet:
    key = hashlib.sha256(b"card-seal:" + current_app.config["SECRET_KEY"].encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal_code(code: str) -> str:
    """The code encrypted with the box's key, so the card can be printed again."""
    return _fernet().encrypt(code.encode()).decode()


def unseal_code(sealed: str) -> str | None:
    """The code back from its sealed form, or None if the box's key has changed."""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None
