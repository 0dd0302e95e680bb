"""Accounts and devices, from the coordinator's screen."""

import re

from kiosk.platform.extensions import db
from kiosk.models import Device, Role, User


def test_only_the_coordinator_sees_accounts(client, auth):
    """Does a volunteer get 403 on the accounts screen?"""
    auth.login(Role.VOLUNTEER)
    assert client.get("/comptes/").status_code == 403


def test_create_a_volunteer_then_disable_them(app, client, auth):
    """Can the coordinator add a volunteer who then logs in, and disable them so their session ends?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/comptes/utilisateurs", data={
        "user-username": "monique", "user-display_name": "Monique", "user-role": "volunteer",
        "user-password": "un-bon-mot-de-passe",
    })
    assert response.status_code == 303
    monique = db.session.scalar(db.select(User).where(User.username == "monique"))
    volunteer = app.test_client()
    assert volunteer.post("/login", data={"username": "monique", "password": "un-bon-mot-de-passe"}).status_code == 303
    assert volunteer.get("/tablet").status_code == 200
    assert client.post(f"/comptes/utilisateurs/{monique.id}/desactiver").status_code == 303
    assert volunteer.get("/tablet").status_code == 302


def test_bad_account_is_refused_with_a_message(client, auth):
    """Is a username with a space refused with a French message, and nothing stored?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/comptes/utilisateurs", data={
        "user-username": "jean pierre", "user-role": "volunteer", "user-password": "un-bon-mot-de-passe",
    })
    assert response.status_code == 422
    assert "Sans espace" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.username == "jean pierre")) is None


def test_referent_needs_a_referrer(client, auth):
    """Is a referent without a referrer refused?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/comptes/utilisateurs", data={
        "user-username": "as1", "user-role": "referent", "user-password": "un-bon-mot-de-passe",
    })
    assert response.status_code == 422
    assert db.session.scalar(db.select(User).where(User.username == "as1")) is None


def test_enrol_then_revoke_a_tablet(app, client, auth):
    """Does a new device's link enrol a tablet once, and does revoking it shut it out?"""
    auth.login(Role.COORDINATOR)
    page = client.post("/comptes/appareils", data={"device-name": "Tablette 2", "device-kind": "tablet"})
    assert page.status_code == 200
    link = re.search(r'<code class="enrol-link">[^<]*?(/enrol/[^<]+)</code>', page.get_data(as_text=True)).group(1)
    tablet = app.test_client()
    assert tablet.get(link).headers["Location"] == "/tablet"
    assert tablet.get("/tablet").status_code == 200
    device = db.session.scalar(db.select(Device).where(Device.name == "Tablette 2"))
    assert client.post(f"/comptes/appareils/{device.id}/revoquer").status_code == 303
    assert tablet.get("/tablet").status_code == 302


def test_coordinator_cannot_disable_themselves(client, auth):
    """Is disabling one's own account refused (no lock-out by mistake)?"""
    me = auth.login(Role.COORDINATOR)
    assert client.post(f"/comptes/utilisateurs/{me.id}/desactiver").status_code == 400
    assert client.get("/comptes/").status_code == 200


def test_referent_spelt_differently_still_sees_their_people(app, client, make_participant):
    """Does a referent created as "mme briand" see the participants referred by "Mme Briand"?"""
    from kiosk.auth.services import add_user

    make_participant("Fatima", "Benali", referrer_name="Mme Briand")
    add_user("refb", Role.REFERENT, "longenough1", referrer_name="mme  briand")
    db.session.commit()
    client.post("/login", data={"username": "refb", "password": "longenough1"})
    assert "Benali" in client.get("/referent").get_data(as_text=True)
