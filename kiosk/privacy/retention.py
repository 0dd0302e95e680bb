"""Keeping data no longer than needed: people without contact for N years are anonymised, and the
audit trail is kept one year (CNIL référentiel for social support)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, union

from kiosk.platform.extensions import db
from kiosk.models import (
    AuditEvent,
    Basket,
    CheckIn,
    FollowUpCall,
    LoginAttempt,
    Participant,
    ProgrammePeriod,
    UserSession,
)
from kiosk.privacy.services import anonymise_participant, last_contact
from kiosk.settings import DEFAULTS, get_int_setting
from kiosk.sites.scope import current_sites, scoped_to, site_ids
from kiosk.platform.timezone import local_day, utcnow

AUDIT_KEEP_YEARS = 1
# Login attempts serve the 15-minute limit, and a month of looking back after an incident: no more.
LOGIN_ATTEMPTS_KEEP_DAYS = 30
MIN_RETENTION_YEARS, MAX_RETENTION_YEARS = 1, 10


@dataclass
class RetentionResult:
    cutoff: datetime
    anonymised: list[int] = field(default_factory=list)
    audit_deleted: int = 0


def years_before(moment: datetime, years: int) -> datetime:
    """The same moment `years` earlier (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def sites_served() -> list[int]:
    """The sites a run serves: the one(s) the session is scoped to, or every site (the server's run)."""
    sites = current_sites()
    return list(sites) if sites is not None else site_ids()


def retention_years() -> int:
    """The coordinator's setting, kept within sensible bounds."""
    return min(max(get_int_setting("retention_years"), MIN_RETENTION_YEARS), MAX_RETENTION_YEARS)


def bounded_years(value: str) -> int:
    """A stored retention setting as the run reads it (a bad value: the default)."""
    try:
        years = int(value)
    except ValueError:
        years = int(DEFAULTS["retention_years"])
    return min(max(years, MIN_RETENTION_YEARS), MAX_RETENTION_YEARS)


def _without_contact(cutoff: datetime):
    """The condition: not yet anonymised, created before the cutoff, and no sign of them since
    (check-in, basket, period entry or exit, follow-up call)."""
    cutoff_day: date = local_day(cutoff)
    recent = union(
        select(CheckIn.participant_id).where(CheckIn.checked_in_at >= cutoff),
        select(Basket.participant_id).where(Basket.served_at >= cutoff),
        select(FollowUpCall.participant_id).where(FollowUpCall.called_at >= cutoff),
        select(ProgrammePeriod.participant_id).where(
            or_(ProgrammePeriod.entered_on >= cutoff_day, ProgrammePeriod.left_on >= cutoff_day)
        ),
    )
    return and_(
        Participant.anonymised_at.is_(None),
        Participant.created_at < cutoff,
        Participant.id.not_in(recent),
    )


def participants_without_contact(cutoff: datetime, limit: int | None = None) -> list[Participant]:
    """The people retention anonymises for this cutoff, by number."""
    return db.session.scalars(
        select(Participant).where(_without_contact(cutoff)).order_by(Participant.id).limit(limit)
    ).all()


def count_without_contact(cutoff: datetime) -> int:
    """How many people retention would anonymise for this cutoff."""
    return db.session.scalar(select(func.count(Participant.id)).where(_without_contact(cutoff)))


def purge_audit(now: datetime) -> int:
    """Delete audit events older than a year, login attempts older than a month, and expired sessions;
    returns how many audit events went."""
    cutoff = years_before(now, AUDIT_KEEP_YEARS)
    result = db.session.execute(delete(AuditEvent).where(AuditEvent.at < cutoff))
    db.session.execute(delete(LoginAttempt).where(
        LoginAttempt.attempted_at < now - timedelta(days=LOGIN_ATTEMPTS_KEEP_DAYS)))
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
    db.session.execute(delete(UserSession).where(UserSession.created_at < now - lifetime))
    return result.rowcount or 0


def run_retention(now: datetime | None = None, dry_run: bool = False, limit: int | None = None) -> RetentionResult:
    """Anonymise everyone without contact for their centre's retention period and trim the audit trail.

    Unscoped (the scheduler, `kiosk retention`), it serves every site of the server in turn, each with
    its own setting; `cutoff` in the result is the first site's (a box: its own).
    Flushes, never commits; with dry_run nothing is changed (the result says what would be).
    With a limit, only that many people are anonymised (the caller commits and calls again).
    """
    now = now or utcnow()
    result = RetentionResult(cutoff=years_before(now, retention_years()))
    for site_id in sites_served():  # each centre with its own period (a box: its one site)
        with scoped_to(site_id):
            cutoff = years_before(now, retention_years())
            left = None if limit is None else limit - len(result.anonymised)
            for participant in participants_without_contact(cutoff, left) if left != 0 else ():
                result.anonymised.append(participant.id)
                if not dry_run:
                    anonymise_participant(participant, "retention", left_on=last_contact(participant), now=now)
            db.session.flush()  # the audit rows it made belong to this site
    if dry_run:
        result.audit_deleted = db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.at < years_before(now, AUDIT_KEEP_YEARS))
        )
    else:
        result.audit_deleted = purge_audit(now)
        db.session.flush()
    return result
