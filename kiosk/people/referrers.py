"""The social workers who refer people: one lookup for the whole application, whatever the spelling.

"mme briand", "Mme  Briand" and "Mme Briand" are the same referrer: names are compared through
search_key (no case, no accents, spaces tidied). The comparison runs in Python over the referrers'
ids and names, because SQLite and PostgreSQL cannot take accents off in the same SQL; a centre has
a few dozen referrers. When older data holds two spellings of one name, the first recorded (lowest
id) is the one used, every time.
"""

from flask_babel import gettext as _

from kiosk.models import Referrer
from kiosk.platform.extensions import db
from kiosk.platform.text import has_control_characters, search_key, tidy

REFERRER_MAX = 120


class ReferrerError(ValueError):
    """A referrer's name that cannot be recorded as given; the message is for people."""


def clean_referrer_name(value: str | None) -> str | None:
    """The referrer's name with its spaces tidied, or ReferrerError.

    None when empty, or when it holds no letter or digit ("-" in a spreadsheet means nobody).
    """
    name = tidy(value)
    if len(name) > REFERRER_MAX:
        raise ReferrerError(_("Le nom de l'orienteur est trop long (120 caractères au plus)."))
    if has_control_characters(name):
        raise ReferrerError(_("Le nom de l'orienteur contient un caractère invisible : retapez-le."))
    return name if search_key(name) else None


def clean_structure(value: str | None) -> str | None:
    """The referrer's structure (CDAS, CCAS...): tidied, invisible characters dropped, cut to size."""
    structure = tidy("".join(" " if has_control_characters(ch) else ch for ch in (value or "")))
    return structure[:REFERRER_MAX] or None


def find_referrer(name: str | None) -> Referrer | None:
    """The referrer whose name matches whatever the case, accents or spacing (the first recorded)."""
    key = search_key(name or "")
    if not key:
        return None
    rows = db.session.execute(db.select(Referrer.id, Referrer.name).order_by(Referrer.id)).all()
    found = next((referrer_id for referrer_id, known in rows if search_key(known) == key), None)
    return db.session.get(Referrer, found) if found is not None else None


def find_or_create_referrer(name: str | None, structure: str | None = None) -> Referrer:
    """The referrer of that name, created if new; its structure filled in when it had none.

    Raises ReferrerError when the name is empty, too long or holds control characters.
    """
    name = clean_referrer_name(name)
    if name is None:
        raise ReferrerError(_("Le nom de l'orienteur manque."))
    structure = clean_structure(structure)
    referrer = find_referrer(name)
    if referrer is None:
        referrer = Referrer(name=name, structure=structure)
        db.session.add(referrer)
        db.session.flush()
    elif structure and not referrer.structure:
        referrer.structure = structure
    return referrer
