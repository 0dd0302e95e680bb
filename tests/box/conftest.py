"""The real server under libfaketime (Debian's `faketime`), and HTTP sessions on it."""

import os
import re
import subprocess
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

from kiosk.auth.services import add_user
from kiosk.devices.services import add_device
from kiosk.models import DeviceKind, Role
from kiosk.cards.services import issue_card
from kiosk.people.services import add_participant, open_epicerie_access
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from tests.browser.conftest import KIOSK_BIN, LiveServer, set_weekly_day
from tests.conftest import TEST_PASSWORD

LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def libfaketime() -> str:
    """The preloaded library of Debian's faketime; a missing one fails the run (make test installs it)."""
    candidates = [LIBFAKETIME, *Path("/usr/lib").glob("*/faketime/libfaketime.so.1")]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    pytest.fail("libfaketime introuvable : installez le paquet Debian « faketime » (make test le fait en root).")


@pytest.fixture
def fake_clock_server(tmp_path, database_url, monkeypatch):
    """Start the real server with its clock shifted (e.g. "-10m"); stops it at the end."""
    servers = []

    def start(shift: str) -> LiveServer:
        monkeypatch.setenv("LD_PRELOAD", libfaketime())
        monkeypatch.setenv("FAKETIME", shift)
        server = LiveServer(tmp_path / f"server{len(servers)}", database_url)
        monkeypatch.delenv("LD_PRELOAD")
        with server.app.app_context():  # the centre's today (Paris), not the machine's (UTC)
            today = local_day()
        set_weekly_day(server, today.weekday())  # today is a workshop day, so scans count
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def coordinator_session(live) -> tuple[requests.Session, str]:
    """A coordinator logged in on the live server, and the CSRF token of their pages."""
    username = f"coord-{uuid.uuid4().hex[:6]}"
    with live.app.app_context():
        add_user(username, Role.COORDINATOR, TEST_PASSWORD)
        db.session.commit()
    session = requests.Session()
    token = TOKEN.search(session.get(live.url + "/login").text).group(1)
    answer = session.post(live.url + "/login", data={"username": username, "password": TEST_PASSWORD,
                                                    "csrf_token": token})
    assert answer.status_code == 200 and "/login" not in answer.url
    token = TOKEN.search(session.get(live.url + "/boite").text).group(1)
    return session, token


def kiosk_session(live, kind=DeviceKind.KIOSK) -> tuple[requests.Session, str]:
    """An enrolled device's session on the live server, and its CSRF token."""
    with live.app.app_context():
        _device, path = add_device(f"{kind} {uuid.uuid4().hex[:6]}", kind)
        db.session.commit()
    session = requests.Session()
    page = session.get(live.url + path)
    assert page.status_code == 200
    return session, TOKEN.search(page.text).group(1)


def add_household(live, first_name="Fatima") -> tuple[int, str]:
    """A participant with a card and épicerie access for a month: (id, code)."""
    with live.app.app_context():
        participant = add_participant(first_name, "Benali")
        open_epicerie_access(participant, date.today() + timedelta(days=30))
        _card, code = issue_card(participant)
        db.session.commit()
        return participant.id, code


@pytest.fixture
def kiosk(db_path, tmp_path):
    """Run the installed `kiosk` command on the test database: kiosk("box", "backup", env={...})."""

    def run(*args, env=None, timeout=120):
        environment = {**os.environ, "KIOSK_DATABASE_URL": f"sqlite:///{db_path}", "KIOSK_SECRET_KEY": "test-secret-key",
                       "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"), **(env or {})}
        return subprocess.run([str(KIOSK_BIN), *map(str, args)], env=environment, capture_output=True, text=True,
                              timeout=timeout)

    return run
