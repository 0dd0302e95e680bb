"""The host's desk (/accueil) for a forgotten card, and who may open the kiosk screen."""

import html
import re

import pytest
from flask import g

from kiosk.platform.extensions import db
from kiosk.models import AuditEvent, CheckIn, CheckInSource, DeviceKind, Role
from tests.conftest import TEST_PASSWORD


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_volunteer_finds_by_name_and_marks_present(client, auth, make_participant):
    """Does a volunteer find someone by part of the name, without accents, and check them in as HOST, recorded as theirs?"""
    participant, _code = make_participant("Maëlle", "Le Goff")
    make_participant("Fatima", "Benali")
    volunteer = auth.login(Role.VOLUNTEER)
    page = text_of(client.get("/accueil?q=maelle"))
    assert "Maëlle Le Goff" in page
    assert "Fatima" not in page
    response = client.post(f"/accueil/{participant.id}/present", data={"q": "maelle"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/accueil?q=maelle")
    checkin = db.session.scalars(db.select(CheckIn)).one()
    assert checkin.participant_id == participant.id
    assert checkin.source == CheckInSource.HOST
    assert checkin.recorded_by_id == volunteer.id
    assert checkin.card_id is None
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.entity == "check_in")).one()
    assert (event.action, event.entity_id, event.user_id) == ("checkin.host", checkin.id, volunteer.id)
    after = text_of(client.get("/accueil?q=maelle"))
    assert "présence enregistrée à" in after
    assert "Arrivée à" in after
    assert "Personnes enregistrées aujourd'hui : 1" in after


def test_twice_is_once(client, auth, make_participant):
    """Does pressing "Présent" twice (or after a card scan) keep one check-in and say it was already done?"""
    participant, code = make_participant("Fatima")
    auth.login(Role.COORDINATOR)
    assert client.post("/api/checkins", json={"code": code}).status_code == 201
    response = client.post(f"/accueil/{participant.id}/present", follow_redirects=True)
    assert "présence déjà enregistrée aujourd'hui" in text_of(response)
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 1
    assert db.session.scalars(db.select(CheckIn)).one().source == CheckInSource.CARD


def test_time_is_said_the_french_way(client, auth, make_participant):
    """Is the arrival time written « 14 h 02 » (the centre's zone), not 14:02?"""
    participant, _code = make_participant("Fatima")
    auth.login(Role.VOLUNTEER)
    page = client.post(f"/accueil/{participant.id}/present", follow_redirects=True).get_data(as_text=True)
    found = re.search(r"présence enregistrée à (\d{1,2}) h (\d{2})\.", page)
    assert found, page
    assert not found.group(1).startswith("0") or found.group(1) == "0"


def test_unknown_participant_404(client, auth):
    """Is a "Présent" for someone who does not exist a 404, storing nothing?"""
    auth.login(Role.VOLUNTEER)
    assert client.post("/accueil/9999/present").status_code == 404
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 0


def test_search_nothing_found_and_too_long(client, auth, make_participant):
    """Does a search with no match say so plainly, and an over-long one not break the page?"""
    make_participant("Fatima")
    auth.login(Role.VOLUNTEER)
    page = client.get("/accueil?q=zzzz").get_data(as_text=True)
    assert "Personne à ce nom" in page
    assert client.get("/accueil?q=" + "a" * 500).status_code == 200


@pytest.mark.parametrize("who", ["kiosk", "tablet", "referent"])
def test_host_desk_is_for_volunteers_and_coordinators(make_device, client, auth, make_participant, who):
    """Are kiosks, tablets and referents kept away from the host's desk (403)?"""
    participant, _code = make_participant("Fatima")
    if who == "referent":
        auth.login(Role.REFERENT)
        browser = client
    else:
        browser = make_device(DeviceKind(who))
    assert browser.get("/accueil").status_code == 403
    assert browser.post(f"/accueil/{participant.id}/present").status_code == 403


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_present_button_needs_its_token(self, client, make_user, make_participant):
        """With CSRF on, is a "Présent" without the form's token refused, and accepted with it?"""
        participant, _code = make_participant("Fatima")
        user = make_user(Role.VOLUNTEER)
        login_page = client.get("/login").get_data(as_text=True)
        token = login_page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.post("/login", data={"username": user.username, "password": TEST_PASSWORD, "csrf_token": token})
        # The test app context outlives requests, and Flask-WTF caches the pre-login token in g.
        g.pop("csrf_token", None)
        assert client.post(f"/accueil/{participant.id}/present").status_code == 400
        page = client.get("/accueil?q=fatima").get_data(as_text=True)
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        response = client.post(f"/accueil/{participant.id}/present", data={"csrf_token": token})
        assert response.status_code == 303
        assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 1


@pytest.mark.parametrize(
    "who, status",
    [("kiosk", 200), ("coordinator", 200), ("volunteer", 403), ("tablet", 403)],
)
def test_kiosk_screen_access(make_device, client, auth, who, status):
    """Is the kiosk screen open to kiosk devices and coordinators only?"""
    if who in ("coordinator", "volunteer"):
        auth.login(Role(who))
        browser = client
    else:
        browser = make_device(DeviceKind(who))
    response = browser.get("/kiosk")
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert 'data-api="/api/checkins"' in page
        assert "J'ai oublié ma carte" in html.unescape(page)
        assert "<script>" not in page and "onclick" not in page and 'style="' not in page


def test_kiosk_assets_are_served_locally(client):
    """Are the decoder, its .wasm (as application/wasm) and the sounds served by the box itself?"""
    def fetch(path):
        response = client.get(path)
        response.get_data()  # read it all, then close: static files are streamed from an open file
        response.close()
        return response

    wasm = fetch("/static/vendor/zxing-wasm/zxing_reader.wasm")
    assert wasm.status_code == 200 and wasm.mimetype == "application/wasm"
    assert wasm.data[:4] == b"\0asm"
    assert fetch("/static/vendor/zxing-wasm/zxing-reader.iife.js").status_code == 200
    assert fetch("/static/audio/checkin-ok.wav").data[:4] == b"RIFF"
    assert fetch("/static/js/qr-scanner.js").status_code == 200
