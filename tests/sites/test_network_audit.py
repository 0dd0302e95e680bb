"""Issue 20: what a network user does is recorded where it belongs: the centre asked (?site=ID), or
the network itself (no site), which the network's journal shows and no centre's coordinator sees."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from kiosk.audit import AuditAction, record_audit
from kiosk.auth.services import add_user
from kiosk.models import AuditEvent, Role
from kiosk.platform.extensions import db
from kiosk.sites.scope import every_site, scoped_to
from kiosk.sites.services import add_site
from tests.conftest import TEST_PASSWORD


def login(client, username):
    response = client.post("/login", data={"username": username, "password": TEST_PASSWORD})
    assert response.status_code in (302, 303)


def events(entity):
    with every_site():
        return [(e.site_id, e.details) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id))]


def test_network_reports_are_recorded_for_the_network_or_the_centre_asked(app, client):
    """Is the summed report the network's entry, B's report B's, and does each journal show only its own?"""
    add_user("coord-a", Role.COORDINATOR, TEST_PASSWORD)
    site_id = add_site("Centre B").id
    with scoped_to(site_id):
        add_user("coord-b", Role.COORDINATOR, TEST_PASSWORD, site_ids=[site_id])
    add_user("reseau", Role.NETWORK, TEST_PASSWORD)
    db.session.commit()
    login(client, "reseau")
    assert client.get("/dashboard/bilan.xlsx?annee=2026").status_code == 200
    assert client.get(f"/dashboard/bilan.xlsx?annee=2026&site={site_id}").status_code == 200
    assert events("year_report") == [(None, {"year": 2026, "format": "xlsx"}),
                                     (site_id, {"year": 2026, "format": "xlsx"})]
    assert events("site") == [(None, None)]  # the centre added on a server that had one: the network's
    journal = client.get("/confidentialite/journal").get_data(as_text=True)
    assert journal.count("bilan de l&#39;année") == 1 and "centre du réseau" in journal
    client.post("/logout")
    login(client, "coord-a")
    journal = client.get("/confidentialite/journal").get_data(as_text=True)
    assert "bilan de l&#39;année" not in journal and "centre du réseau" not in journal
    client.post("/logout")
    login(client, "coord-b")
    journal = client.get("/confidentialite/journal").get_data(as_text=True)
    assert journal.count("bilan de l&#39;année") == 1  # the network looked at B's report: B sees it


def test_a_box_alone_records_everything_in_its_site(app):
    """On a box alone, does an event made with nothing said (a command) still belong to site 1?"""
    record_audit(AuditAction.UPDATE, "setting", None)
    db.session.commit()
    assert events("setting") == [(1, None)]


def test_the_audit_migration_keeps_the_trail(app):
    """Do audit rows survive the upgrade, and a network entry go to site 1 on the way down?"""
    record_audit(AuditAction.UPDATE, "setting", None)
    db.session.commit()
    db.session.remove()
    downgrade(revision="20c_site_settings")
    upgrade()
    db.session.execute(text("UPDATE audit_event SET site_id = NULL"))
    db.session.commit()
    db.session.remove()
    downgrade(revision="20c_site_settings")
    assert db.session.execute(text("SELECT site_id, entity FROM audit_event")).all() == [(1, "setting")]
    db.session.remove()
    upgrade()
