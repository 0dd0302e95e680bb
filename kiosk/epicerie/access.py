"""A household's right to the épicerie: periods opened and renewed by the coordinator.

Each opening or renewal adds an EpicerieAccess row; nothing is overwritten, so the history stays.
Access is open on a day when a row covers it. Its end is followed through renewals that start
the next day or earlier, so "valid until" is the day the household really has to come back.
"""

from datetime import date, timedelta

from flask_babel import gettext as _

from kiosk.audit import AuditAction, record_audit
from kiosk.platform.extensions import db
from kiosk.models import EpicerieAccess, Participant

MAX_ACCESS_DAYS = 2 * 366
MAX_HOUSEHOLD = 30


class AccessError(ValueError):
    """An access period that cannot be recorded; `field` says which input is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def access_rows(participant_id: int) -> list[EpicerieAccess]:
    """All of a household's access periods, latest first."""
    return db.session.scalars(
        db.select(EpicerieAccess)
        .where(EpicerieAccess.participant_id == participant_id)
        .order_by(EpicerieAccess.starts_on.desc(), EpicerieAccess.id.desc())
    ).all()


# A tablet sees a household while its access is open, and for this long after it ended, so the
# volunteer can tell them to see the coordination; never someone who has had no access.
TABLET_GRACE_DAYS = 90


def tablet_may_see(rows: list[EpicerieAccess], day: date) -> bool:
    """Whether a tablet or volunteer may read this household (open access, or ended lately)."""
    return any(row.starts_on <= day and (day - row.ends_on).days <= TABLET_GRACE_DAYS for row in rows)


def access_on(rows: list[EpicerieAccess], day: date) -> EpicerieAccess | None:
    """The period covering that day (the most recently recorded one when several do)."""
    covering = [row for row in rows if row.starts_on <= day <= row.ends_on]
    return max(covering, key=lambda row: (row.created_at, row.id)) if covering else None


def open_until(rows: list[EpicerieAccess], day: date) -> date | None:
    """The last day of uninterrupted access from that day, through renewals; None when closed."""
    if access_on(rows, day) is None:
        return None
    until = day
    extended = True
    while extended:
        extended = False
        for row in rows:
            if row.starts_on <= until + timedelta(days=1) and row.ends_on > until:
                until, extended = row.ends_on, True
    return until


def no_access_message() -> str:
    """What a volunteer reads when a household has no open access: what is wrong, what to do."""
    return _("Pas d'accès ouvert à l'épicerie aujourd'hui. Voir la coordination pour renouveler l'accès.")


def has_open_access(participant: Participant, day: date) -> bool:
    """The rule of the épicerie: a basket needs access open on that day."""
    return db.session.scalar(
        db.select(EpicerieAccess.id).where(
            EpicerieAccess.participant_id == participant.id,
            EpicerieAccess.starts_on <= day,
            EpicerieAccess.ends_on >= day,
        ).limit(1)
    ) is not None


def end_access(participant: Participant, last_day: date) -> bool:
    """Close a household's access after `last_day`: periods still to come are removed, periods running
    past it end on it. The rows before stay as history. True when something changed."""
    rows = db.session.scalars(
        db.select(EpicerieAccess).where(EpicerieAccess.participant_id == participant.id,
                                        EpicerieAccess.ends_on > last_day)
    ).all()
    for access in rows:
        if access.starts_on > last_day:
            db.session.delete(access)
        else:
            access.ends_on = last_day
    db.session.flush()
    return bool(rows)



def check_period(starts_on: date, ends_on: date) -> None:
    """An access period the centre allows: it ends after it starts, two years at most (else AccessError)."""
    if ends_on < starts_on:
        raise AccessError("ends_on", _("La fin est avant le début."))
    if (ends_on - starts_on).days > MAX_ACCESS_DAYS:
        raise AccessError("ends_on", _("Deux ans au plus : renouvelez ensuite."))


def grant_access(participant: Participant, starts_on: date, ends_on: date,
                 monthly_allowance_cents: int | None = None, household_size: int | None = None,
                 by=None) -> EpicerieAccess:
    """Open or renew a household's access (and note its size, on which the allowance depends).

    The one way access is opened (the participant's page, the épicerie's, the CLI, the import):
    its period is capped and it is audited.
    """
    check_period(starts_on, ends_on)
    if monthly_allowance_cents is not None and not 0 <= monthly_allowance_cents <= 999_999:
        raise AccessError("monthly_allowance", _("Montant entre 0 et 9 999,99 €."))
    if household_size is not None:
        if not 1 <= household_size <= MAX_HOUSEHOLD:
            raise AccessError("household_size", _("Entre 1 et 30 personnes."))
        if household_size != participant.household_size:
            record_audit(AuditAction.UPDATE, "participant", participant.id, {"fields": ["household_size"]}, user=by)
            participant.household_size = household_size
    access = EpicerieAccess(
        participant=participant, starts_on=starts_on, ends_on=ends_on,
        monthly_allowance_cents=monthly_allowance_cents, created_by_id=getattr(by, "id", None),
    )
    db.session.add(access)
    db.session.flush()
    record_audit(AuditAction.EPICERIE_ACCESS, "participant", participant.id, {"fields": ["starts_on", "ends_on"]}, user=by)
    return access
