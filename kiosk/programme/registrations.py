"""Registrations to a session: within its capacity, or on its waiting list (first come, first moved
up when a place frees). A coordinator registers anyone; a referent only the people they referred."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from kiosk.audit import AuditAction, record_audit
from kiosk.models import Participant, Registration, Role, User, WorkshopDay
from kiosk.platform.extensions import db
from kiosk.programme.calendar import sessions_between, spoken_day
from kiosk.programme.services import ProgrammeError, day_row, expected_count, move_up_waiting


def may_register(user: User, participant: Participant) -> bool:
    """A coordinator may register anyone; a referent the people of their own referrer."""
    if user.role == Role.COORDINATOR:
        return True
    return user.role == Role.REFERENT and user.referrer_id is not None and participant.referrer_id == user.referrer_id


def session_row(day: date) -> WorkshopDay:
    """The session's row on `day`, written down if it is a pattern day; ProgrammeError if no workshop."""
    found = sessions_between(day, day)
    if not found or found[0].cancelled:
        raise ProgrammeError(_("Pas d'atelier le %(day)s.", day=spoken_day(day)), "day")
    row = day_row(day)
    if row is None:
        row = WorkshopDay(day=day)
        db.session.add(row)
        db.session.flush()
    return row


def register(day: date, participant: Participant, user: User) -> Registration:
    """Register someone to the session on `day`: a place if one is free, else the waiting list."""
    if not may_register(user, participant):
        raise ProgrammeError(_("Vous ne pouvez inscrire que les personnes que vous accompagnez."), "participant")
    if participant.anonymised_at is not None or participant.open_period is None:
        raise ProgrammeError(_("Cette personne n'est pas dans le programme."), "participant")
    row = session_row(day)
    if any(registration.participant_id == participant.id for registration in row.registrations):
        raise ProgrammeError(_("Cette personne est déjà inscrite à cet atelier."), "participant")
    full = row.capacity is not None and expected_count(row) >= row.capacity
    registration = Registration(participant=participant, waiting=full, registered_by_id=user.id)
    row.registrations.append(registration)
    db.session.flush()
    record_audit(AuditAction.REGISTER, "registration", registration.id, {"waiting": full})
    return registration


def unregister(registration: Registration, user: User) -> list[Registration]:
    """Take someone off a session (or its waiting list); the first waiting moves up into a freed place."""
    if not may_register(user, registration.participant):
        raise ProgrammeError(_("Vous ne pouvez désinscrire que les personnes que vous accompagnez."), "participant")
    row = registration.workshop_day
    record_audit(AuditAction.UNREGISTER, "registration", registration.id)
    row.registrations.remove(registration)
    db.session.flush()
    return move_up_waiting(row)
