"""The referent's view: only the participants they referred, their presence and follow-up.

Every query here is filtered on one referrer id, taken from the logged-in user, never from the request.
The follow-up shown is its day and outcome only: the coordinator's notes and who called stay with the
coordinator (they were written for the centre, not for the social worker).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from kiosk.dashboard.followup import absence_cutoff, latest_calls
from kiosk.dashboard.queries import was_held
from kiosk.platform.extensions import db
from kiosk.models import CallOutcome, CheckIn, ExitReason, LadderStep, Participant, ProgrammePeriod, Step, WorkshopDay
from kiosk.platform.timezone import local_day

PRESENCE_WEEKS = 12


@dataclass(frozen=True)
class FollowUp:
    """The latest attempt to reach someone, as a referent sees it: when, and what came of it."""

    called_on: date
    outcome: CallOutcome


@dataclass
class ReferredParticipant:
    id: int
    first_name: str
    last_name: str
    entered_on: date | None
    left_on: date | None
    exit_reason: ExitReason | None
    last_visit: date | None = None
    visits: int = 0
    to_call: bool = False
    alerted: bool = False  # the absence ladder reached "referent" and they have not come since
    follow_up: FollowUp | None = None

    @property
    def active(self) -> bool:
        return self.entered_on is not None and self.left_on is None


@dataclass
class ReferentView:
    since: date
    held_days: int
    people: list[ReferredParticipant]


def referred_participants(referrer_id: int | None, today: date, absence_days: int) -> ReferentView:
    """The referrer's participants: active first, with presence over the last weeks and follow-up."""
    since = today - timedelta(weeks=PRESENCE_WEEKS)
    held = db.session.scalar(
        select(func.count(WorkshopDay.id)).where(WorkshopDay.day > since, WorkshopDay.day <= today, was_held())
    )
    if referrer_id is None:
        return ReferentView(since, held, [])
    people: dict[int, ReferredParticipant] = {}
    rows = db.session.execute(
        select(
            Participant.id, Participant.first_name, Participant.last_name,
            ProgrammePeriod.entered_on, ProgrammePeriod.left_on, ProgrammePeriod.exit_reason,
        )
        .outerjoin(ProgrammePeriod, ProgrammePeriod.participant_id == Participant.id)
        .where(Participant.referrer_id == referrer_id, Participant.anonymised_at.is_(None))
        .order_by(Participant.id, ProgrammePeriod.entered_on, ProgrammePeriod.id)
    )
    for row in rows:  # the latest period wins
        people[row[0]] = ReferredParticipant(*row)
    ids = list(people)
    if ids:
        visits = db.session.execute(
            select(
                CheckIn.participant_id,
                func.max(WorkshopDay.day),
                func.count(CheckIn.id).filter(WorkshopDay.day > since, WorkshopDay.day <= today),
            )
            .join(WorkshopDay, CheckIn.workshop_day_id == WorkshopDay.id)
            .where(CheckIn.participant_id.in_(ids))
            .group_by(CheckIn.participant_id)
        )
        for pid, last_visit, count in visits:
            people[pid].last_visit, people[pid].visits = last_visit, count
    latest, _counts = latest_calls(ids)
    cutoff = absence_cutoff(today, absence_days)
    for person in people.values():
        call = latest.get(person.id)
        person.follow_up = FollowUp(local_day(call.called_at), call.outcome) if call else None
        person.to_call = (
            person.active and cutoff is not None and person.entered_on <= cutoff
            and (person.last_visit is None or person.last_visit < cutoff)
        )
    for pid, reached_at in db.session.execute(
        select(LadderStep.participant_id, func.max(LadderStep.reached_at))
        .where(LadderStep.participant_id.in_(ids), LadderStep.step == Step.REFERENT)
        .group_by(LadderStep.participant_id)
    ):
        person = people[pid]
        person.alerted = person.active and (person.last_visit is None or local_day(reached_at) > person.last_visit)
    ordered = sorted(people.values(), key=lambda p: (not p.active, p.last_name.casefold(), p.first_name.casefold()))
    return ReferentView(since, held, ordered)
