"""What the check-in screens send: the kiosk's JSON scan, the host's name search and button."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SearchField
from wtforms.validators import Length, Optional

from kiosk.cards.codes import MAX_CODE_INPUT
from kiosk.platform.timezone import utcnow

# An offline kiosk keeps scans for a while; older than this they are refused rather than guessed at.
OFFLINE_SCAN_MAX_AGE = timedelta(days=7)
# The kiosk's clock may run a little ahead of the box's: within this, "in the future" means "now".
CLOCK_SKEW = timedelta(minutes=5)


class BadScan(ValueError):
    """A scan request that cannot be read; the message is for people (answered with 400)."""


class BadScanTime(BadScan):
    """A `scanned_at` refused: not a kiosk's, or out of range (answered with 422, field scanned_at)."""


@dataclass(frozen=True)
class Scan:
    code: str
    scanned_at: datetime | None  # None: now (the usual case); set by a kiosk that was offline


def read_scan(payload: dict, now: datetime | None = None, from_kiosk: bool = True) -> Scan:
    """The code and optional scan time of a POST /api/checkins body, or BadScan.

    Only a kiosk's offline queue dates a scan: from anyone else `scanned_at` is refused, so a
    volunteer cannot backdate a check-in."""
    code = payload.get("code")
    if code is None:
        raise BadScan(_("Le champ « code » est obligatoire."))
    if not isinstance(code, str):
        raise BadScan(_("Le champ « code » doit être un texte."))
    if len(code) > MAX_CODE_INPUT:
        raise BadScan(_("Le code est trop long (%(max)s caractères au plus).", max=MAX_CODE_INPUT))
    if payload.get("scanned_at") is not None and not from_kiosk:
        raise BadScanTime(_("« scanned_at » est réservé à la borne (sa file hors ligne)."))
    return Scan(code=code, scanned_at=read_scanned_at(payload.get("scanned_at"), now or utcnow()))


def read_scanned_at(value, now: datetime) -> datetime | None:
    """An ISO-8601 time with its zone, not in the future, not older than a week; None if absent."""
    if value is None:
        return None
    invalid = _("« scanned_at » doit être une date et heure ISO-8601 avec fuseau, ex. 2026-01-15T14:02:00+01:00.")
    if not isinstance(value, str) or len(value) > 64:
        raise BadScanTime(invalid)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadScanTime(invalid) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise BadScanTime(invalid)
    if moment > now + CLOCK_SKEW:
        raise BadScanTime(_("« scanned_at » est dans le futur."))
    if moment < now - OFFLINE_SCAN_MAX_AGE:
        raise BadScanTime(_("« scanned_at » date de plus de 7 jours."))
    return min(moment, now)


class HostSearchForm(FlaskForm):
    """The host's name search (a GET form: no CSRF needed to read)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Nom ou prénom"), validators=[Optional(), Length(max=80)])


class HostCheckInForm(FlaskForm):
    """The "Présent" button: CSRF token, and the search to come back to."""

    q = HiddenField(validators=[Optional(), Length(max=80)])
