"""The outbox and its sender against a real HTTP server speaking SMS Gateway for Android's API."""

from datetime import date

from kiosk.messages.sender import send_due
from kiosk.models import MessageStatus, OutboxMessage, Step
from kiosk.platform.extensions import db
from tests.messages.conftest import at

WED = "2026-10-14"  # the day before Thursday 15 October


def messages(step=None):
    query = db.select(OutboxMessage).order_by(OutboxMessage.id)
    if step is not None:
        query = query.where(OutboxMessage.step == step)
    return db.session.scalars(query).all()


def test_reminder_sent_once_with_first_name_only(app, phone, person):
    """Is the day-before reminder sent once, to the E.164 number, with the first name and no last name?"""
    person()
    result = send_due(at(f"{WED} 10:00"))
    assert result.as_json() == {"sms": 1, "letters": 0, "failed": 0}
    assert len(phone.received) == 1
    text = phone.received[0]["text"]
    assert phone.received[0]["phoneNumbers"] == ["+33612345678"]
    assert "Fatima" in text and "Benali" not in text and "14:00" in text and "demain" in text
    again = send_due(at(f"{WED} 11:00"))
    assert again.as_json() == {"sms": 0, "letters": 0, "failed": 0}
    assert len(phone.received) == 1
    (message,) = messages(Step.REMINDER)
    assert message.status == MessageStatus.SENT and message.gateway_id == message.idempotency_key


def test_no_sms_without_consent(app, phone, person):
    """Does a person without consent, or who chose no messages, get nothing?"""
    person("Karim", "Haddad", consent=False)
    person("Lina", "Roux", consent=None)
    assert send_due(at(f"{WED} 10:00")).sms == 0
    assert phone.received == []


def test_quiet_hours_and_sunday(app, phone, person):
    """Does nothing leave the box before 09:00, from 20:00, or on a Sunday?"""
    person()
    assert send_due(at(f"{WED} 08:59")).sms == 0
    assert send_due(at(f"{WED} 20:00")).sms == 0
    assert send_due(at("2026-10-18 12:00")).sms == 0  # a Sunday
    assert phone.received == []
    assert send_due(at(f"{WED} 09:00")).sms == 1


def test_english_reminder(app, phone, person):
    """Is the reminder in the person's language?"""
    person("Amal", "Said", language="en")
    send_due(at(f"{WED} 10:00"))
    assert phone.received[0]["text"].startswith("Hello Amal")


def test_gateway_down_then_up_retries_without_double(app, phone, person):
    """A gateway that is down: the SMS waits, is tried again after the backoff, and goes once."""
    person()
    phone.down()
    first = send_due(at(f"{WED} 10:00"))
    assert first.as_json() == {"sms": 0, "letters": 0, "failed": 1}
    (message,) = messages()
    assert message.status == MessageStatus.FAILED and message.next_try_at is not None
    phone.up()
    assert send_due(at(f"{WED} 10:01")).failed == 0  # before its next try: left waiting
    assert phone.received == []
    later = send_due(at(f"{WED} 10:15"))
    assert later.as_json() == {"sms": 1, "letters": 0, "failed": 0}
    assert len(phone.received) == 1
    assert send_due(at(f"{WED} 12:00")).sms == 0
    assert len(phone.received) == 1


def test_garbage_answer_is_a_failure_kept_for_retry(app, phone, person):
    """A gateway answering garbage: a clear failure, the message kept, sent once when it recovers."""
    person()
    phone.mode = "garbage"
    result = send_due(at(f"{WED} 10:00"))
    assert result.failed == 1 and "502" in result.errors[0]
    phone.mode = "ok"
    assert send_due(at(f"{WED} 11:00")).sms == 1
    assert len(phone.received) == 1


def test_hanging_gateway_times_out_and_is_not_doubled(app, phone, person):
    """A gateway that takes the message but never answers: a timeout, then asked, never sent twice."""
    person()
    phone.mode = "hang"
    result = send_due(at(f"{WED} 10:00"))
    assert result.failed == 1 and "répondu" in result.errors[0]
    assert len(phone.received) == 1  # it did reach the phone
    phone.mode = "ok"
    assert send_due(at(f"{WED} 11:00")).sms == 1  # the phone knows the id: marked sent, not resent
    assert len(phone.received) == 1
    (message,) = messages()
    assert message.status == MessageStatus.SENT and message.delivery_status == "Delivered"


def test_unreachable_reminder_expires_on_the_day(app, phone, person):
    """A reminder that could not go the day before is not sent on the workshop's day."""
    person()
    phone.down()
    send_due(at(f"{WED} 10:00"))
    phone.up()
    assert send_due(at("2026-10-15 10:00")).sms == 0
    assert phone.received == []
    (message,) = messages(Step.REMINDER)
    assert message.status == MessageStatus.CANCELLED


def test_refused_number_is_given_up(app, phone, person):
    """A message the phone refuses for good (400) is not tried again."""
    person()
    phone.mode = "refuse"
    phone.password = "other"  # 401: a wrong password is a failure to retry, not a refusal
    result = send_due(at(f"{WED} 10:00"))
    assert result.failed == 1 and "401" in result.errors[0]
    (message,) = messages()
    assert message.next_try_at is not None
