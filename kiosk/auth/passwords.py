"""Which passwords are refused (OWASP ASVS 5.0, 6.2): too short, among the most common, or made
of what an attacker knows of this box (the username, the person's name, the app's name)."""

import gzip
import re
from functools import cache
from pathlib import Path

from flask_babel import gettext as _

MIN_LENGTH = 8
COMMON_LIST = Path(__file__).with_name("data") / "common-passwords.txt.gz"
CONTEXT_WORDS = ("cepourmoi", "centresocial", "epicerie", "motdepasse", "password")


@cache
def common_passwords() -> frozenset[str]:
    """The list shipped in the package (see data/common-passwords.LICENSE)."""
    with gzip.open(COMMON_LIST, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (text or "").casefold())


def password_problem(password: str, username: str = "", display_name: str | None = None) -> str | None:
    """Why this password is refused, in plain French, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return _("mot de passe trop court (%(min)s caractères au moins)", min=MIN_LENGTH)
    plain = _plain(password)
    common = common_passwords()
    if password.casefold() in common or plain in common or plain.strip("0123456789") in common:
        return _("mot de passe trop courant : il figure parmi les plus utilisés, choisissez-en un autre")
    words = [_plain(username), *(_plain(word) for word in (display_name or "").split()), *CONTEXT_WORDS]
    for word in words:
        if len(word) >= 3 and word in plain and len(plain.replace(word, "")) < 4:
            return _("mot de passe trop facile à deviner : il reprend l'identifiant, le nom ou celui de l'application")
    return None
