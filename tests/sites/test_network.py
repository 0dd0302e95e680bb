"""Issue 20: a network user reads every site's figures (summed, or one site's) and no one's name."""

from sqlalchemy import select

from kiosk.checkin.services import check_in_by_host
from kiosk.models import Role
from kiosk.people.services import add_participant
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.programme.services import find_or_create_activity, plan_session
from kiosk.sites.scope import every_site, scoped_to
from kiosk.sites.services import add_site
from tests.conftest import TEST_PASSWORD
from tests.sites.test_separation import FIRST, LAST, site_b, url_for_rule  # noqa: F401

NAMES = (FIRST, LAST, "Amelie", "Asite")


def login(client, username):
    response = client.post("/login", data={"username": username, "password": TEST_PASSWORD})
    assert response.status_code in (302, 303)


def test_api_days_counts_one_site_for_its_coordinator_and_every_site_for_the_network(app, client, make_user):
    other = add_site("Centre Nord")
    db.session.commit()
    make_user(Role.COORDINATOR, username="coord-a")
    with scoped_to(other.id):
        from kiosk.auth.services import add_user
        add_user("coord-n", Role.COORDINATOR, TEST_PASSWORD, site_ids=[other.id])
    from kiosk.auth.services import add_user
    add_user("reseau", Role.NETWORK, TEST_PASSWORD)
    db.session.commit()
    with scoped_to(1):
        person = add_participant("Amelie", "Asite")
        plan_session(local_day(), find_or_create_activity("Atelier"), None)
        check_in_by_host(person.id, None)
    with scoped_to(other.id):
        for first in ("Bea", "Cleo"):
            person = add_participant(first, "Nord")
            if first == "Bea":
                plan_session(local_day(), find_or_create_activity("Atelier"), None)
            check_in_by_host(person.id, None)
    db.session.commit()
    day = local_day().isoformat()
    counts = {}
    for username in ("coord-a", "coord-n", "reseau"):
        login(client, username)
        counts[username] = client.get(f"/api/days/{day}").get_json()["checkins"]
        client.post("/logout")
    assert counts == {"coord-a": 1, "coord-n": 2, "reseau": 3}


def test_a_network_user_sees_no_name_on_any_page_and_opens_only_figures(app, client, site_b, make_participant):
    from kiosk.auth.services import add_user

    make_participant("Amelie", "Asite")
    with every_site():
        add_user("reseau", Role.NETWORK, TEST_PASSWORD)
    db.session.commit()
    login(client, "reseau")
    opened = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = url_for_rule(rule, site_b, False) if rule.arguments else rule.rule
        if url is None:
            continue
        for query in ("", f"?site={site_b['site_id']}", "?site=1"):
            response = client.get(url + query)
            if response.mimetype.startswith(("text/", "application/json")):
                body = response.get_data(as_text=True)
                for name in NAMES:
                    assert name not in body, (url + query, name)
            if response.status_code == 200:
                opened.add(rule.endpoint)
    assert {"sites.network", "dashboard.api_day", "reports.report", "reports.report_file"} <= opened
    assert "people.index" not in opened and "dashboard.today" not in opened
    page = client.get("/reseau").get_data(as_text=True)
    assert "Centre B" in page


def test_a_referent_of_two_sites_sees_their_own_people_on_each(app, client):
    from kiosk.auth.services import add_user

    north, south = add_site("Centre Nord"), add_site("Centre Sud")
    db.session.commit()
    with every_site():
        add_user("ref", Role.REFERENT, TEST_PASSWORD, "Mme Briand", site_ids=[north.id, south.id])
    for site, first in ((north.id, "Norbert"), (south.id, "Suzon"), (1, "Unique")):
        with scoped_to(site):
            add_participant(first, "Orient", referrer_name="Mme Briand")
    with scoped_to(north.id):
        add_participant("Autre", "Personne", referrer_name="M. Autre")
    db.session.commit()
    login(client, "ref")
    page = client.get("/referent").get_data(as_text=True)
    assert "Norbert" in page and "Suzon" in page
    assert "Unique" not in page and "Autre" not in page
