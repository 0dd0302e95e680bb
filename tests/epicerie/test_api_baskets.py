"""POST /api/baskets as CONTRACT.md has it: idempotency, strict input, access, who may record."""

import math
import uuid
from datetime import timedelta

import pytest

from kiosk.epicerie import api, services
from kiosk.platform.extensions import db
from kiosk.models import AuditEvent, Basket, Category, Device, DeviceKind, EpicerieAccess, Role
from kiosk.cards.services import issue_card
from kiosk.platform.timezone import local_day
from tests.epicerie.conftest import basket_body, basket_count, identify, line, post_basket


def test_records_a_basket_in_cents_and_grams(volunteer_client, household):
    """Is a valid basket stored with money in cents, weight in grams, and who served it?"""
    body = basket_body(household.id, [line("frais", 2, 1.5, "12.50"), line("hygiene", 1, 0, "3")], "1.55")
    response = post_basket(volunteer_client, body)
    assert response.status_code == 201
    basket = db.session.get(Basket, response.json["id"])
    assert (basket.value_cents, basket.paid_cents, basket.weight_g) == (1550, 155, 1500)
    assert [(l.category.code, l.quantity, l.weight_g, l.value_cents) for l in basket.lines] == [
        ("frais", 2, 1500, 1250), ("hygiene", 1, 0, 300)]
    assert basket.served_on == local_day()
    assert basket.served_by.display_name == "Monique"
    assert basket.participant_id == household.id
    assert len(basket.request_digest) == 64


def test_same_key_same_body_gives_same_id_and_stores_nothing(volunteer_client, household):
    """Does a repeat with the same key and body answer 200 with the same id, storing nothing new?"""
    key = str(uuid.uuid4())
    first = post_basket(volunteer_client, basket_body(household.id), key)
    again = post_basket(volunteer_client, basket_body(household.id), key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json == {"id": first.json["id"]}
    assert basket_count() == 1


def test_same_body_written_in_another_key_order_is_the_same(volunteer_client, household):
    """Is the body compared in canonical form, so key order and spacing do not matter?"""
    key = str(uuid.uuid4())
    body = basket_body(household.id)
    first = post_basket(volunteer_client, body, key)
    reordered = '{"paid_eur": "1.25",  "lines": [{"value_eur": "12.50", "weight_kg": 1.5, "quantity": 2, ' \
                '"category": "frais"}], "participant_id": %d}' % household.id
    again = volunteer_client.post("/api/baskets", data=reordered, content_type="application/json",
                                  headers={"Idempotency-Key": key})
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    assert basket_count() == 1


def test_same_key_other_body_is_refused(volunteer_client, household):
    """Does the same key with another body give 422 on idempotency_key, storing nothing?"""
    key = str(uuid.uuid4())
    post_basket(volunteer_client, basket_body(household.id), key)
    other = post_basket(volunteer_client, basket_body(household.id, paid_eur="0.50"), key)
    assert other.status_code == 422
    assert set(other.json["errors"]) == {"idempotency_key"}
    assert basket_count() == 1


def test_same_key_other_invalid_body_is_still_a_reused_key(volunteer_client, household):
    """Is a reused key reported as such even when the new body is invalid too?"""
    key = str(uuid.uuid4())
    post_basket(volunteer_client, basket_body(household.id), key)
    other = post_basket(volunteer_client, {"participant_id": household.id}, key)
    assert other.status_code == 422 and "idempotency_key" in other.json["errors"]


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": ""}, {"Idempotency-Key": "x" * 65},
                                     {"Idempotency-Key": "clé-é"}, {"Idempotency-Key": "   "}])
def test_missing_or_malformed_key_is_400(volunteer_client, household, headers):
    """Does a missing, empty, too long or non-ASCII Idempotency-Key give 400 with nothing stored?"""
    response = volunteer_client.post("/api/baskets", json=basket_body(household.id), headers=headers)
    assert response.status_code == 400
    assert response.json["error"]
    assert basket_count() == 0


@pytest.mark.parametrize("key", ["k", "x" * 64, "550e8400-e29b-41d4-a716-446655440000", "a b~!"])
def test_any_printable_key_up_to_64_is_accepted(volunteer_client, household, key):
    """Are keys of 1 to 64 printable characters accepted, UUIDs and others?"""
    assert post_basket(volunteer_client, basket_body(household.id), key).status_code == 201


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", '"text"', "null", "", "[" * 100_000])
def test_body_that_is_not_a_json_object_is_400(volunteer_client, household, raw):
    """Is a body that is not a JSON object refused with 400 and nothing stored?"""
    response = volunteer_client.post("/api/baskets", data=raw, content_type="application/json",
                                     headers={"Idempotency-Key": "k1"})
    assert response.status_code == 400
    assert basket_count() == 0


def _without(mapping, key):
    return {k: v for k, v in mapping.items() if k != key}


VALID_LINE = line()
BAD_LINES = [
    ("category", "inconnue"), ("category", 3), ("category", None),
    ("quantity", 0), ("quantity", 1000), ("quantity", -1), ("quantity", True), ("quantity", 1.0),
    ("quantity", "2"), ("quantity", None),
    ("weight_kg", -0.1), ("weight_kg", 999.001), ("weight_kg", True), ("weight_kg", "1.5"),
    ("weight_kg", None), ("weight_kg", math.inf), ("weight_kg", math.nan),
    ("value_eur", 12.5), ("value_eur", 12), ("value_eur", "12.505"), ("value_eur", "-1"),
    ("value_eur", "10000"), ("value_eur", "1e3"), ("value_eur", ""), ("value_eur", " 12"),
    ("value_eur", "12,50"), ("value_eur", True), ("value_eur", None), ("value_eur", "NaN"),
]


def test_each_bad_line_field_is_refused(volunteer_client, household):
    """Is every wrong line field (type, range, format, missing) refused with 422 naming it, nothing stored?"""
    cases = [({**VALID_LINE, field: value}, field) for field, value in BAD_LINES]
    cases += [(_without(VALID_LINE, field), field) for field in ("category", "quantity", "weight_kg", "value_eur")]
    for bad_line, field in cases:
        response = post_basket(volunteer_client, basket_body(household.id, [VALID_LINE, bad_line]))
        assert response.status_code == 422, bad_line
        assert f"lines[1].{field}" in response.json["errors"], bad_line
    assert basket_count() == 0


BAD_BASKETS = [
    ({"lines": []}, "lines"), ({"lines": "frais"}, "lines"), ({"lines": None}, "lines"),
    ({"lines": [VALID_LINE] * 101}, "lines"), ({"lines": ["frais"]}, "lines[0]"),
    ({"lines": [{**VALID_LINE, "extra": 1}]}, "lines[0].extra"),
    ({"paid_eur": 1.25}, "paid_eur"), ({"paid_eur": 1}, "paid_eur"), ({"paid_eur": "-1"}, "paid_eur"),
    ({"paid_eur": "abc"}, "paid_eur"), ({"paid_eur": None}, "paid_eur"), ({"paid_eur": "12.51"}, "paid_eur"),
    ({"participant_id": True}, "participant_id"), ({"participant_id": "1"}, "participant_id"),
    ({"participant_id": 0}, "participant_id"), ({"participant_id": 1.0}, "participant_id"),
    ({"participant_id": 999999}, "participant_id"), ({"participant_id": 2**70}, "participant_id"),
    ({"code": "ABC"}, "participant"), ({"note": "x"}, "note"),
]


def test_each_bad_basket_field_is_refused(volunteer_client, household):
    """Is every wrong top-level field refused with 422 naming it, and nothing stored?"""
    for change, field in BAD_BASKETS:
        response = post_basket(volunteer_client, {**basket_body(household.id), **change})
        assert response.status_code == 422, change
        assert field in response.json["errors"], change
    assert basket_count() == 0


def test_missing_paid_and_missing_household_are_refused(volunteer_client, household):
    """Are a body without paid_eur, or naming no household, refused?"""
    no_paid = post_basket(volunteer_client, _without(basket_body(household.id), "paid_eur"))
    no_household = post_basket(volunteer_client, _without(basket_body(household.id), "participant_id"))
    assert no_paid.status_code == 422 and "paid_eur" in no_paid.json["errors"]
    assert no_household.status_code == 422 and "participant" in no_household.json["errors"]
    assert basket_count() == 0


def test_limits_are_accepted(volunteer_client, household):
    """Are the edges of every range accepted (999 items, 999 kg, 9999.99 €, a free basket)?"""
    body = basket_body(household.id, [line("frais", 999, 999, "9999.99"), line("bebe", 1, 0, "0")], "9999.99")
    assert post_basket(volunteer_client, body).status_code == 201
    free = basket_body(household.id, [line("frais", 1, 0.0005, "0")], "0")
    basket = db.session.get(Basket, post_basket(volunteer_client, free).json["id"])
    assert basket.weight_g == 1  # rounded to the gram, half up


def test_inactive_category_is_refused(volunteer_client, household):
    """Is a category the coordinator hid refused like an unknown one?"""
    db.session.scalar(db.select(Category).where(Category.code == "bebe")).active = False
    db.session.commit()
    response = post_basket(volunteer_client, basket_body(household.id, [line("bebe")]))
    assert response.status_code == 422 and "lines[0].category" in response.json["errors"]


@pytest.mark.parametrize("starts,ends", [(-30, -1), (1, 30), (None, None)])
def test_household_without_open_access_is_refused(volunteer_client, make_participant, categories, starts, ends):
    """Is a basket for a household whose access ended, has not begun, or never existed refused (422 participant)?"""
    participant, _code = make_participant("Loïc", "Moreau")
    if starts is not None:
        db.session.add(EpicerieAccess(participant=participant, starts_on=local_day() + timedelta(days=starts),
                                      ends_on=local_day() + timedelta(days=ends)))
        db.session.commit()
    response = post_basket(volunteer_client, basket_body(participant.id))
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"participant"}
    assert "Voir la coordination pour renouveler l'accès" in response.json["errors"]["participant"]
    assert basket_count() == 0


def test_access_ending_today_still_counts(volunteer_client, make_participant, categories):
    """Can a household whose access ends today still be served?"""
    participant, _code = make_participant("Awa", "Traoré", epicerie_until=local_day())
    assert post_basket(volunteer_client, basket_body(participant.id)).status_code == 201


def test_basket_by_card_code(volunteer_client, make_participant, categories):
    """Can a basket name the household by their card's code (any case, spaces around)?"""
    participant, code = make_participant("Nadia", "Haddad", epicerie_until=local_day() + timedelta(days=9))
    body = {"code": f"  {code.lower()} ", "lines": [line()], "paid_eur": "1.00"}
    response = post_basket(volunteer_client, body)
    assert response.status_code == 201
    assert db.session.get(Basket, response.json["id"]).participant_id == participant.id


def test_unknown_or_replaced_card_is_refused(volunteer_client, make_participant, categories):
    """Are an unknown code and the code of a replaced card refused (422 code), nothing stored?"""
    participant, old_code = make_participant("Nadia", "Haddad", epicerie_until=local_day() + timedelta(days=9))
    issue_card(participant)
    db.session.commit()
    for code in ("BCDEFGHIJ", old_code, "", " ", "x" * 257, 42):
        response = post_basket(volunteer_client, {"code": code, "lines": [line()], "paid_eur": "1.00"})
        assert response.status_code == 422 and "code" in response.json["errors"], code
    assert basket_count() == 0


def test_without_credentials_is_401(client, household):
    """Does a request with no login and no device cookie get 401, whatever else is missing?"""
    assert client.post("/api/baskets", json=basket_body(household.id),
                       headers={"Idempotency-Key": "k"}).status_code == 401
    assert client.post("/api/baskets", data="garbage").status_code == 401
    assert client.get("/api/categories").status_code == 401
    assert basket_count() == 0


def test_kiosk_device_and_referent_are_403(make_device, client, auth, household):
    """Do a kiosk device and a referent get 403, storing nothing?"""
    kiosk = make_device(DeviceKind.KIOSK)
    assert post_basket(kiosk, basket_body(household.id)).status_code == 403
    auth.login(Role.REFERENT)
    assert post_basket(client, basket_body(household.id)).status_code == 403
    assert client.get("/api/categories").status_code == 403
    assert basket_count() == 0


def test_coordinator_and_tablet_may_record(make_device, client, auth, household):
    """May a coordinator and an enrolled tablet record baskets?"""
    tablet = make_device(DeviceKind.TABLET)
    assert post_basket(tablet, basket_body(household.id)).status_code == 201
    coordinator = auth.login(Role.COORDINATOR)
    response = post_basket(client, basket_body(household.id))
    assert response.status_code == 201
    assert db.session.get(Basket, response.json["id"]).served_by_id == coordinator.id


def test_a_tablet_records_itself_and_the_volunteer_on_duty(make_device, make_user, household):
    """Does a basket from a tablet record the device and the volunteer who picked their name?"""
    tablet = make_device(DeviceKind.TABLET, name="Tablette épicerie")
    monique = make_user(Role.VOLUNTEER, display_name="Monique")
    jean = make_user(Role.VOLUNTEER, display_name="Jean")
    identify(tablet, jean)
    identify(tablet, monique)
    first = db.session.get(Basket, post_basket(tablet, basket_body(household.id)).json["id"])
    assert first.served_by_id == monique.id
    assert db.session.get(Device, first.device_id).name == "Tablette épicerie"
    # A basket kept while offline carries the volunteer who confirmed it (identified on this tablet).
    kept = post_basket(tablet, basket_body(household.id), headers={"X-Served-By": str(jean.id)})
    assert db.session.get(Basket, kept.json["id"]).served_by_id == jean.id


def test_served_by_header_cannot_name_a_referent(make_device, make_user, household):
    """Is X-Served-By ignored when it names someone who cannot serve?"""
    tablet = make_device(DeviceKind.TABLET)
    referent = make_user(Role.REFERENT)
    response = post_basket(tablet, basket_body(household.id), headers={"X-Served-By": str(referent.id)})
    assert db.session.get(Basket, response.json["id"]).served_by_id is None


def test_creation_is_audited_without_personal_values(volunteer_client, household):
    """Does recording a basket leave an audit event with no name in it?"""
    basket_id = post_basket(volunteer_client, basket_body(household.id)).json["id"]
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity == "basket",
                                                          AuditEvent.entity_id == basket_id))
    assert event.action == "create" and "Benali" not in str(event.details) and "Fatima" not in str(event.details)


def test_a_racing_twin_gets_the_first_basket(volunteer_client, household, monkeypatch):
    """When the unique key is hit by a concurrent insert, is the first basket's id given back (200)?"""
    key = str(uuid.uuid4())
    first = post_basket(volunteer_client, basket_body(household.id), key)
    real = services.basket_for_key
    calls = []

    def blind_first_look(k, digest):
        calls.append(k)
        return None if len(calls) == 1 else real(k, digest)

    monkeypatch.setattr(services, "basket_for_key", blind_first_look)
    again = post_basket(volunteer_client, basket_body(household.id), key)
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    assert basket_count() == 1


def test_a_twin_not_yet_visible_is_409(volunteer_client, household, monkeypatch):
    """When the key is taken but its basket cannot be read yet, is the answer 409 with nothing stored?"""
    key = str(uuid.uuid4())
    post_basket(volunteer_client, basket_body(household.id), key)
    monkeypatch.setattr(services, "basket_for_key", lambda k, digest: None)
    monkeypatch.setattr(api, "basket_for_key", lambda k, digest: None)
    again = post_basket(volunteer_client, basket_body(household.id), key)
    assert again.status_code == 409 and again.json["error"]
    assert basket_count() == 1
