"""Taking back a presence recorded by mistake (a look-alike name tapped at the host's desk, a test
scan): by a coordinator, or by whoever recorded it on that same day; always with a reason, audited.
The check-in row goes, so every figure computed from check-ins follows."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kiosk.audit import AuditAction, record_audit
from kiosk.models import CheckIn, Role, User
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.programme.services import ProgrammeError

REMOVAL_REASONS = {
    "wrong_person": _l("Mauvaise personne (nom qui se ressemble)"),
    "not_here": _l("La personne n'est pas venue"),
    "test": _l("Essai de la borne ou de la carte"),
    "other": _l("Autre erreur"),
}


def may_remove(user: User, checkin: CheckIn) -> bool:
    """A coordinator always; whoever recorded the presence, on that same day only."""
    if user.role == Role.COORDINATOR:
        return True
    return checkin.recorded_by_id == user.id and checkin.workshop_day.day == local_day()


def remove_checkin(checkin: CheckIn, user: User, reason: str) -> None:
    """Remove a presence recorded by mistake, keeping why and by whom in the audit trail."""
    if reason not in REMOVAL_REASONS:
        raise ProgrammeError(_("Choisissez la raison de la correction."), "reason")
    if not may_remove(user, checkin):
        raise ProgrammeError(_("Seul·e la coordination, ou la personne qui l'a enregistrée le jour même, "
                               "peut retirer cette présence."), "reason")
    record_audit(AuditAction.CHECKIN_REMOVE, "check_in", checkin.id, {
        "reason": reason, "participant_id": checkin.participant_id, "day": checkin.workshop_day.day.isoformat(),
        "source": str(checkin.source),
    })
    db.session.delete(checkin)
    db.session.flush()
