"""Read-only: a person's follow-up log (messages and ladder steps), the gateway's state, and what
works: for each channel and step, how many people came back within two weeks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from kiosk.messages.gateways import describe_url, gateway_url
from kiosk.models import Channel, CheckIn, LadderStep, MessageStatus, OutboxMessage, Participant, Step
from kiosk.platform.extensions import db
from kiosk.platform.timezone import day_bounds_utc

RETURN_DAYS = 14


@dataclass
class LogEntry:
    at: datetime
    step: Step
    channel: Channel | None
    status: MessageStatus | None
    delivery: str | None
    missed: int | None
    error: str | None
    message_id: int | None = None


def contact_log(participant_id: int, limit: int = 30) -> list[LogEntry]:
    """The person's steps and messages, newest first, each message with its status."""
    entries = [LogEntry(row.reached_at, row.step, None, None, None, row.missed, None)
               for row in db.session.scalars(select(LadderStep).where(LadderStep.participant_id == participant_id))
               if row.step not in (Step.WE_MISS_YOU, Step.LETTER)]
    for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.participant_id == participant_id)):
        missed = message.ladder_step.missed if message.ladder_step else None
        entries.append(LogEntry(message.sent_at or message.created_at, message.step, message.channel,
                                message.status, message.delivery_status, missed, message.last_error, message.id))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]


def gateway_state() -> dict:
    """For the box status page: which gateway, and the outbox's counts by status."""
    url = gateway_url()
    counts = dict(db.session.execute(
        select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(OutboxMessage.status)).all())
    return {"gateway": describe_url(url) if url else None,
            "counts": {status.value: counts.get(status, 0) for status in MessageStatus}}


@dataclass
class WhatWorks:
    step: Step
    channel: str  # "sms", "letter", or "team" for steps without a message
    people: int
    came_back: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.came_back / self.people) if self.people else None


def what_works(start: date, end: date, days: int = RETURN_DAYS, referrer_id: int | None = None) -> list[WhatWorks]:
    """For each ladder step and channel reached from start to end (both included): the people reached,
    and those among them who came to a workshop within `days` after (computed from the records).
    With a referrer: only the people they referred."""
    since, _ = day_bounds_utc(start)
    _, until = day_bounds_utc(end)
    reached: list[tuple[Step, str, int, datetime]] = [
        (Step(step), Channel(channel).value, pid, at) for step, channel, pid, at in db.session.execute(
            select(OutboxMessage.step, OutboxMessage.channel, OutboxMessage.participant_id, OutboxMessage.sent_at)
            .where(OutboxMessage.status == MessageStatus.SENT, OutboxMessage.participant_id.is_not(None),
                   OutboxMessage.step != Step.TEST, OutboxMessage.sent_at >= since, OutboxMessage.sent_at < until))]
    reached += [(Step(step), "team", pid, at) for step, pid, at in db.session.execute(
        select(LadderStep.step, LadderStep.participant_id, LadderStep.reached_at)
        .where(LadderStep.step.in_(TEAM_STEPS), LadderStep.reached_at >= since, LadderStep.reached_at < until))]
    if referrer_id is not None:
        theirs = set(db.session.scalars(select(Participant.id).where(Participant.referrer_id == referrer_id)))
        reached = [row for row in reached if row[2] in theirs]
    visits: dict[int, list[datetime]] = {}
    for pid, at in db.session.execute(
        select(CheckIn.participant_id, CheckIn.checked_in_at)
        .where(CheckIn.participant_id.in_({row[2] for row in reached}), CheckIn.checked_in_at >= since)
    ):
        visits.setdefault(pid, []).append(at)
    window = timedelta(days=days)
    groups: dict[tuple[Step, str], tuple[set, set]] = {}
    for step, channel, pid, at in reached:
        people, back = groups.setdefault((step, channel), (set(), set()))
        people.add(pid)
        if any(at < visit <= at + window for visit in visits.get(pid, ())):
            back.add(pid)
    order = list(Step)
    rows = [WhatWorks(step, channel, len(people), len(back)) for (step, channel), (people, back) in groups.items()]
    return sorted(rows, key=lambda row: (order.index(row.step), row.channel))


TEAM_STEPS = (Step.NO_SHOW, Step.CALL, Step.REFERENT, Step.HANDED_BACK)
__all__ = ["contact_log", "gateway_state", "what_works", "WhatWorks", "LogEntry"]
