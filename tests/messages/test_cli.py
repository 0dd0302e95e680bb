"""`kiosk participant add --phone --sms-consent` and `kiosk messages send-due`, as a person runs them,
including a sender killed with SIGKILL in the middle of a send."""

import json
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.models import ContactPreference, MessageStatus, OutboxMessage, Participant
from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow

KIOSK_BIN = Path(sys.executable).with_name("kiosk")


@pytest.fixture
def kiosk_env(app, database_url, tmp_path, phone):
    return {
        **os.environ,
        "KIOSK_DATABASE_URL": database_url,
        "KIOSK_SECRET_KEY": "test-secret-key",
        "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"),
        "KIOSK_SMS_URL": phone.url,
    }


@pytest.fixture
def run_kiosk(kiosk_env):
    def run(*args, **env) -> subprocess.CompletedProcess:
        db.session.commit()
        return subprocess.run([str(KIOSK_BIN), *args], env={**kiosk_env, **env}, capture_output=True,
                              text=True, timeout=120)

    return run


def last_json(result):
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_add_with_phone_and_consent(run_kiosk):
    """Does `participant add` keep the number in E.164, the household size and the consent (when, how)?"""
    result = run_kiosk("participant", "add", "--first-name", "Fatima", "--last-name", "Benali",
                       "--household-size", "4", "--phone", "06.12.34.56.78", "--sms-consent")
    assert result.returncode == 0, result.stderr
    pid = last_json(result)["id"]
    db.session.expire_all()
    participant = db.session.get(Participant, pid)
    assert participant.phone == "+33612345678" and participant.household_size == 4
    preference = db.session.get(ContactPreference, pid)
    assert preference.sms_consent and preference.consent_at is not None and preference.consent_source == "cli"


@pytest.mark.parametrize("args, words", [
    (["--phone", "06 12 34"], "Numéro"),
    (["--phone", "abc"], "chiffres"),
    (["--sms-consent"], "--phone"),
    (["--phone", "01 23 45 67 89", "--sms-consent"], "portable"),
])
def test_add_refuses_bad_phone(run_kiosk, args, words):
    """A malformed number, or consent without a mobile: one line, non-zero, nobody stored."""
    result = run_kiosk("participant", "add", "--first-name", "Ali", "--last-name", "Ben", *args)
    assert result.returncode != 0
    assert words in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0


def test_send_due_json_and_never_twice(run_kiosk, phone):
    """Does send-due print its JSON last line, and send nothing again when run twice?"""
    run_kiosk("participant", "add", "--first-name", "Fatima", "--last-name", "Benali",
              "--phone", "0612345678", "--sms-consent")
    first = run_kiosk("messages", "send-due", "--now", "2026-10-14T10:00:00+02:00")
    assert first.returncode == 0, first.stderr
    assert last_json(first) == {"sms": 1, "letters": 0, "failed": 0}
    second = run_kiosk("messages", "send-due", "--now", "2026-10-14T10:30:00+02:00")
    assert last_json(second) == {"sms": 0, "letters": 0, "failed": 0}
    assert len(phone.received) == 1


def test_send_due_bad_now(run_kiosk):
    """A --now that is not a date: one line, non-zero."""
    result = run_kiosk("messages", "send-due", "--now", "mercredi")
    assert result.returncode != 0 and "ISO 8601" in result.stderr


def test_killed_mid_send_never_sends_twice(run_kiosk, kiosk_env, phone):
    """A sender killed (SIGKILL) while the phone holds its request: the next runs check, never resend."""
    run_kiosk("participant", "add", "--first-name", "Fatima", "--last-name", "Benali",
              "--phone", "0612345678", "--sms-consent")
    phone.mode = "hang"
    process = subprocess.Popen([str(KIOSK_BIN), "messages", "send-due", "--now", "2026-10-14T10:00:00+02:00"],
                               env=kiosk_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert phone.got_request.wait(60)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    phone.mode = "ok"
    db.session.expire_all()
    (message,) = db.session.scalars(db.select(OutboxMessage)).all()
    assert message.status == MessageStatus.SENDING
    soon = run_kiosk("messages", "send-due", "--now", "2026-10-14T10:05:00+02:00", KIOSK_MESSAGES_STUCK_SECONDS="3600")
    assert last_json(soon) == {"sms": 0, "letters": 0, "failed": 0}  # maybe still sending: left alone
    later = run_kiosk("messages", "send-due", "--now", "2026-10-14T10:10:00+02:00", KIOSK_MESSAGES_STUCK_SECONDS="0")
    assert later.returncode == 0, later.stderr
    assert len(phone.received) == 1
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert message.status == MessageStatus.SENT and message.delivery_status == "Delivered"


def test_stuck_message_the_phone_never_got_goes_once(app, phone, person):
    """A message left "sending" that never reached the phone is sent once, as a first try."""
    from kiosk.messages.sender import send_due
    from tests.messages.conftest import at

    person()
    phone.down()
    send_due(at("2026-10-14 10:00"))
    message = db.session.scalars(db.select(OutboxMessage)).one()
    message.status, message.claimed_at, message.next_try_at = MessageStatus.SENDING, utcnow() - timedelta(hours=1), None
    db.session.commit()
    phone.up()
    assert send_due(at("2026-10-14 10:30")).sms == 1
    assert len(phone.received) == 1
