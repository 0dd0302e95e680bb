"""Issue 20: pages reached without a login or a device say something true on a server of several
centres: the privacy notice lists each centre (name, address, contact, retention), never anyone's data."""

from kiosk.auth.services import add_user
from kiosk.models import Role
from kiosk.people.services import add_participant
from kiosk.platform.extensions import db
from kiosk.settings import set_setting
from kiosk.sites.scope import scoped_to
from kiosk.sites.services import add_site
from tests.conftest import TEST_PASSWORD


def two_centres():
    set_setting("centre_name", "Centre des Lilas")
    set_setting("centre_address", "1 rue des Lilas\n75020 Paris")
    set_setting("privacy_contact", "dpo@lilas.example")
    add_participant("Zoltana", "Qwertyson")
    site_id = add_site("Centre B").id
    with scoped_to(site_id):
        set_setting("centre_name", "Maison des Tilleuls")
        set_setting("centre_address", "2 place des Tilleuls\n69001 Lyon")
        set_setting("privacy_contact", "dpo@tilleuls.example")
        set_setting("retention_years", "5")
        add_participant("Bertrand", "Xanthos")
        add_user("coord-b", Role.COORDINATOR, TEST_PASSWORD, site_ids=[site_id])
        db.session.flush()
    db.session.commit()
    return site_id


def test_the_notice_without_login_lists_each_centre_and_no_one(app, client):
    """Does a visitor no site knows read each centre's name, address, contact and period, and no name of a person?"""
    two_centres()
    page = client.get("/confidentialite")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for text in ("Centre des Lilas", "1 rue des Lilas, 75020 Paris", "dpo@lilas.example", "Maison des Tilleuls",
                 "2 place des Tilleuls, 69001 Lyon", "dpo@tilleuls.example", "Conservation : 2 ans",
                 "Conservation : 5 ans", "Réseau de 2 centres"):
        assert text in body, text
    assert "Centre social" not in body
    for name in ("Zoltana", "Qwertyson", "Bertrand", "Xanthos"):
        assert name not in body
    assert client.get("/login").status_code == 200  # the login page names no centre: nothing to get wrong


def test_a_centre_own_people_read_their_own_centre_notice(app, client):
    """Does site B's coordinator read B's notice alone (its name, contact and five years)?"""
    two_centres()
    client.post("/login", data={"username": "coord-b", "password": TEST_PASSWORD})
    body = client.get("/confidentialite").get_data(as_text=True)
    assert "Maison des Tilleuls" in body and "dpo@tilleuls.example" in body and "Après 5 ans" in body
    assert "Centre des Lilas" not in body and "dpo@lilas.example" not in body


def test_a_box_alone_keeps_its_notice(app, client):
    """Does a box alone's notice read as before: its own name, address and period, no list?"""
    set_setting("centre_name", "Centre des Lilas")
    set_setting("centre_address", "1 rue des Lilas\n75020 Paris")
    db.session.commit()
    body = client.get("/confidentialite").get_data(as_text=True)
    assert "Centre des Lilas" in body and "1 rue des Lilas, 75020 Paris" in body and "Après 2 ans" in body
    assert "Chaque centre du réseau" not in body and "Réseau de" not in body
