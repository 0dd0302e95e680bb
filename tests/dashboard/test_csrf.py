"""The dashboard's forms with CSRF switched on, as in production."""

import re
from datetime import date

import pytest

from kiosk.platform.extensions import db
from kiosk.models import FollowUpCall, Role
from kiosk.settings import get_setting


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


class Browser:
    """A test client whose every request runs in its own app context, as under a real server
    (the `app` fixture's context would otherwise keep Flask-WTF's token in `g` across requests)."""

    def __init__(self, app):
        self.app, self.client = app, app.test_client()

    def get(self, url):
        with self.app.app_context():
            return self.client.get(url)

    def post(self, url, data):
        with self.app.app_context():
            return self.client.post(url, data=data)

    def token(self, url):
        return re.search(r'name="csrf-token" content="([^"]+)"', self.get(url).get_data(as_text=True)).group(1)


def _login(browser, make_user):
    make_user(Role.COORDINATOR, username="coord-csrf")
    response = browser.post("/login", data={"username": "coord-csrf", "password": "motdepasse-test",
                                            "csrf_token": browser.token("/login")})
    assert response.status_code in (302, 303)


def _stored() -> tuple[int, str]:
    """The calls stored and the threshold, read without keeping the test's transaction (and its lock) open."""
    try:
        return db.session.scalar(db.select(db.func.count(FollowUpCall.id))), get_setting("followup_absent_days")
    finally:
        db.session.rollback()


def test_call_and_threshold_need_the_token(app, make_user, centre):
    """Are a call and a threshold change refused without the CSRF token, and accepted with the page's token?"""
    person_id = centre.person("Océane", "Le Roux", entered=date(2025, 1, 1)).id
    db.session.commit()
    browser = Browser(app)
    _login(browser, make_user)
    call = {"channel": "call", "outcome": "reached"}
    assert browser.post(f"/dashboard/rappels/{person_id}/appels", data=call).status_code == 400
    assert browser.post("/dashboard/rappels/seuil", data={"absent_days": "5"}).status_code == 400
    assert _stored() == (0, "3")
    token = browser.token("/dashboard/rappels")
    assert browser.post(f"/dashboard/rappels/{person_id}/appels", data={**call, "csrf_token": token}).status_code == 303
    assert browser.post("/dashboard/rappels/seuil", data={"absent_days": "5", "csrf_token": token}).status_code == 303
    assert _stored() == (1, "5")


def test_strangers_get_the_login_page_before_csrf(client):
    """Does a POST with neither login nor token get the login redirect, not a CSRF error?"""
    response = client.post("/dashboard/rappels/1/appels", data={"channel": "call", "outcome": "reached"})
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
