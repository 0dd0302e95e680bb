"""The day page's lists a newcomer expects: what each basket held, households with access who took none."""

import uuid
from datetime import timedelta

from kiosk.models import DeviceKind, Role
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day


def give_basket(tablet, participant_id, lines):
    """A basket through the real API, as the tablet sends it."""
    response = tablet.post("/api/baskets", headers={"Idempotency-Key": str(uuid.uuid4())}, json={
        "participant_id": participant_id, "paid_eur": "0.00",
        "lines": [{"category": code, "quantity": n, "weight_kg": 1, "value_eur": "2.00"} for code, n in lines]})
    assert response.status_code == 201, response.get_json()


def test_day_page_lists_basket_contents_and_households_without_a_basket(client, auth, make_participant, make_device):
    """Does the day page say what each basket held, and list (with a link and phone) the households whose
    access was open that day and who took no basket, leaving out those served and those without access?"""
    until = local_day() + timedelta(days=30)
    served, _c = make_participant("Fatima", "Benali", epicerie_until=until)
    missing, _c = make_participant("Loïc", "Moreau", epicerie_until=until, phone="0612345678")
    make_participant("Paul", "Martin")  # no access: not expected at the épicerie
    tablet = make_device(DeviceKind.TABLET)
    labels = {c["code"]: c["label"] for c in tablet.get("/api/categories").get_json()}
    codes = list(labels)[:2]
    give_basket(tablet, served.id, [(codes[0], 2), (codes[1], 1)])
    auth.login(Role.COORDINATOR)
    html = client.get("/dashboard").get_data(as_text=True)
    assert f"2 × {labels[codes[0]]}, 1 × {labels[codes[1]]}" in html
    section = html[html.index("sans panier ce jour-là"):html.index("team-title")]
    assert "Loïc Moreau" in section and "06 12 34 56 78" in section and f"/participants/{missing.id}" in section
    assert "Fatima" not in section and "Paul" not in section
    assert 'data-print hidden' in html


def test_a_future_day_has_no_list_of_households_without_a_basket(client, auth, make_participant):
    """Is the "no basket" list left out for a day still to come (nobody could have come yet)?"""
    make_participant("Loïc", "Moreau", epicerie_until=local_day() + timedelta(days=30))
    auth.login(Role.COORDINATOR)
    html = client.get(f"/dashboard?date={(local_day() + timedelta(days=3)).isoformat()}").get_data(as_text=True)
    assert "sans panier ce jour-là" not in html
    db.session.rollback()
