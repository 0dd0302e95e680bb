"""With CSRF on, as in production: the participants forms refuse a POST without the page's token."""

import re

import pytest
from flask import g

from kiosk.platform.extensions import db
from kiosk.models import Card, Participant, Role


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def fresh_g():
    """The `app` fixture keeps one app context for the whole test, so `g` outlives each request;
    Flask-WTF caches the token in g, which would hide that the login starts a new session."""
    g.pop("csrf_token", None)


def login(client, make_user):
    user = make_user(Role.COORDINATOR)
    fresh_g()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": user.username, "password": "motdepasse-test", "csrf_token": token})
    assert response.status_code in (302, 303)


def page_token(client, url) -> str:
    fresh_g()
    html = client.get(url).get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def test_replace_card_needs_the_token(client, make_user, make_participant):
    """Is a card replacement without the CSRF token refused (400), the card still working, and accepted with it?"""
    participant, _code = make_participant()
    login(client, make_user)
    url = f"/participants/{participant.id}/card/replace"
    assert client.post(url).status_code == 400
    assert db.session.scalar(db.select(db.func.count(Card.id)).where(Card.revoked_at.is_not(None))) == 0
    assert client.post(url, data={"csrf_token": page_token(client, url)}).status_code == 303
    assert db.session.scalar(db.select(db.func.count(Card.id)).where(Card.revoked_at.is_not(None))) == 1


def test_add_needs_the_token(client, make_user):
    """Is the add form refused without its token, nothing stored?"""
    login(client, make_user)
    response = client.post("/participants/new", data={"first_name": "Awa", "last_name": "Traoré", "household_size": "1",
                                                       "entered_on": "2026-10-01"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0
