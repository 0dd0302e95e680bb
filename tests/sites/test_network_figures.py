"""Issue 20, point 5: the network's yearly report from the baskets' stored figures, each site's own."""

from datetime import date, datetime, timezone

from kiosk.auth.services import add_user
from kiosk.epicerie.month_figures import month_differences
from kiosk.models import Basket, BasketLine, Category, CheckIn, CheckInSource, Role, WorkshopDay
from kiosk.people.services import add_participant
from kiosk.platform.extensions import db
from kiosk.programme.services import find_or_create_activity
from kiosk.reports.figures import year_report
from kiosk.sites.scope import every_site, scoped_to
from kiosk.sites.services import add_site
from tests.conftest import TEST_PASSWORD

DAY = date(2025, 3, 6)


def a_centre(site_id: int, grams: int) -> None:
    """One session with one check-in and one basket of a 'frais' line of `grams` (and one cancelled)."""
    with scoped_to(site_id):
        fresh = Category(code="frais", label="Frais", position=1)
        person = add_participant("Awa", "Traoré")
        session = WorkshopDay(day=DAY, activity=find_or_create_activity("Atelier cuisine"), planned=True)
        db.session.add(CheckIn(participant=person, workshop_day=session, source=CheckInSource.HOST,
                               checked_in_at=datetime(2025, 3, 6, 13, tzinfo=timezone.utc)))
        for key, cancelled in (("kept", None), ("gone", datetime(2025, 3, 6, 15, tzinfo=timezone.utc))):
            db.session.add(Basket(participant=person, served_on=DAY, idempotency_key=f"{site_id}-{key}",
                                  request_digest="t", weight_g=grams, value_cents=100, cancelled_at=cancelled,
                                  lines=[BasketLine(category=fresh, quantity=1, weight_g=grams, value_cents=100)]))
        db.session.flush()


def test_the_networks_categories_are_each_sites_summed(app, client):
    """Are the network's kilos by category the two centres' stored figures added, each centre's its
    own, all equal to a recount; and does the summed page leave the list of sessions to each centre's?"""
    b = add_site("Centre B").id
    a_centre(1, 1000)
    a_centre(b, 250)
    add_user("reseau", Role.NETWORK, TEST_PASSWORD)
    db.session.commit()
    with every_site():
        assert [(r.code, r.weight_g) for r in year_report(2025).current.categories] == [("frais", 1250)]
        assert month_differences() == []
    with scoped_to(b):
        assert [(r.code, r.weight_g) for r in year_report(2025).current.categories] == [("frais", 250)]

    assert client.post("/login", data={"username": "reseau", "password": TEST_PASSWORD}).status_code in (302, 303)
    summed = client.get("/dashboard/bilan?annee=2025").get_data(as_text=True)
    assert "Par atelier" not in summed and "le bilan de chaque centre" in summed
    one = client.get(f"/dashboard/bilan?annee=2025&site={b}").get_data(as_text=True)
    assert "Par atelier" in one
