"""Limits that hold when baskets arrive at the same moment, through the production server (gunicorn)."""

import re
import threading
import uuid

import requests

from kiosk.auth.services import add_user
from kiosk.epicerie.rules import RulesChange, change_rules
from kiosk.models import Role
from kiosk.platform.extensions import db
from tests.browser.conftest import LiveServer
from tests.conftest import TEST_PASSWORD
from tests.epicerie.browser_helpers import add_household, stored_baskets


def _session(live, username) -> tuple[requests.Session, str]:
    with live.app.app_context():
        add_user(username, Role.VOLUNTEER, TEST_PASSWORD)
        db.session.commit()
    session = requests.Session()
    token = re.search(r'name="csrf-token" content="([^"]+)"', session.get(live.url + "/login").text).group(1)
    session.post(live.url + "/login", data={"username": username, "password": TEST_PASSWORD, "csrf_token": token})
    token = re.search(r'name="csrf-token" content="([^"]+)"', session.get(live.url + "/tablet").text).group(1)
    return session, token


def test_twelve_simultaneous_baskets_for_one_household_do_not_all_pass(tmp_path, database_url):
    """One visit a week, 50 € a month, as limits: of twelve 40 € baskets sent at once (different keys,
    several workers and tablets), does exactly one pass, the others refused with the rule's words?"""
    live = LiveServer(tmp_path, database_url, extra_args=("--workers", "3", "--threads", "4"))
    try:
        with live.app.app_context():
            change_rules(RulesChange(10, 1, 3000, 2000, enforce="limit"))
            db.session.commit()
        household_id, _code = add_household(live, "Fatima", "Benali", size=1)
        sessions = [_session(live, f"tablette{n}") for n in range(3)]
        start = threading.Barrier(12)
        answers = []

        def send(n):
            session, token = sessions[n % 3]
            body = {"participant_id": household_id, "paid_eur": "4.00", "lines": [
                {"category": "frais", "quantity": 1, "weight_kg": 2, "value_eur": "40.00"}]}
            start.wait()
            response = session.post(live.url + "/api/baskets", json=body, timeout=60,
                                    headers={"Idempotency-Key": str(uuid.uuid4()), "X-CSRFToken": token})
            answers.append((response.status_code, response.json()))

        threads = [threading.Thread(target=send, args=(n,)) for n in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(status for status, _payload in answers)
        assert statuses == [201] + [422] * 11, answers
        assert all("participant" in payload["errors"] for status, payload in answers if status == 422)
        assert [b["value_cents"] for b in stored_baskets(live)] == [4000]
    finally:
        live.stop()
