"""The outbox: services put messages in it; only the sender (kiosk/messages/sender.py) takes them out.

These functions add and flush, never commit, except `claim`, `finish` and `fail`, which the sender
calls each in a transaction of its own (the claim must be committed before the gateway is called).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from kiosk.models import Channel, LadderStep, MessageStatus, OutboxMessage, Participant, Step
from kiosk.platform.extensions import db

# Waits after the 1st, 2nd... failed try; after the last one the message is given up (still shown).
BACKOFF = (timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30), timedelta(hours=2),
           timedelta(hours=6), timedelta(hours=24))
OPEN = (MessageStatus.PENDING, MessageStatus.FAILED)


def enqueue(participant: Participant | None, step: Step, channel: Channel, dedup_key: str, text: str,
            ladder_step: LadderStep | None = None, recipient: str | None = None) -> OutboxMessage | None:
    """Put a message in the outbox, unless the same one (person, key) is already there; flushes."""
    if participant is not None:
        existing = db.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.participant_id == participant.id, OutboxMessage.dedup_key == dedup_key))
        if existing is not None:
            return None
    message = OutboxMessage(
        participant=participant, step=step, channel=channel, dedup_key=dedup_key[:80], text=text[:480],
        ladder_step=ladder_step, recipient=recipient, idempotency_key=uuid.uuid4().hex,
        status=MessageStatus.PENDING, attempts=0,
    )
    db.session.add(message)
    db.session.flush()
    return message


def due_ids(now: datetime, channel: Channel, limit: int = 200) -> list[int]:
    """Messages of a channel waiting to go at `now`: pending or failed with a next try that has come."""
    return list(db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.channel == channel, OutboxMessage.status.in_(OPEN))
        .where(or_(OutboxMessage.status == MessageStatus.PENDING, OutboxMessage.next_try_at.is_not(None)))
        .where(or_(OutboxMessage.next_try_at.is_(None), OutboxMessage.next_try_at <= now))
        .order_by(OutboxMessage.id).limit(limit)
    ))


def claim(message_id: int, wall_now: datetime, statuses=OPEN) -> bool:
    """Mark one message "sending" if it is still open: True when this sender won it (one UPDATE)."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status.in_(statuses))
        .values(status=MessageStatus.SENDING, claimed_at=wall_now, attempts=OutboxMessage.attempts + 1)
    )
    return result.rowcount == 1


def finish(message: OutboxMessage, now: datetime, gateway: str, gateway_id: str | None,
           delivery_status: str | None) -> None:
    """The gateway has the message: sent, for good."""
    message.status = MessageStatus.SENT
    message.sent_at = now
    message.gateway = gateway
    message.gateway_id = gateway_id
    message.delivery_status = delivery_status
    message.next_try_at = None
    message.last_error = None
    db.session.flush()


def fail(message: OutboxMessage, now: datetime, error: str, retry: bool = True) -> None:
    """A try failed: the next one after the backoff, or never (given up) after the last."""
    message.status = MessageStatus.FAILED
    message.last_error = error[:200]
    attempt = max(message.attempts, 1)
    message.next_try_at = now + BACKOFF[attempt - 1] if retry and attempt <= len(BACKOFF) else None
    db.session.flush()


def release(message: OutboxMessage) -> None:
    """Put a claimed message back, untried (quiet hours came, no gateway): its attempt does not count."""
    message.status = MessageStatus.PENDING if message.last_error is None else MessageStatus.FAILED
    message.attempts = max(message.attempts - 1, 0)
    db.session.flush()


def cancel_open(participant_id: int, channel: Channel | None = None, reason: str | None = None,
                steps: tuple[Step, ...] | None = None) -> int:
    """Cancel a person's messages not sent yet (consent withdrawn, STOP, came back); returns how many."""
    query = (update(OutboxMessage)
             .where(OutboxMessage.participant_id == participant_id, OutboxMessage.status.in_(OPEN))
             .values(status=MessageStatus.CANCELLED, next_try_at=None, last_error=reason))
    if channel is not None:
        query = query.where(OutboxMessage.channel == channel)
    if steps is not None:
        query = query.where(OutboxMessage.step.in_(steps))
    return db.session.execute(query.execution_options(synchronize_session=False)).rowcount
