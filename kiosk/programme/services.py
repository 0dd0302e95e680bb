"""Planning the calendar: the weekly pattern, sessions one by one or a term at once, cancellations,
and the activities. Services add and flush, never commit; each records its audit event."""

from __future__ import annotations

from datetime import date, time, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func

from kiosk.audit import AuditAction, record_audit
from kiosk.models import Activity, Registration, WorkshopDay
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day, utcnow
from kiosk.programme.calendar import spoken_day, weekly_pattern
from kiosk.programme.pictograms import PICTOGRAMS
from kiosk.settings import set_setting

MAX_TERM_WEEKS = 52


class ProgrammeError(ValueError):
    """A planning request that cannot be done as asked; the message is for people."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def add_years(day: date, years: int) -> date:
    """The same date `years` later (28 February for a 29 February that does not exist)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_span(day: date, today: date | None = None) -> None:
    """Refuse a date more than a year back or a year ahead."""
    today = today or local_day()
    if day > add_years(today, 1):
        raise ProgrammeError(_("Le %(day)s est à plus d'un an : planifiez au plus un an à l'avance.",
                               day=day.strftime("%d/%m/%Y")), "day")
    if day < add_years(today, -1):
        raise ProgrammeError(_("Le %(day)s date de plus d'un an.", day=day.strftime("%d/%m/%Y")), "day")


def check_capacity(capacity: int | None) -> None:
    if capacity is not None and capacity < 1:
        raise ProgrammeError(_("La capacité doit être d'au moins 1 place (laissez vide pour sans limite)."),
                             "capacity")


def day_row(day: date) -> WorkshopDay | None:
    return db.session.scalar(db.select(WorkshopDay).where(WorkshopDay.day == day))


def find_activity(name: str) -> Activity | None:
    """The activity of that name, whatever its case."""
    return db.session.scalar(db.select(Activity).where(func.lower(Activity.name) == name.strip().lower()))


PICTOGRAM_WORDS = {"cuisin": "cooking", "repas": "cooking", "stress": "relax", "détente": "relax",
                   "relook": "makeover", "image": "makeover", "sport": "sport", "informati": "computer",
                   "numérique": "computer", "jardin": "garden", "musique": "music", "parole": "talk",
                   "budget": "money", "santé": "health", "emploi": "job"}


def guess_pictogram(name: str) -> str:
    """A pictogram for an activity named on the command line ("Atelier cuisine": cooking)."""
    lowered = name.lower()
    return next((picto for word, picto in PICTOGRAM_WORDS.items() if word in lowered), "other")


def find_or_create_activity(name: str) -> Activity:
    """The activity of that name, created (with the generic pictogram) when new."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ProgrammeError(_("Donnez un nom d'activité (80 caractères au plus)."), "activity")
    activity = find_activity(name)
    if activity is None:
        activity = Activity(name=name, pictogram=guess_pictogram(name))
        db.session.add(activity)
        db.session.flush()
        record_audit(AuditAction.CREATE, "activity", activity.id)
    return activity


def save_activity(activity: Activity | None, name: str, pictogram: str, active: bool = True) -> Activity:
    """Add an activity (activity None) or change one: its name, pictogram, and whether it is offered."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ProgrammeError(_("Donnez un nom d'activité (80 caractères au plus)."), "name")
    if pictogram not in PICTOGRAMS:
        raise ProgrammeError(_("Choisissez un pictogramme."), "pictogram")
    same = find_activity(name)
    if same is not None and same is not activity:
        raise ProgrammeError(_("L'activité « %(name)s » existe déjà.", name=same.name), "name")
    new = activity is None
    if new:
        activity = Activity()
        db.session.add(activity)
    activity.name, activity.pictogram, activity.active = name, pictogram, active
    db.session.flush()
    if new:
        record_audit(AuditAction.CREATE, "activity", activity.id)
    else:
        record_audit(AuditAction.UPDATE, "activity", activity.id)
    return activity


def set_pattern(weekday: int | None, starts: time, ends: time) -> None:
    """Change the weekly pattern (the workshop's day, or none, and its hours)."""
    if ends <= starts:
        raise ProgrammeError(_("L'heure de fin doit venir après l'heure de début."), "ends")
    set_setting("workshop_weekday", "" if weekday is None else str(weekday))
    set_setting("workshop_starts", starts.strftime("%H:%M"))
    set_setting("workshop_ends", ends.strftime("%H:%M"))
    record_audit(AuditAction.UPDATE, "weekly_pattern", None)


def plan_session(day: date, activity: Activity, capacity: int | None = None, room: str | None = None,
                 note: str | None = None, today: date | None = None) -> WorkshopDay:
    """Plan a session on `day` (a pattern day may be planned too, which gives it its activity)."""
    check_span(day, today)
    check_capacity(capacity)
    row = day_row(day)
    if row is not None and row.planned:
        raise ProgrammeError(_("Le %(day)s est déjà planifié.", day=spoken_day(day)), "day")
    if row is None:
        row = WorkshopDay(day=day)
        db.session.add(row)
    row.planned, row.activity, row.capacity = True, activity, capacity
    row.room, row.note = (room or "").strip()[:80] or None, (note or "").strip()[:200] or None
    row.cancelled_at = row.cancel_reason = None
    db.session.flush()
    record_audit(AuditAction.PLAN, "workshop_day", row.id)
    return row


def update_session(row: WorkshopDay, activity: Activity, capacity: int | None, room: str | None,
                   note: str | None) -> None:
    """Change a session's activity, capacity, room or note; a larger capacity moves people up."""
    check_capacity(capacity)
    row.planned, row.activity, row.capacity = True, activity, capacity
    row.room, row.note = (room or "").strip()[:80] or None, (note or "").strip()[:200] or None
    db.session.flush()
    move_up_waiting(row)
    record_audit(AuditAction.UPDATE, "workshop_day", row.id)


def expected_count(row: WorkshopDay) -> int:
    return sum(1 for registration in row.registrations if not registration.waiting)


def move_up_waiting(row: WorkshopDay) -> list[Registration]:
    """Give the free places to the first people waiting, in the order they registered."""
    moved = []
    waiting = sorted((r for r in row.registrations if r.waiting), key=lambda r: (r.registered_at, r.id))
    for registration in waiting:
        if row.capacity is not None and expected_count(row) >= row.capacity:
            break
        registration.waiting = False
        moved.append(registration)
        record_audit(AuditAction.MOVE_UP, "registration", registration.id)
    db.session.flush()
    return moved


def term_days(start: date, weeks: int) -> list[date]:
    """The pattern's days of the next `weeks` weeks from `start` (included)."""
    weekday = weekly_pattern().weekday
    if weekday is None:
        raise ProgrammeError(_("Choisissez d'abord le jour de l'atelier dans le rythme de la semaine."), "start")
    if not 1 <= weeks <= MAX_TERM_WEEKS:
        raise ProgrammeError(_("Entre 1 et 52 semaines."), "weeks")
    first = start + timedelta(days=(weekday - start.weekday()) % 7)
    return [first + timedelta(weeks=n) for n in range(weeks)]


def plan_term(start: date, weeks: int, activities: list[Activity], capacity: int | None = None,
              today: date | None = None) -> list[WorkshopDay]:
    """Plan the pattern's days of the next weeks, the activities taken in turn; all or nothing."""
    if not activities:
        raise ProgrammeError(_("Choisissez au moins une activité."), "activities")
    days = term_days(start, weeks)
    for day in days:
        check_span(day, today)
    check_capacity(capacity)
    taken = [day for day in days if (row := day_row(day)) is not None and row.planned]
    if taken:
        raise ProgrammeError(_("Déjà planifié : %(days)s. Rien n'a été enregistré.",
                               days=", ".join(spoken_day(day) for day in taken)), "start")
    return [plan_session(day, activities[n % len(activities)], capacity, today=today)
            for n, day in enumerate(days)]


def cancel_session(day: date, reason: str | None = None, confirmed: bool = False,
                   today: date | None = None) -> WorkshopDay:
    """Cancel the session on `day` (planned or from the pattern): nobody is counted absent that day."""
    from kiosk.programme.calendar import sessions_between

    check_span(day, today)
    found = sessions_between(day, day)
    if not found:
        raise ProgrammeError(_("Aucun atelier n'est prévu le %(day)s.", day=spoken_day(day)), "day")
    if found[0].cancelled:
        raise ProgrammeError(_("L'atelier du %(day)s est déjà annulé.", day=spoken_day(day)), "day")
    row = day_row(day)
    if row is not None and row.checkins:
        raise ProgrammeError(_("Des présences sont enregistrées ce jour-là : retirez-les d'abord."), "day")
    expected = expected_count(row) if row is not None else 0
    if expected and not confirmed:
        raise ProgrammeError(ngettext("%(num)d personne est inscrite : cochez la confirmation pour annuler.",
                                      "%(num)d personnes sont inscrites : cochez la confirmation pour annuler.",
                                      expected), "confirm")
    if row is None:  # a day of the weekly pattern, written down to be cancelled
        row = WorkshopDay(day=day)
        db.session.add(row)
    row.cancelled_at, row.cancel_reason = utcnow(), (reason or "").strip()[:200] or None
    db.session.flush()
    record_audit(AuditAction.CANCEL, "workshop_day", row.id)
    return row
