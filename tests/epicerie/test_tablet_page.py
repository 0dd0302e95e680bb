"""The tablet page: who serves first, then the screen; the CSRF token guards every JSON write."""

import json
import re
import uuid

import pytest
from flask import g

from kiosk.platform.extensions import db
from kiosk.models import Basket, DeviceKind, Role
from tests.epicerie.conftest import basket_body, identify, post_basket


def page_config(html: str) -> dict:
    return json.loads(re.search(r"data-config='([^']+)'", html).group(1))


def test_a_tablet_asks_who_serves_first(make_device, make_user):
    """Does an enrolled tablet first list the active volunteers, then show the screen once one is picked?"""
    tablet = make_device(DeviceKind.TABLET)
    monique = make_user(Role.VOLUNTEER, display_name="Monique")
    gone = make_user(Role.VOLUNTEER, display_name="Ancien bénévole")
    gone.active = False
    db.session.commit()
    page = tablet.get("/tablet").text
    assert "Qui sert" in page and "Monique" in page and "Ancien bénévole" not in page
    assert identify(tablet, monique).status_code == 303
    screen = tablet.get("/tablet").text
    assert 'id="basket-confirm"' in screen and "Monique" in screen
    assert page_config(screen)["serverId"] == monique.id
    tablet.post("/tablet/fin-de-service")
    assert "Qui sert" in tablet.get("/tablet").text


def test_a_tablet_cannot_pick_someone_who_does_not_serve(make_device, make_user):
    """Is picking a referent, an unknown id or nothing refused, the tablet still asking?"""
    tablet = make_device(DeviceKind.TABLET)
    referent = make_user(Role.REFERENT)
    for data in ({"server_id": referent.id, "pin": "2580"}, {"server_id": 999, "pin": "2580"},
                 {"server_id": "abc"}, {}):
        tablet.post("/tablet/service", data=data)
        assert "Qui sert" in tablet.get("/tablet").text, data


def test_a_logged_in_volunteer_serves_directly(volunteer_client, categories):
    """Does a logged-in volunteer go straight to the screen, with the rate and the tiles?"""
    page = volunteer_client.get("/tablet")
    assert page.status_code == 200
    config = page_config(page.text)
    assert config["contributionPercent"] == 10
    assert config["urls"]["baskets"] == "/api/baskets"
    assert page.text.count('class="tile"') == 6
    assert config["messages"]["saved"]


def test_the_tablet_page_has_no_inline_script_or_style(volunteer_client, categories):
    """Does the page respect the coming CSP: no inline script, no style or onclick attribute?"""
    html = volunteer_client.get("/tablet").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and "onclick" not in html


def forget_request_globals():
    """The `app` fixture keeps one app context for the whole test, so `g` (the device, the CSRF
    token) outlives each request; a real server starts every request afresh."""
    for name in list(g):
        g.pop(name)


def test_kiosk_and_referent_cannot_open_the_tablet(make_device, client, auth):
    """Is the tablet screen refused to a kiosk device and a referent, and sends strangers to log in?"""
    assert client.get("/tablet").status_code == 302
    forget_request_globals()
    assert make_device(DeviceKind.KIOSK).get("/tablet").status_code == 403
    forget_request_globals()
    auth.login(Role.REFERENT)
    assert client.get("/tablet").status_code == 403


def test_english_page(volunteer_client, categories):
    """Does the tablet speak English when asked?"""
    volunteer_client.post("/langue/en", data={"next": "/tablet"})
    page = volunteer_client.get("/tablet").text
    assert '<html lang="en">' in page


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_json_writes_need_the_token(self, client, make_user, household):
        """Is a basket without the X-CSRFToken header refused (400), and accepted with it?"""
        volunteer = make_user(Role.VOLUNTEER)
        login_page = client.get("/login").text
        token = re.search(r'name="csrf-token" content="([^"]+)"', login_page).group(1)
        client.post("/login", data={"username": volunteer.username, "password": "motdepasse-test",
                                    "csrf_token": token})
        forget_request_globals()  # the session changed at login; so does its token
        token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/tablet").text).group(1)
        refused = post_basket(client, basket_body(household.id))
        assert refused.status_code == 400
        assert db.session.scalar(db.select(db.func.count(Basket.id))) == 0
        accepted = post_basket(client, basket_body(household.id), headers={"X-CSRFToken": token})
        assert accepted.status_code == 201

    def test_no_credentials_is_401_before_csrf(self, client, household):
        """Without credentials, is the answer 401 even though the CSRF token is missing too?"""
        response = client.post("/api/baskets", json=basket_body(household.id),
                               headers={"Idempotency-Key": str(uuid.uuid4())})
        assert response.status_code == 401
