"""The sender: the only code that hands messages to a gateway, each exactly once.

Exactly once, even when the server is killed mid-send:
1. claim: one conditional UPDATE (open -> "sending"), committed before the gateway is called, so
   two senders (the server's thread, `kiosk messages send-due`) never both send a message;
2. send under the row's own idempotency key (the gateway keeps it as the message's id);
3. record: "sent", or "failed" with the next try after a backoff, committed.
A message found "sending" after MESSAGES_STUCK_SECONDS (its sender died between 1 and 3), or a
failed one whose last try may have reached the gateway (a timeout, garbage), is never sent blindly
again: the gateway is asked whether it knows that id. It does: "sent". It does not: sent now. It
cannot say (down): left as it is, asked again next run. A lost answer costs a delay, never a double.

This module commits, on purpose, unlike every service (kiosk/platform/unit_of_work.py): the
exactly-once promise needs each step on disk before the next one happens, a message marked
"sending" before it leaves for the gateway and "sent" as soon as the gateway took it, and no
transaction (nor SQLite's write lock) held while a gateway answers. One unit of work around a whole
run would send a message whose claim could still be rolled back, and so send it twice. It runs
outside requests (the server's thread, `kiosk messages send-due`), except `deliver_now`, the
settings page's test, whose first commit (the claim) also stores the test message queued by the view.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from kiosk.messages.consent import honour_stop, is_stop
from kiosk.messages.gateways import UNKNOWN, GatewayError, GatewayRefused, NotConfigured, current_gateway
from kiosk.messages.outbox import claim, due_ids, fail, finish
from kiosk.messages.planning import is_quiet, plan_ladder, plan_reminders
from kiosk.models import Channel, ContactPreference, MessageStatus, OutboxMessage, Step
from kiosk.people.phone import is_mobile, normalise_phone
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day, utcnow

log = logging.getLogger(__name__)
FINAL_STATES = frozenset({"Delivered", "Failed"})


@dataclass
class RunResult:
    sms: int = 0
    letters: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"sms": self.sms, "letters": self.letters, "failed": self.failed}


def plan_due(now: datetime) -> None:
    """Queue what is due at `now` (reminders, ladder), in one committed transaction."""
    try:
        plan_reminders(now)
        plan_ladder(now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def send_due(now: datetime | None = None, plan: bool = True) -> RunResult:
    """Queue what is due, then deliver: letters made ready, SMS outside the quiet hours."""
    now = now or utcnow()
    if plan:
        plan_due(now)
    result = RunResult()
    result.letters = ready_letters(now)
    if is_quiet(now):
        return result
    try:
        gateway = current_gateway()
    except NotConfigured as exc:
        result.errors.append(str(exc))
        return result
    honour_incoming(gateway, now)
    recover_stuck(gateway, now)
    for message_id in due_ids(now, Channel.SMS):
        deliver(message_id, gateway, now, result)
    refresh_delivery(gateway, now)
    return result


def honour_incoming(gateway, now: datetime) -> None:
    """"STOP" replies the gateway keeps for us to read (the modem's inbox): consent withdrawn, then the
    reply removed (a reply read twice changes nothing; one removed before the commit would be lost)."""
    incoming = getattr(gateway, "incoming", None)
    if incoming is None:  # the Android phone posts its replies to the webhook instead
        return
    stops = [(sender, file) for sender, text, file in incoming() if is_stop(text)]
    for sender, _file in stops:
        honour_stop(sender, now)
    db.session.commit()
    for _sender, file in stops:
        gateway.forget(file)


def ready_letters(now: datetime) -> int:
    """Letters due are made ready to print (the sheet is on the letters page): "sent"."""
    count = 0
    for message_id in due_ids(now, Channel.LETTER):
        if claim(message_id, utcnow()):
            message = db.session.get(OutboxMessage, message_id)
            finish(message, now, "print", None, None)
            count += 1
        db.session.commit()
    return count


def recipient_of(message: OutboxMessage) -> str | None:
    """The E.164 number to send to, checked again now: consent given, channel SMS, a mobile."""
    if message.step == Step.TEST:
        return message.recipient
    participant = message.participant
    preference = db.session.get(ContactPreference, participant.id) if participant else None
    if preference is None or not preference.sms_consent or preference.channel == Channel.NONE:
        return None
    if participant.anonymised_at is not None or not participant.phone:
        return None
    try:
        number = normalise_phone(participant.phone)
    except ValueError:
        return None
    return number if is_mobile(number) else None


def expired(message: OutboxMessage, now: datetime) -> bool:
    """A reminder still waiting on the workshop's day (or later) is no longer worth sending."""
    if message.step != Step.REMINDER:
        return False
    day = message.dedup_key.removeprefix("reminder:")
    return local_day(now).isoformat() >= day


def deliver(message_id: int, gateway, now: datetime, result: RunResult) -> None:
    """Claim, send and record one SMS, each step committed."""
    if not claim(message_id, utcnow()):
        db.session.rollback()
        return  # another sender has it
    db.session.commit()
    message = db.session.get(OutboxMessage, message_id)
    number = recipient_of(message)
    if number is None or expired(message, now):
        message.status = MessageStatus.CANCELLED
        message.last_error = "plus de consentement" if number is None else "l'atelier est passé"
        db.session.commit()
        return
    key, text, ambiguous = message.idempotency_key, message.text, message.attempts > 1
    db.session.commit()  # no transaction (nor SQLite's write lock) held while the gateway answers
    try:
        if ambiguous and settle(message_id, gateway, now):
            result.sms += 1
            return
        accepted = gateway.send(key, number, text)
    except GatewayRefused as exc:
        record_failure(message_id, now, str(exc), retry=False, result=result)
    except GatewayError as exc:
        record_failure(message_id, now, str(exc), retry=True, result=result)
    else:
        finish(db.session.get(OutboxMessage, message_id), now, gateway.name, accepted.gateway_id,
               accepted.delivery_status)
        db.session.commit()
        result.sms += 1


def record_failure(message_id: int, now: datetime, error: str, retry: bool, result: RunResult) -> None:
    fail(db.session.get(OutboxMessage, message_id), now, error, retry)
    db.session.commit()
    result.failed += 1
    result.errors.append(error)
    log.warning("SMS %s not sent: %s", message_id, error)


def settle(message_id: int, gateway, now: datetime) -> bool:
    """Ask the gateway about an earlier try; True (and "sent") when it has the message already."""
    state = gateway.lookup(db.session.get(OutboxMessage, message_id).idempotency_key)
    db.session.commit()
    if state is UNKNOWN:
        return False
    message = db.session.get(OutboxMessage, message_id)
    finish(message, now, gateway.name, message.idempotency_key, state)
    db.session.commit()
    return True


def recover_stuck(gateway, now: datetime) -> None:
    """Messages left "sending" by a sender that died: asked about, never resent blindly."""
    limit = utcnow() - timedelta(seconds=float(current_app.config["MESSAGES_STUCK_SECONDS"]))
    stuck = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.claimed_at <= limit)).all()
    for message in stuck:
        key, message_id = message.idempotency_key, message.id
        db.session.commit()
        try:
            state = gateway.lookup(key)
        except GatewayError as exc:
            log.warning("SMS %s left sending, the gateway cannot say: %s", message_id, exc)
            continue
        message = db.session.get(OutboxMessage, message_id)
        if message.status != MessageStatus.SENDING:
            continue
        if state is UNKNOWN:  # it never reached the gateway: it may go again, as a first try
            message.status = MessageStatus.PENDING
            message.next_try_at = None
        else:
            finish(message, now, gateway.name, key, state)
        db.session.commit()


def refresh_delivery(gateway, now: datetime, days: int = 3) -> None:
    """Ask the gateway how the SMS of the last days (before `now`) fared (Sent, Delivered, Failed)."""
    since = now - timedelta(days=days)
    rows = db.session.execute(select(OutboxMessage.id, OutboxMessage.idempotency_key).where(
        OutboxMessage.status == MessageStatus.SENT, OutboxMessage.channel == Channel.SMS,
        OutboxMessage.sent_at >= since,
        (OutboxMessage.delivery_status.is_(None)) | (OutboxMessage.delivery_status.not_in(FINAL_STATES)),
    )).all()
    db.session.commit()
    for message_id, key in rows:
        try:
            state = gateway.lookup(key)
        except GatewayError:
            return
        if state is not UNKNOWN:
            db.session.get(OutboxMessage, message_id).delivery_status = state
            db.session.commit()


def deliver_now(message_id: int, now: datetime | None = None) -> RunResult:
    """Deliver one message at once (the settings page's test), quiet hours or not: it goes to the team."""
    result = RunResult()
    now = now or utcnow()
    try:
        gateway = current_gateway()
    except NotConfigured as exc:
        fail(db.session.get(OutboxMessage, message_id), now, str(exc), retry=False)
        db.session.commit()
        result.failed, result.errors = 1, [str(exc)]
        return result
    deliver(message_id, gateway, now, result)
    return result



