"""`kiosk serve --https`: the production server on the box's own certificate, where cameras are allowed."""


import pytest
import requests

from kiosk.platform.timezone import local_day
from tests.browser.conftest import LiveServer, scanner_types, set_weekly_day
from tests.checkin.live_setup import add_person, open_kiosk

pytestmark = pytest.mark.browser


@pytest.fixture
def https_server(tmp_path, database_url):
    server = LiveServer(tmp_path, database_url, extra_args=["--https"], scheme="https")
    with server.app.app_context():
        weekday = local_day().weekday()
    set_weekly_day(server, weekday)  # today is a workshop day: the scan counts
    yield server
    server.stop()


def test_https_server_is_trusted_through_the_box_authority(https_server, tmp_path):
    """Does gunicorn serve HTTPS with a certificate a client trusting the box's authority accepts for 127.0.0.1?"""
    ca = tmp_path / "instance" / "tls" / "ca.crt"
    assert ca.is_file()
    response = requests.get(https_server.url + "/healthz", verify=str(ca), timeout=10)
    assert response.json() == {"status": "ok"}
    download = requests.get(https_server.url + "/ca.crt", verify=str(ca), timeout=10)
    assert download.content == ca.read_bytes()
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(https_server.url + "/healthz", timeout=10)  # not trusted without the authority


def test_kiosk_over_https_is_a_secure_context(https_server, browser):
    """Over the box's HTTPS, is the kiosk page a secure context (so tablets may open their camera) and does a scan work?"""
    _id, code = add_person(https_server, "Fatima")
    context = browser.new_context(ignore_https_errors=True, locale="fr-FR")
    page = open_kiosk(context, https_server)
    assert page.evaluate("window.isSecureContext")
    scanner_types(page, code)
    page.wait_for_selector('#kiosk[data-state="welcome"]')
    context.close()
