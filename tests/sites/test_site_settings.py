"""Issue 20: each centre of a network has its own settings; a box alone keeps its own as before."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from kiosk.auth.services import add_user
from kiosk.models import Role, ServerSetting, Setting
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.settings import get_setting, set_setting
from kiosk.sites.scope import every_site, scoped_to
from kiosk.sites.services import add_site
from tests.conftest import TEST_PASSWORD

BEFORE = "20b_sites_bench"  # the revision before settings belonged to a site


def login(client, username):
    response = client.post("/login", data={"username": username, "password": TEST_PASSWORD})
    assert response.status_code in (302, 303)


def test_the_upgrade_gives_the_box_settings_to_its_site_and_keeps_the_server_values_apart(app):
    """Does a box's setting row survive the upgrade as site 1's, and its lock row and demo mark as the server's?"""
    db.session.remove()
    downgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM setting"))
        for key, value in (("centre_name", "Centre des Lilas"), ("retention_years", "3"),
                           ("retention_last_run", "2026-11-30T02:00:00+00:00"), ("demo_loaded", "1")):
            connection.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"), {"k": key, "v": value})
    upgrade()
    db.session.remove()
    rows = db.session.execute(text("SELECT site_id, key, value FROM setting ORDER BY key")).all()
    assert [tuple(row) for row in rows] == [(1, "centre_name", "Centre des Lilas"), (1, "retention_years", "3")]
    assert db.session.get(ServerSetting, "retention_last_run").value == "2026-11-30T02:00:00+00:00"
    assert db.session.get(ServerSetting, "demo_loaded").value == "1"
    assert get_setting("centre_name") == "Centre des Lilas"  # a box alone: nothing else to say
    # and back down: the box's own rows again, keyed by key
    db.session.remove()
    downgrade(revision=BEFORE)
    rows = dict(db.session.execute(text("SELECT key, value FROM setting")).all())
    db.session.remove()
    assert rows["centre_name"] == "Centre des Lilas" and rows["retention_last_run"].startswith("2026-11-30")
    upgrade()


def test_each_site_reads_and_writes_its_own_settings(app):
    """Does a setting changed for site B leave site A's untouched, and each site read its own?"""
    set_setting("centre_name", "Centre A")
    set_setting("workshop_weekday", "1")
    site = add_site("Centre B")
    site_id = site.id
    with scoped_to(site_id):
        assert get_setting("centre_name") == "Centre B"  # a new site is named as it was added
        assert get_setting("workshop_weekday") == "3"  # the default, not A's Tuesday
        assert get_setting("stock_start") == local_day().isoformat()  # its stock counts from today
        set_setting("retention_years", "5")
        set_setting("centre_name", "Maison B")
    db.session.commit()
    db.session.expunge_all()
    assert get_setting("centre_name") == "Centre A" and get_setting("retention_years") == "2"
    assert get_setting("retention_years", site_id) == "5"
    with every_site():
        kept = {(row.site_id, row.key): row.value for row in db.session.scalars(db.select(Setting))}
    assert kept[(1, "centre_name")] == "Centre A" and kept[(site_id, "centre_name")] == "Maison B"


def test_a_coordinator_changes_their_own_centre_only(app, client):
    """Does site B's coordinator, saving the centre page, change B's name and address and not A's?"""
    set_setting("centre_name", "Centre A")
    site_id = add_site("Centre B").id
    with scoped_to(site_id):
        add_user("coord-b", Role.COORDINATOR, TEST_PASSWORD, site_ids=[site_id])
    add_user("coord-a", Role.COORDINATOR, TEST_PASSWORD)
    db.session.commit()
    login(client, "coord-b")
    page = client.get("/centre").get_data(as_text=True)
    assert 'value="Centre B"' in page and "Centre A" not in page
    response = client.post("/centre", data={"name": "Maison de quartier B", "address": "2 rue B\n75002 Paris",
                                            "privacy_contact": "dpo-b@example.org"})
    assert response.status_code == 303
    client.post("/logout")
    login(client, "coord-a")
    page = client.get("/centre").get_data(as_text=True)
    assert 'value="Centre A"' in page and "Maison de quartier B" not in page and "dpo-b@" not in page
    db.session.expunge_all()
    assert get_setting("centre_name", site_id) == "Maison de quartier B"
    assert get_setting("privacy_contact", site_id) == "dpo-b@example.org" and get_setting("privacy_contact") == ""
