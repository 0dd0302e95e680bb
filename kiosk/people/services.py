"""Participants: adding, editing, periods in the programme, épicerie access."""

from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kiosk.audit import AuditAction, record_audit
from kiosk.cards.services import issue_card, stop_cards, working_card
from kiosk.epicerie.access import AccessError, check_period, end_access, grant_access
from kiosk.models import (
    EpicerieAccess,
    ExitReason,
    Participant,
    ProgrammePeriod,
    Referrer,
)
from kiosk.people.referrers import (
    ReferrerError,
    clean_referrer_name,
    clean_structure,
    find_or_create_referrer,
)
from kiosk.platform.extensions import db
from kiosk.people.phone import PhoneError, normalise_phone
from kiosk.platform.names import proper_case
from kiosk.platform.text import has_a_letter, has_control_characters, tidy
from kiosk.platform.timezone import local_day

NAME_MAX = 80
PHONE_MAX = 30
HOUSEHOLD_MIN, HOUSEHOLD_MAX = 1, 30
EARLIEST_DAY = date(2000, 1, 1)  # before the programme existed: a typing slip, not a real date
DAYS_AHEAD_MAX = 365


class ParticipantError(ValueError):
    """A participant that cannot be recorded as given; the message is for people."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# What is wrong with a name, per field: missing, too long, holding a control character. Lazy, so
# that the words are looked up (in the screen's language) only when a name is refused.
NAME_PROBLEMS = {
    "first_name": (
        _l("Le prénom manque."), _l("Le prénom est trop long (80 caractères au plus)."),
        _l("Le prénom contient un caractère invisible : retapez-le."),
    ),
    "last_name": (
        _l("Le nom manque."), _l("Le nom est trop long (80 caractères au plus)."),
        _l("Le nom contient un caractère invisible : retapez-le."),
    ),
}


def clean_first_name(value: str | None) -> str:
    """A first name with its spaces tidied, or ParticipantError."""
    return _clean_name(value, "first_name")


def clean_last_name(value: str | None) -> str:
    """A last name with its spaces tidied, or ParticipantError."""
    return _clean_name(value, "last_name")


def _clean_name(value: str | None, field: str) -> str:
    missing, too_long, hidden = NAME_PROBLEMS[field]
    value = proper_case(tidy(value))
    problem = missing if not has_a_letter(value) else too_long if len(value) > NAME_MAX else None
    if problem is None and has_control_characters(value):
        problem = hidden
    if problem is not None:
        raise ParticipantError(str(problem), field)
    return value


def clean_phone(value: str | None) -> str | None:
    """A phone number in its one stored form ("+33612345678"), None when empty."""
    value = tidy(value)
    if len(value) > PHONE_MAX:
        raise ParticipantError(_("Le téléphone est trop long (30 caractères au plus)."), "phone")
    if has_control_characters(value):
        raise ParticipantError(_("Le téléphone contient un caractère invisible : retapez-le."), "phone")
    try:
        return normalise_phone(value)
    except PhoneError as exc:
        raise ParticipantError(str(exc), "phone") from None


def check_household_size(size: int) -> int:
    """The number of people in the household, between 1 and 30."""
    if not isinstance(size, int) or not HOUSEHOLD_MIN <= size <= HOUSEHOLD_MAX:
        raise ParticipantError(_("Personnes au foyer : un nombre entre 1 et 30."), "household_size")
    return size


def check_entry_day(day: date, field: str = "entered_on") -> date:
    """A day someone enters (or comes back to) the programme: from 2000, at most a year ahead."""
    if day < EARLIEST_DAY:
        raise ParticipantError(_("Cette date est trop ancienne : le 01/01/2000 au plus tôt."), field)
    if day > local_day() + timedelta(days=DAYS_AHEAD_MAX):
        raise ParticipantError(_("Cette date est trop loin : un an après aujourd'hui au plus."), field)
    return day


def referrer_named(name: str | None, structure: str | None = None, update_structure: bool = False) -> Referrer | None:
    """The referrer of that name, whatever its spelling (created if new); None when no name is given.

    update_structure: the structure given replaces the one recorded (editing a participant).
    """
    try:
        name = clean_referrer_name(name)
        if name is None:
            return None
        referrer = find_or_create_referrer(name, structure)
    except ReferrerError as exc:
        raise ParticipantError(str(exc), "referrer_name") from exc
    structure = clean_structure(structure)
    if update_structure and structure and referrer.structure != structure:
        referrer.structure = structure
    return referrer


def new_participant(
    first_name: str,
    last_name: str,
    referrer: Referrer | None = None,
    phone: str | None = None,
    household_size: int = 1,
    entered_on: date | None = None,
) -> Participant:
    """A checked participant with an open period, added to the session but not flushed (for bulk imports)."""
    participant = Participant(phone=clean_phone(phone), household_size=check_household_size(household_size))
    participant.set_names(clean_first_name(first_name), clean_last_name(last_name))
    participant.referrer = referrer
    participant.periods.append(ProgrammePeriod(entered_on=check_entry_day(entered_on or local_day())))
    db.session.add(participant)
    return participant


def add_participant(
    first_name: str,
    last_name: str,
    referrer_name: str | None = None,
    structure: str | None = None,
    phone: str | None = None,
    household_size: int = 1,
    entered_on: date | None = None,
) -> Participant:
    """Create a participant with an open period in the programme (from today by default)."""
    participant = new_participant(
        first_name, last_name, referrer_named(referrer_name, structure), phone, household_size, entered_on
    )
    db.session.flush()
    return participant


def enrol_participant(
    first_name: str,
    last_name: str,
    referrer_name: str | None = None,
    structure: str | None = None,
    phone: str | None = None,
    household_size: int = 1,
    entered_on: date | None = None,
    epicerie_until: date | None = None,
    epicerie_from: date | None = None,
) -> tuple[Participant, str]:
    """A new participant with their first card, and épicerie access (from today) when asked.

    All or nothing: a refusal (ParticipantError) leaves nothing recorded.
    """
    with db.session.begin_nested():
        participant = add_participant(
            first_name, last_name, referrer_name=referrer_name, structure=structure, phone=phone,
            household_size=household_size, entered_on=entered_on,
        )
        if epicerie_until:
            open_epicerie_access(participant, epicerie_until, starts_on=epicerie_from)
        _card, code = issue_card(participant)
    record_audit(AuditAction.CREATE, "participant", participant.id)
    return participant, code


def update_participant(
    participant: Participant,
    first_name: str,
    last_name: str,
    phone: str | None,
    household_size: int,
    referrer_name: str | None,
    structure: str | None,
) -> list[str]:
    """Change a participant's details; returns the names of the fields that changed (for the audit)."""
    before = _details(participant)
    first, last = clean_first_name(first_name), clean_last_name(last_name)
    phone = clean_phone(phone)
    household_size = check_household_size(household_size)
    referrer = referrer_named(referrer_name, structure, update_structure=True)
    participant.set_names(first, last)
    participant.phone = phone
    participant.household_size = household_size
    participant.referrer = referrer
    db.session.flush()
    after = _details(participant)
    changed = [field for field in before if before[field] != after[field]]
    record_audit(AuditAction.UPDATE, "participant", participant.id, {"fields": changed})
    return changed


def _details(participant: Participant) -> dict:
    referrer = participant.referrer
    return {
        "first_name": participant.first_name,
        "last_name": participant.last_name,
        "phone": participant.phone,
        "household_size": participant.household_size,
        "referrer": referrer.id if referrer else None,
        "structure": referrer.structure if referrer else None,
    }


def record_exit(participant: Participant, left_on: date, reason: ExitReason, *, close_epicerie: bool = False,
                stop_card: bool = False) -> ProgrammePeriod:
    """Close the participant's open period (left on a day, for a reason); with the options, also end
    their épicerie access (from the day after the exit is recorded) and stop their card."""
    period = participant.open_period
    if period is None:
        raise ParticipantError(_("Cette personne n'est pas dans le programme en ce moment."))
    if left_on < period.entered_on:
        raise ParticipantError(_("La date de sortie est avant la date d'entrée."), "left_on")
    if left_on > local_day():
        raise ParticipantError(_("La date de sortie ne peut pas être dans le futur."), "left_on")
    period.left_on = left_on
    period.exit_reason = ExitReason(reason)
    if close_epicerie:
        end_access(participant, local_day())
    if stop_card:
        stop_cards(participant)
    db.session.flush()
    record_audit(AuditAction.EXIT, "participant", participant.id, {
        "fields": ["left_on", "exit_reason"], "epicerie_closed": close_epicerie, "card_stopped": stop_card})
    return period


def record_return(participant: Participant, entered_on: date, epicerie_until: date | None = None) -> ProgrammePeriod:
    """Open a new period for someone who comes back (the earlier periods stay as they were); give
    them a working card when theirs was stopped, and reopen their épicerie access when asked."""
    if participant.open_period is not None:
        raise ParticipantError(_("Cette personne est déjà dans le programme."))
    check_entry_day(entered_on)
    last_left = max((p.left_on for p in participant.periods if p.left_on), default=None)
    if last_left is not None and entered_on < last_left:
        raise ParticipantError(_("La date de retour est avant la dernière sortie."), "entered_on")
    if epicerie_until is not None:  # checked before anything is written: a refusal stores nothing
        try:
            check_period(max(entered_on, local_day()), epicerie_until)
        except AccessError as exc:
            raise ParticipantError(str(exc), "epicerie_until") from exc
    period = ProgrammePeriod(entered_on=entered_on)
    participant.periods.append(period)
    db.session.flush()
    if epicerie_until is not None:
        open_epicerie_access(participant, epicerie_until, starts_on=max(entered_on, local_day()))
    if working_card(participant) is None:
        issue_card(participant)
    db.session.flush()
    record_audit(AuditAction.RETURN, "participant", participant.id, {"fields": ["entered_on"]})
    return period


def open_epicerie_access(participant: Participant, until: date, starts_on: date | None = None) -> EpicerieAccess:
    """Open a household's épicerie access from today (or starts_on) until a day (kiosk.epicerie.access's rules)."""
    try:
        return grant_access(participant, starts_on or local_day(), until)
    except AccessError as exc:
        raise ParticipantError(str(exc), "epicerie_until") from exc
