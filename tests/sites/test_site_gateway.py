"""Issue 20: KIOSK_SMS_URL is the gateway of a box alone; with several centres, each one's own wins."""

import pytest

from kiosk.box.status import gateway
from kiosk.messages.gateways import gateway_url
from kiosk.platform.extensions import db
from kiosk.settings import set_setting
from kiosk.sites.scope import scoped_to
from kiosk.sites.services import add_site

ENVIRONMENT = "http://sms:pw@10.0.0.9:8080"


@pytest.fixture
def app_config():
    return {"SMS_URL": ENVIRONMENT}


def test_on_a_box_alone_the_environment_wins_over_the_page(app):
    """Does a box alone keep sending through KIOSK_SMS_URL, whatever its settings page says?"""
    assert gateway_url() == ENVIRONMENT
    set_setting("sms_url", "http://sms:pw@192.168.1.20:8080")
    assert gateway_url() == ENVIRONMENT and gateway() == "10.0.0.9:8080"


def test_with_several_centres_each_centre_own_gateway_wins(app):
    """With two centres, does each send through its own phone, the environment only for one that set none?"""
    set_setting("sms_url", "http://sms:pw@192.168.1.20:8080")
    site_b = add_site("Centre B").id
    site_c = add_site("Centre C").id
    with scoped_to(site_b):
        set_setting("sms_url", "gammu:///var/spool/gammu-b")
    db.session.commit()
    with scoped_to(1):
        assert gateway_url() == "http://sms:pw@192.168.1.20:8080" and gateway() == "192.168.1.20:8080"
    with scoped_to(site_b):
        assert gateway_url() == "gammu:///var/spool/gammu-b"
    with scoped_to(site_c):
        assert gateway_url() == ENVIRONMENT
