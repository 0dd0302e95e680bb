"""CSRF kept on: enforced on forms and JSON, and a failed form keeps what was typed."""

import re

import pytest

from kiosk.models import Role
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def token_from(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def test_login_without_token_shows_the_form_again_with_the_username(client, make_user):
    """Does a login POST without a CSRF token keep the username typed and say why, never a 500?"""
    user = make_user(Role.COORDINATOR)
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'value="{user.username}"' in html
    assert "Le formulaire a expiré" in html
    assert client.get("/dashboard").status_code == 302  # not logged in


def test_login_with_token_works(client, make_user):
    """Does the same login with the page's token succeed?"""
    user = make_user(Role.COORDINATOR)
    token = token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": user.username, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303


def test_logout_without_token_is_refused(client, make_user):
    """Does a cross-site logout POST (no token) leave the session alone?"""
    user = make_user(Role.COORDINATOR)
    token = token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": user.username, "password": TEST_PASSWORD, "csrf_token": token})
    assert client.post("/logout").status_code == 400
    assert client.get("/dashboard").status_code == 200


def test_json_post_needs_the_header(client, make_user):
    """Is a JSON POST from a logged-in coordinator refused (400 JSON) without X-CSRFToken?"""
    user = make_user(Role.COORDINATOR)
    token = token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": user.username, "password": TEST_PASSWORD, "csrf_token": token})
    response = client.post("/api/checkins", json={"code": "X"})
    assert response.status_code == 400
    assert "error" in response.get_json()
