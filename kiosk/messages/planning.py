"""What is due at a moment: the day-before reminders and the absence ladder's steps.

Missed workshops in a row: the workshop days held (not cancelled, at least one person came) after
the person's last visit (or from their entry), up to the moment. Each absence is an *episode*, named
by that last visit (or entry): a step is reached at most once per episode, so the ladder ends with
"handed back" until the person comes again, which opens a new episode.

Only rows are written here (steps, outbox messages); the sender delivers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select

from kiosk.audit import AuditAction, record_audit
from kiosk.dashboard.queries import was_held
from kiosk.messages.outbox import cancel_open, enqueue
from kiosk.messages.texts import reminder_text, we_miss_you_text
from kiosk.models import (
    Channel, CheckIn, ContactPreference, LadderStep, MessageStatus, OutboxMessage, Participant,
    ProgrammePeriod, Registration, Step, WorkshopDay,
)
from kiosk.people.phone import is_mobile, normalise_phone
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day, to_local
from kiosk.programme.calendar import next_workshop_after, weekly_pattern, workshop_day_for
from kiosk.settings import get_int_setting, get_setting

QUIET_FROM, QUIET_UNTIL = 20, 9  # no SMS from 20:00 to 09:00
SUNDAY = 6


def is_quiet(now: datetime) -> bool:
    """The evening, the night and Sunday: no SMS leaves the box."""
    local = to_local(now)
    return local.weekday() == SUNDAY or local.hour >= QUIET_FROM or local.hour < QUIET_UNTIL


@dataclass
class Person:
    """What the planner needs of a person in the programme."""

    id: int
    first_name: str
    phone: str | None
    entered_on: date
    referrer_id: int | None
    sms_consent: bool
    channel: Channel
    language: str

    def sms_number(self) -> str | None:
        """Their mobile number in E.164 when they agreed to SMS, else None."""
        if not self.sms_consent or self.channel == Channel.NONE or not self.phone:
            return None
        try:
            number = normalise_phone(self.phone)
        except ValueError:
            return None
        return number if is_mobile(number) else None


def people_in_programme() -> list[Person]:
    """Everyone with an open period, not anonymised, with their contact preference."""
    rows = db.session.execute(
        select(Participant.id, Participant.first_name, Participant.phone, ProgrammePeriod.entered_on,
               Participant.referrer_id, ContactPreference.sms_consent, ContactPreference.channel,
               ContactPreference.language)
        .join(ProgrammePeriod, and_(ProgrammePeriod.participant_id == Participant.id, ProgrammePeriod.left_on.is_(None)))
        .outerjoin(ContactPreference, ContactPreference.participant_id == Participant.id)
        .where(Participant.anonymised_at.is_(None))
        .order_by(Participant.id)
    )
    return [Person(pid, first, phone, entered, referrer, bool(consent), channel or Channel.SMS, language or "fr")
            for pid, first, phone, entered, referrer, consent, channel, language in rows]


def plan_reminders(now: datetime) -> int:
    """Queue tomorrow's workshop reminder for each person with SMS consent, from 09:00 the day before."""
    if get_setting("sms_reminders") != "1" or is_quiet(now):
        return 0
    tomorrow = local_day(now) + timedelta(days=1)
    session = workshop_day_for(tomorrow)
    if session is None:
        return 0
    starts = weekly_pattern().starts
    queued = 0
    for person in people_in_programme():
        if person.sms_number() is None:
            continue
        text = reminder_text(person.first_name, person.language, tomorrow, starts, session.activity)
        participant = db.session.get(Participant, person.id)
        if enqueue(participant, Step.REMINDER, Channel.SMS, f"reminder:{tomorrow.isoformat()}", text):
            queued += 1
    return queued


def held_days_until(today: date) -> list[date]:
    """The workshop days held up to `today`, oldest first."""
    return list(db.session.scalars(
        select(WorkshopDay.day).where(WorkshopDay.day <= today, WorkshopDay.cancelled_at.is_(None), was_held())
        .order_by(WorkshopDay.day)
    ))


def last_visits(today: date) -> dict[int, date]:
    """Each person's last workshop day with a check-in, up to `today`."""
    rows = db.session.execute(
        select(CheckIn.participant_id, func.max(WorkshopDay.day))
        .join(WorkshopDay, CheckIn.workshop_day_id == WorkshopDay.id)
        .where(WorkshopDay.day <= today)
        .group_by(CheckIn.participant_id)
    )
    return dict(rows.all())


def episode_and_missed(person: Person, held: list[date], visits: dict[int, date]) -> tuple[date, list[date]]:
    """The episode's name (last visit, else entry) and the held days missed since."""
    last = visits.get(person.id)
    if last is not None and last >= person.entered_on:
        return last, [day for day in held if day > last]
    return person.entered_on, [day for day in held if day >= person.entered_on]


def rungs() -> list[tuple[int, Step]]:
    """The ladder on the centre's rules: (workshops missed in a row, step), lowest first."""
    return sorted([
        (get_int_setting("ladder_sms_after"), Step.WE_MISS_YOU),
        (get_int_setting("followup_absent_days"), Step.CALL),
        (get_int_setting("ladder_referent_after"), Step.REFERENT),
        (get_int_setting("ladder_letter_after"), Step.LETTER),
        (get_int_setting("ladder_handback_after"), Step.HANDED_BACK),
    ], key=lambda rung: rung[0])


def registered_no_show(person_id: int, missed: list[date]) -> bool:
    """Registered (with a place) to the latest workshop missed, and did not come."""
    if not missed:
        return False
    return db.session.scalar(
        select(Registration.id).join(WorkshopDay, Registration.workshop_day_id == WorkshopDay.id)
        .where(Registration.participant_id == person_id, WorkshopDay.day == missed[-1], Registration.waiting.is_(False))
    ) is not None


def plan_ladder(now: datetime) -> list[LadderStep]:
    """Reach the ladder's steps that are due at `now`; queue their messages; returns the new steps."""
    today = local_day(now)
    held = held_days_until(today)
    visits = last_visits(today)
    reached: list[LadderStep] = []
    known = {(pid, episode, step) for pid, episode, step in db.session.execute(
        select(LadderStep.participant_id, LadderStep.episode, LadderStep.step))}
    ladder = rungs()
    for person in people_in_programme():
        episode, missed = episode_and_missed(person, held, visits)
        cancel_stale(person.id, episode)
        due = [step for threshold, step in ladder if threshold <= len(missed)]
        if registered_no_show(person.id, missed):
            due.insert(0, Step.NO_SHOW)
        for step in due:
            if (person.id, episode, step) in known:
                continue
            row = LadderStep(participant_id=person.id, episode=episode, step=step, missed=len(missed), reached_at=now)
            db.session.add(row)
            db.session.flush()
            known.add((person.id, episode, step))
            reached.append(row)
            queue_step_message(person, row, today)
            record_audit(AuditAction.LADDER_STEP, "participant", person.id, {"step": step.value, "missed": len(missed)})
    return reached


def queue_step_message(person: Person, row: LadderStep, today: date) -> None:
    """The message that goes with a step, on the person's channel and with their consent."""
    participant = db.session.get(Participant, person.id)
    key = f"{row.step.value}:{row.episode.isoformat()}"
    if row.step == Step.WE_MISS_YOU and person.sms_number():
        upcoming = next_workshop_after(today)
        text = we_miss_you_text(person.first_name, person.language, upcoming.day if upcoming else None,
                                weekly_pattern().starts)
        enqueue(participant, row.step, Channel.SMS, key, text, ladder_step=row)
    elif row.step == Step.WE_MISS_YOU and person.channel == Channel.LETTER:  # they prefer paper
        enqueue(participant, row.step, Channel.LETTER, key, "", ladder_step=row)
    elif row.step == Step.LETTER and person.channel != Channel.NONE:
        enqueue(participant, row.step, Channel.LETTER, key, "", ladder_step=row)


def cancel_stale(participant_id: int, episode: date) -> None:
    """Ladder messages of an earlier absence not sent yet: the person came again, they are void."""
    stale = db.session.scalars(
        select(OutboxMessage.id).join(LadderStep, OutboxMessage.ladder_step_id == LadderStep.id)
        .where(OutboxMessage.participant_id == participant_id, LadderStep.episode != episode,
               OutboxMessage.status.in_((MessageStatus.PENDING, MessageStatus.FAILED)))
    ).all()
    if stale:
        cancel_open(participant_id, None, "la personne est revenue", steps=(Step.WE_MISS_YOU, Step.LETTER))
