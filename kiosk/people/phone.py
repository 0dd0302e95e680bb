"""Phone numbers: French ways of writing them read into one stored form, and shown the French way.

Stored as E.164 ("+33612345678"), the form an SMS gateway takes; shown as "06 12 34 56 78".
Accepted: 06 12 34 56 78, 0612345678, 06.12.34.56.78, 06-12-34-56-78, +33 6 12 34 56 78,
+33 (0)6 12 34 56 78, 0033 6 12 34 56 78, and another country's number written with its + (E.164).
"""

import re

from flask_babel import gettext as _

SEPARATORS = re.compile(r"[\s.\-/()]")
FRENCH = re.compile(r"0([1-9]\d{8})")
FRENCH_INTERNATIONAL = re.compile(r"(?:\+|00)33(?:0)?([1-9]\d{8})")
INTERNATIONAL = re.compile(r"(?:\+|00)([1-9]\d{7,14})")


class PhoneError(ValueError):
    """A phone number that cannot be read; the message is for people."""


def normalise_phone(raw: str | None) -> str | None:
    """The stored form of a typed number ("+33612345678"); None when empty; PhoneError when unreadable."""
    text = (raw or "").strip()
    if not text:
        return None
    digits = SEPARATORS.sub("", text.replace("(0)", ""))
    for pattern, prefix in ((FRENCH, "+33"), (FRENCH_INTERNATIONAL, "+33"), (INTERNATIONAL, "+")):
        match = pattern.fullmatch(digits)
        if match:
            return prefix + match.group(1)
    raise PhoneError(_("Numéro de téléphone non reconnu : 10 chiffres comme 06 12 34 56 78, ou +33 6 12 34 56 78."))


def display_phone(stored: str | None) -> str:
    """A stored number as people read it: "06 12 34 56 78" for France, as stored otherwise."""
    if not stored:
        return ""
    if re.fullmatch(r"\+33[1-9]\d{8}", stored):
        national = "0" + stored[3:]
        return " ".join(national[i:i + 2] for i in range(0, 10, 2))
    return stored


def is_mobile(e164: str | None) -> bool:
    """A French mobile (06, 07): the only numbers that receive an SMS."""
    return bool(e164) and e164.startswith(("+336", "+337"))
