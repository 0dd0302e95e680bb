"""Issue 20: a user or device of one site never reads or changes another site's data.

Site B's people and records are made through the services, then every route of the app (from its
url_map) is asked as a coordinator of site A with B's ids: each answers as it does for an id that
does not exist, and B's names appear nowhere."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.auth.services import add_user
from kiosk.cards.services import issue_card
from kiosk.centre.services import replace_logo
from kiosk.devices.services import add_device
from kiosk.models import (
    Basket, Category, CentreLogo, CheckIn, CheckInSource, Device, DeviceKind, Milestone, MilestoneKind, OutboxMessage,
    Channel, Participant, Product, Registration, Role, Step, StockArrival, StockArrivalLine, StockSource, User,
    WorkshopUse,
)
from kiosk.people.services import add_participant
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day, utcnow
from kiosk.programme.services import find_or_create_activity, plan_session
from kiosk.settings import get_setting, set_setting
from kiosk.sites.scope import every_site, scoped_to
from kiosk.sites.services import add_site
from tests.conftest import TEST_PASSWORD

FIRST, LAST = "Zoltana", "Qwertyson"
# Site B's own settings: its name, address, contact, signature and gateway are seen on none of A's pages.
B_SETTINGS = {"centre_name": "Maison Xylophonia", "centre_address": "9 allée Xylophonia", "privacy_contact":
              "dpo@xylophonia.example", "sms_signature": "Signé Xylophonia", "sms_url": "http://xylo:pw@10.9.9.9:8080",
              "retention_years": "7", "workshop_weekday": "5"}
UNKNOWN = 2_000_000


def _logo_upload() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (90, 30), "#123456").save(out, format="PNG")
    return out.getvalue()


B_LOGO_UPLOAD = _logo_upload()


@pytest.fixture
def site_b(app):
    """Site B with a person, a card, a session with a registration and a check-in, a basket, a
    product, a milestone, a letter, a workshop ingredient, a stock arrival, a login and a device: their ids."""
    site = add_site("Centre B")
    db.session.commit()
    day = local_day() + timedelta(days=3)
    with scoped_to(site.id):
        person = add_participant(FIRST, LAST, referrer_name="Mme Briand")
        _card, code = issue_card(person)
        activity = find_or_create_activity("Atelier B")
        session = plan_session(day, activity, 12)
        registration = Registration(workshop_day=session, participant_id=person.id)
        db.session.add(registration)
        db.session.flush()
        checkin = CheckIn(participant_id=person.id, workshop_day_id=session.id, checked_in_at=utcnow(),
                          source=CheckInSource.HOST)
        category = Category(code="b-sec", label="Sec B")
        db.session.add_all([checkin, category])
        db.session.flush()
        product = Product(category_id=category.id, name="Riz B", unit="kg", unit_value_cents=200)
        basket = Basket(participant_id=person.id, served_on=local_day(), idempotency_key="b-basket",
                        request_digest="x", value_cents=500)
        with every_site():
            kind = db.session.scalars(select(MilestoneKind)).first()
        milestone = Milestone(participant_id=person.id, kind_id=kind.id, happened_on=local_day())
        letter = OutboxMessage(participant_id=person.id, channel=Channel.LETTER, step=Step.LETTER,
                               dedup_key="b-letter", idempotency_key="b-letter", text="Bonjour")
        use = WorkshopUse(workshop_day_id=session.id, used_on=day, category_id=category.id,
                          ingredient="Riz B", weight_g=100, value_cents=50)
        arrival = StockArrival(source=StockSource.DON, received_on=local_day(), note="Arrivage B")
        arrival.lines.append(StockArrivalLine(category_id=category.id, weight_g=1000, value_cents=300))
        db.session.add_all([product, basket, milestone, letter, use, arrival])
        for key, value in B_SETTINGS.items():
            set_setting(key, value)
        replace_logo(B_LOGO_UPLOAD)  # B's own logo: served to none of A's requests
        user = add_user("coord-b", Role.COORDINATOR, TEST_PASSWORD, site_ids=[site.id])
        device, _path = add_device("Borne B", DeviceKind.KIOSK)
        db.session.flush()
        ids = {
            "participant_id": person.id, "message_id": letter.id, "category_id": category.id,
            "basket_id": basket.id, "product_id": product.id, "user_id": user.id, "device_id": device.id,
            "milestone_id": milestone.id, "registration_id": registration.id, "checkin_id": checkin.id,
            "activity_id": activity.id, "use_id": use.id, "arrival_id": arrival.id, "site_id": site.id, "code": code, "day": day,
            "logo": db.session.get(CentreLogo, site.id).png,
        }
    db.session.commit()
    return ids


def url_for_rule(rule, ids, unknown: bool) -> str | None:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if name == "day":
            values[name] = (ids["day"] + timedelta(days=400) if unknown else ids["day"]).isoformat()
        elif name in ids and type(converter).__name__.endswith("IntegerConverter") or name in ids and "Int" in type(converter).__name__:
            values[name] = UNKNOWN if unknown else ids[name]
        elif hasattr(converter, "items") or type(converter).__name__ == "AnyConverter":
            values[name] = sorted(converter.items)[0] if hasattr(converter, "items") else None
        else:
            return None  # a token, a path, a language code: no site's id in it
    try:
        return rule.build(values, append_unknown=False)[1]
    except Exception:
        return None


def ask(client, method, url):
    if method == "GET":
        return client.get(url)
    if url.startswith("/api/"):
        return client.open(url, method=method, json={})
    return client.open(url, method=method, data={})


def test_a_coordinator_of_site_a_finds_nothing_of_site_b_on_any_route(app, client, auth, site_b, make_participant):
    make_participant("Amelie", "Asite")  # site A has someone too
    auth.login(Role.COORDINATOR)
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith("logout"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.arguments:
                theirs, unknown = url_for_rule(rule, site_b, False), url_for_rule(rule, site_b, True)
                if theirs is None:
                    continue
                expected = ask(client, method, unknown).status_code
                response = ask(client, method, theirs)
                if "day" not in rule.arguments:
                    assert response.status_code == expected, (method, theirs, response.status_code, expected)
            else:
                if method != "GET":
                    continue
                response = client.get(rule.rule)
            body = response.get_data(as_text=True) if response.mimetype.startswith(("text/", "application/json")) else ""
            assert FIRST not in body and LAST not in body, (method, rule.rule)
            assert "Xylophonia" not in body and "10.9.9.9" not in body, (method, rule.rule)
            assert response.data != site_b["logo"], (method, rule.rule)
            checked += 1
    assert checked > 60
    # and nothing of B changed
    with every_site():
        person = db.session.get(Participant, site_b["participant_id"])
        assert person.first_name == FIRST and person.anonymised_at is None and person.is_active
        assert db.session.get(User, site_b["user_id"]).active
        assert db.session.get(Device, site_b["device_id"]).revoked_at is None
        assert db.session.get(Basket, site_b["basket_id"]).cancelled_at is None
        assert db.session.get(Registration, site_b["registration_id"]) is not None
        assert db.session.get(CheckIn, site_b["checkin_id"]) is not None
        assert db.session.get(Milestone, site_b["milestone_id"]) is not None
        assert db.session.get(WorkshopUse, site_b["use_id"]) is not None
        assert db.session.get(StockArrival, site_b["arrival_id"]).cancelled_at is None
    assert {key: get_setting(key, site_b["site_id"]) for key in B_SETTINGS} == B_SETTINGS


def test_a_kiosk_of_site_a_refuses_site_b_cards_as_unknown(app, site_b, make_device, workshop_today):
    kiosk = make_device(DeviceKind.KIOSK)
    response = kiosk.post("/api/checkins", json={"code": site_b["code"]})
    assert response.status_code == 404
    with every_site():
        assert db.session.scalar(select(CheckIn.id).where(CheckIn.participant_id == site_b["participant_id"],
                                                          CheckIn.id != site_b["checkin_id"])) is None


def test_a_coordinator_of_site_b_sees_their_own_person(app, client, site_b):
    response = client.post("/login", data={"username": "coord-b", "password": TEST_PASSWORD})
    assert response.status_code in (302, 303)
    page = client.get(f"/participants/{site_b['participant_id']}")
    assert page.status_code == 200 and FIRST in page.get_data(as_text=True)


def test_a_single_site_box_gets_its_rows_in_the_first_site(app, make_participant):
    person, _code = make_participant("Fatima")
    assert person.site_id == 1
