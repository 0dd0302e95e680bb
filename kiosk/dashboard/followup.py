"""Who to call back: people who stopped coming, the calls made, and who came back after one.

"Absent" means: in the programme for at least the last N workshop days held, and seen on none of
them (N is the setting followup_absent_days). A workshop day is held when at least one person came.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select

from kiosk.dashboard.queries import held_day_back
from kiosk.platform.extensions import db
from kiosk.models import (
    CallChannel,
    CallOutcome,
    CheckIn,
    FollowUpCall,
    Participant,
    ProgrammePeriod,
    Referrer,
    User,
    WorkshopDay,
)
from kiosk.platform.timezone import utcnow

RETURN_WINDOW_DAYS = 183  # calls of the last six months count in the rate of returns


@dataclass
class LastCall:
    called_at: datetime
    channel: CallChannel
    outcome: CallOutcome
    note: str | None
    caller: str | None


@dataclass
class AbsentParticipant:
    id: int
    first_name: str
    last_name: str
    phone: str | None
    referrer_id: int | None
    referrer: str | None
    structure: str | None
    entered_on: date
    last_visit: date | None
    last_call: LastCall | None = None
    calls: int = 0


def last_visit_of(participant_id_column):
    """Correlated SQL: the participant's last workshop day (None if they never came)."""
    return (
        select(func.max(WorkshopDay.day))
        .join(CheckIn, CheckIn.workshop_day_id == WorkshopDay.id)
        .where(CheckIn.participant_id == participant_id_column)
        .scalar_subquery()
    )


def absence_cutoff(today: date, absence_days: int) -> date | None:
    """The earliest of the last `absence_days` workshop days held (today included)."""
    return held_day_back(today, absence_days, include_day=True)


def absent_participants(today: date, absence_days: int, referrer_id: int | None = None) -> list[AbsentParticipant]:
    """Active participants seen on none of the last `absence_days` workshop days, longest absence first."""
    cutoff = absence_cutoff(today, absence_days)
    if cutoff is None:
        return []
    last_visit = last_visit_of(Participant.id).label("last_visit")
    query = (
        select(
            Participant.id, Participant.first_name, Participant.last_name, Participant.phone,
            Referrer.id, Referrer.name, Referrer.structure, ProgrammePeriod.entered_on, last_visit,
        )
        .join(ProgrammePeriod, and_(ProgrammePeriod.participant_id == Participant.id, ProgrammePeriod.left_on.is_(None)))
        .outerjoin(Referrer, Participant.referrer_id == Referrer.id)
        .where(ProgrammePeriod.entered_on <= cutoff, Participant.anonymised_at.is_(None))
        .where(or_(last_visit.is_(None), last_visit < cutoff))
        .order_by(last_visit.is_not(None), last_visit, Participant.last_name, Participant.first_name)
    )
    if referrer_id is not None:
        query = query.where(Participant.referrer_id == referrer_id)
    people = [AbsentParticipant(*row) for row in db.session.execute(query)]
    attach_calls(people)
    return people


def latest_calls(participant_ids: list[int]) -> tuple[dict[int, LastCall], dict[int, int]]:
    """The latest follow-up call of each participant, and how many calls each had."""
    latest: dict[int, LastCall] = {}
    counts: dict[int, int] = {}
    if not participant_ids:
        return latest, counts
    rows = db.session.execute(
        select(
            FollowUpCall.participant_id, FollowUpCall.called_at, FollowUpCall.channel,
            FollowUpCall.outcome, FollowUpCall.note, User.display_name, User.username,
        )
        .outerjoin(User, FollowUpCall.caller_id == User.id)
        .where(FollowUpCall.participant_id.in_(participant_ids))
        .order_by(FollowUpCall.called_at, FollowUpCall.id)
    )
    for pid, at, channel, outcome, note, display, username in rows:
        latest[pid] = LastCall(at, channel, outcome, note, display or username)
        counts[pid] = counts.get(pid, 0) + 1
    return latest, counts


def attach_calls(people) -> None:
    latest, counts = latest_calls([person.id for person in people])
    for person in people:
        person.last_call = latest.get(person.id)
        person.calls = counts.get(person.id, 0)


@dataclass
class CallReturn:
    participant_id: int
    first_name: str
    last_name: str
    first_call: datetime
    returned_at: datetime | None


@dataclass
class ReturnStats:
    since: datetime
    called: int
    returned: list[CallReturn]

    @property
    def rate_percent(self) -> float | None:
        return 100 * len(self.returned) / self.called if self.called else None


def returns_after_calls(now: datetime | None = None, window_days: int = RETURN_WINDOW_DAYS) -> ReturnStats:
    """People called within the window, and those who came to a workshop after their first call."""
    since = (now or utcnow()) - timedelta(days=window_days)
    first_calls = (
        select(FollowUpCall.participant_id, func.min(FollowUpCall.called_at).label("first_call"))
        .where(FollowUpCall.called_at >= since)
        .group_by(FollowUpCall.participant_id)
        .subquery()
    )
    came_back = (
        select(func.min(CheckIn.checked_in_at))
        .where(CheckIn.participant_id == first_calls.c.participant_id, CheckIn.checked_in_at > first_calls.c.first_call)
        .scalar_subquery()
        .label("returned_at")
    )
    rows = db.session.execute(
        select(Participant.id, Participant.first_name, Participant.last_name, first_calls.c.first_call, came_back)
        .join(first_calls, first_calls.c.participant_id == Participant.id)
        .order_by(came_back.desc(), Participant.last_name)
    ).all()
    returned = [CallReturn(*row) for row in rows if row.returned_at is not None]
    return ReturnStats(since=since, called=len(rows), returned=returned)


@dataclass
class ReferrerGroup:
    id: int | None
    name: str | None
    structure: str | None
    people: list[AbsentParticipant]


def group_by_referrer(people: list[AbsentParticipant]) -> list[ReferrerGroup]:
    """The absent people grouped by referrer (people without one last), for printed lists."""
    groups: dict[int | None, ReferrerGroup] = {}
    for person in people:
        group = groups.setdefault(person.referrer_id, ReferrerGroup(person.referrer_id, person.referrer, person.structure, []))
        group.people.append(person)
    return sorted(groups.values(), key=lambda g: (g.name is None, (g.name or "").casefold()))
