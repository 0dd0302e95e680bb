"""The USB modem through Debian's gammu-smsd and its files backend: the real gammu-smsd, run here with
gammu's own "dummy" phone driver (a phone emulated in a folder: no modem needed), reads the files the
box writes, sends them and moves them to sent/; gammu-smsd-inject writes the same format; incoming
"STOP" replies come through gammu-smsd's inbox. Also a sender killed before and after its write."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.messages import gammu as gammu_module
from kiosk.messages import sender as sender_module
from kiosk.messages.sender import deliver_now, plan_due, send_due
from kiosk.messages.services import queue_test_sms
from kiosk.models import ContactPreference, MessageStatus, OutboxMessage
from kiosk.platform.extensions import db
from kiosk.settings import set_setting
from tests.messages.conftest import at

REMINDER_TIME = "2026-10-14 10:00"  # the day before Thursday 15 October, a workshop day


@pytest.fixture
def spool(tmp_path):
    root = tmp_path / "spool"
    for name in ("inbox", "outbox", "sent", "error"):
        (root / name).mkdir(parents=True)
    return root


@pytest.fixture
def app_config(spool):
    return {"SMS_URL": f"gammu://{spool}", "MESSAGES_STUCK_SECONDS": 0}


@pytest.fixture
def smsdrc(tmp_path, spool):
    """A gammu-smsd configuration: files backend on the spool, gammu's dummy phone in a folder."""
    phone = tmp_path / "dummy"
    phone.mkdir()
    config = tmp_path / "smsdrc"
    config.write_text(f"""[gammu]
device = {phone}/
model = dummy
connection = none

[smsd]
service = files
inboxpath = {spool}/inbox/
outboxpath = {spool}/outbox/
sentsmspath = {spool}/sent/
errorsmspath = {spool}/error/
inboxformat = unicode
outboxformat = unicode
transmitformat = auto
logfile = {tmp_path}/smsd.log
debuglevel = 1
commtimeout = 1
loopsleep = 1
receivefrequency = 1
checksecurity = 0
checkbattery = 0
checksignal = 0
""")
    return config


def run_smsd(config: Path, until) -> None:
    """Run the real gammu-smsd until `until()` holds (or a minute has passed), then stop it."""
    process = subprocess.Popen(["gammu-smsd", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            if until():
                return
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(30)


def files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir() if path.name.startswith(("OUT", "IN")))


def everywhere(spool: Path) -> list[Path]:
    return files(spool / "outbox") + files(spool / "sent") + files(spool / "error")


def test_outbox_file_as_gammu_smsd_inject_writes_it(app, person, spool, smsdrc):
    """Is the file named as gammu-smsd's docs say, in the bytes gammu-smsd-inject writes for the same SMS?"""
    person("Zoé")
    assert send_due(at(REMINDER_TIME)).sms == 1
    (reminder,) = files(spool / "outbox")
    assert "Zoé".encode("utf-16-be") in reminder.read_bytes()
    reminder.unlink()
    set_setting("sms_signature", "Le Relais")
    test = queue_test_sms("06 12 34 56 78", None)  # short: gammu-smsd-inject writes one SMS part per file
    db.session.commit()
    assert deliver_now(test.id).sms == 1
    (ours,) = files(spool / "outbox")
    message = db.session.get(OutboxMessage, test.id)
    assert re.fullmatch(rf"OUTC\d{{8}}_\d{{6}}_00_\+33612345678_{message.idempotency_key}\.txt", ours.name)
    assert message.status == MessageStatus.SENT and message.gateway == "gammu" and message.delivery_status == "Pending"
    ours_bytes = ours.read_bytes()
    ours.rename(spool / ours.name.replace("OUT", "KEPT", 1))
    subprocess.run(["gammu-smsd-inject", "-c", str(smsdrc), "TEXT", "+33612345678", "-unicode", "-text", message.text],
                   check=True, capture_output=True)
    (injected,) = files(spool / "outbox")
    assert injected.name.endswith("_00_+33612345678_sms0.txt")
    assert injected.read_bytes() == ours_bytes and ours_bytes.startswith(b"\xfe\xff")
    assert "boîte".encode("utf-16-be") in ours_bytes
    # A second run writes nothing more.
    assert send_due(at("2026-10-14 11:00")).sms == 0
    assert len(files(spool / "outbox")) == 1


def test_real_gammu_smsd_sends_it_and_the_box_sees_it_sent(app, person, spool, smsdrc, tmp_path):
    """Does gammu-smsd send the box's file (to the number, with the text), and the box then show it sent?"""
    person()
    send_due(at(REMINDER_TIME))
    run_smsd(smsdrc, until=lambda: files(spool / "sent"))
    (sent,) = files(spool / "sent")
    assert not files(spool / "outbox")
    log = (tmp_path / "smsd.log").read_text()
    assert f"Transmitted {sent.name}" in log and "to +33612345678" in log
    assert 'with text "Bonjour Fatima, à demain' in log
    send_due(at("2026-10-14 11:00"))
    db.session.expire_all()
    message = db.session.scalars(db.select(OutboxMessage)).one()
    assert message.status == MessageStatus.SENT and message.delivery_status == "Sent"
    assert len(everywhere(spool)) == 1


def test_stop_reply_through_the_modem(app, person, spool, smsdrc, tmp_path):
    """A "Stop." received by the modem (gammu-smsd's inbox) withdraws the person's consent."""
    fatima = person()
    gammurc = tmp_path / "gammurc"
    gammurc.write_text(f"[gammu]\ndevice = {tmp_path}/dummy/\nmodel = dummy\nconnection = none\n")
    (tmp_path / "dummy").mkdir(exist_ok=True)
    subprocess.run(["gammu", "-c", str(gammurc), "savesms", "TEXT", "-folder", "1", "-sender", "+33612345678",
                    "-text", "Stop."], check=True, capture_output=True)
    run_smsd(smsdrc, until=lambda: files(spool / "inbox"))
    (received,) = files(spool / "inbox")
    assert "_+33612345678_" in received.name and received.read_bytes().startswith(b"\xfe\xff")
    assert send_due(at(REMINDER_TIME)).sms == 0
    db.session.expire_all()
    preference = db.session.get(ContactPreference, fatima.id)
    assert not preference.sms_consent and preference.consent_source == "stop"
    assert not files(spool / "inbox") and not everywhere(spool)


class Killed(BaseException):
    """The process dies here: nothing after this line runs."""


def test_killed_after_the_write_never_writes_twice(app, person, spool, monkeypatch):
    """Killed once the file is in gammu-smsd's outbox but before the database knew: found, not rewritten."""
    person()

    def die(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(sender_module, "finish", die)
    with pytest.raises(Killed):
        send_due(at(REMINDER_TIME))
    db.session.rollback()
    monkeypatch.undo()
    assert db.session.scalars(db.select(OutboxMessage)).one().status == MessageStatus.SENDING
    (written,) = files(spool / "outbox")
    written.rename(spool / "sent" / written.name)  # gammu-smsd sent it meanwhile
    assert send_due(at("2026-10-14 10:30")).sms == 0
    db.session.expire_all()
    message = db.session.scalars(db.select(OutboxMessage)).one()
    assert message.status == MessageStatus.SENT and message.delivery_status == "Sent"
    assert len(everywhere(spool)) == 1


def test_killed_before_the_rename_writes_once(app, person, spool, monkeypatch):
    """Killed while writing (the hidden file half done): gammu-smsd never saw it; sent once, later."""
    person()

    def die(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(gammu_module.os, "rename", die)
    with pytest.raises(Killed):
        send_due(at(REMINDER_TIME))
    db.session.rollback()
    monkeypatch.undo()
    assert not everywhere(spool)
    assert send_due(at("2026-10-14 10:30")).sms == 1
    assert len(everywhere(spool)) == 1
    assert send_due(at("2026-10-14 11:00")).sms == 0
    assert len(everywhere(spool)) == 1


def test_spool_without_sent_folder_is_refused_then_sent_once(app, person, spool):
    """A gammu-smsd that would delete what it sent: a clear error, nothing written; fixed, sent once."""
    person()
    (spool / "sent").rmdir()
    result = send_due(at(REMINDER_TIME))
    assert result.sms == 0 and result.failed == 1 and "sent" in result.errors[0]
    assert not files(spool / "outbox")
    (spool / "sent").mkdir()
    assert send_due(at("2026-10-14 10:30")).sms == 1
    assert len(everywhere(spool)) == 1


def test_sender_killed_mid_write_sends_once(app, person, spool, database_url, tmp_path):
    """A real `kiosk messages send-due` killed (SIGKILL) while it writes the file (held on a FIFO at the
    hidden name): gammu-smsd saw nothing; the next run finds no file of that id and writes it once."""
    person()
    plan_due(at(REMINDER_TIME))
    message = db.session.scalars(db.select(OutboxMessage)).one()
    message_id, key = message.id, message.idempotency_key
    db.session.commit()  # no read transaction left open: the sender must be able to write
    os.mkfifo(spool / "outbox" / f".{key}.part")  # open() for writing blocks here
    env = {**os.environ, "KIOSK_DATABASE_URL": database_url, "KIOSK_SECRET_KEY": "test-secret-key",
           "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"), "KIOSK_SMS_URL": f"gammu://{spool}"}
    kiosk = Path(sys.executable).with_name("kiosk")
    process = subprocess.Popen([str(kiosk), "messages", "send-due", "--now", "2026-10-14T10:00:00+02:00"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        db.session.expire_all()
        status = db.session.get(OutboxMessage, message_id).status
        db.session.rollback()
        if status == MessageStatus.SENDING:
            break
        time.sleep(0.1)
    time.sleep(0.5)  # past the claim's commit, into the write
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message_id).status == MessageStatus.SENDING
    db.session.rollback()
    assert not everywhere(spool)
    (spool / "outbox" / f".{key}.part").unlink()
    later = subprocess.run([str(kiosk), "messages", "send-due", "--now", "2026-10-14T10:30:00+02:00"],
                           env={**env, "KIOSK_MESSAGES_STUCK_SECONDS": "0"}, capture_output=True, text=True, timeout=120)
    assert later.returncode == 0, later.stderr
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message_id).status == MessageStatus.SENT
    db.session.rollback()
    (written,) = everywhere(spool)
    assert written.name.endswith(f"_{key}.txt")
    again = subprocess.run([str(kiosk), "messages", "send-due", "--now", "2026-10-14T11:00:00+02:00"],
                           env={**env, "KIOSK_MESSAGES_STUCK_SECONDS": "0"}, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and len(everywhere(spool)) == 1
