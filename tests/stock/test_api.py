"""POST /api/stock/arrivals and GET /api/stock, as CONTRACT.md writes them ("The épicerie's stock and limits")."""

import uuid

import pytest

from kiosk.models import AuditEvent, Role, StockArrival
from kiosk.platform.extensions import db
from tests.stock.conftest import arrival_body, post_arrival, stored


def test_arrival_is_recorded_with_its_lines_and_audited(volunteer_client, categories):
    """Does an arrival from the Banque Alimentaire store each line exactly, and leave an audit event?"""
    body = arrival_body(lines=[{"category": "frais", "weight_kg": 12.345, "value_eur": "30.5"},
                               {"category": "fruits_legumes", "weight_kg": 0, "value_eur": "0"}])
    response = post_arrival(volunteer_client, body)
    assert response.status_code == 201
    arrival = db.session.get(StockArrival, response.get_json()["id"])
    assert arrival.source == "banque_alimentaire"
    assert [(line.category.code, line.weight_g, line.value_cents) for line in arrival.lines] == [
        ("frais", 12345, 3050), ("fruits_legumes", 0, 0)]
    assert arrival.recorded_by.username.startswith("volunteer")
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity == "stock_arrival"))
    assert event.action == "stock.arrival" and event.entity_id == arrival.id
    assert event.details == {"source": "banque_alimentaire", "lines": 2, "weight_g": 12345, "value_cents": 3050}


@pytest.mark.parametrize("source", ["banque_alimentaire", "ramasse", "achat", "don", "autre"])
def test_every_source_of_the_contract_is_taken(volunteer_client, categories, source):
    """Is each of the five sources accepted?"""
    assert post_arrival(volunteer_client, arrival_body(source)).status_code == 201


def test_same_key_same_body_gives_the_same_arrival(volunteer_client, categories):
    """Does a repeat with the same key and body answer 200 with the same id, storing nothing new?"""
    key = str(uuid.uuid4())
    first = post_arrival(volunteer_client, arrival_body(), key)
    again = post_arrival(volunteer_client, arrival_body(), key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == again.get_json()
    assert stored() == (1, 1, 1)


def test_same_key_other_body_is_refused(volunteer_client, categories):
    """Is the same key with another body a 422 on idempotency_key, with nothing new stored?"""
    key = str(uuid.uuid4())
    post_arrival(volunteer_client, arrival_body(), key)
    response = post_arrival(volunteer_client, arrival_body("don"), key)
    assert response.status_code == 422
    assert "idempotency_key" in response.get_json()["errors"]
    assert stored() == (1, 1, 1)


def test_missing_key_is_400(volunteer_client, categories):
    """Is an arrival without an Idempotency-Key refused with 400 (JSON), nothing stored?"""
    response = volunteer_client.post("/api/stock/arrivals", json=arrival_body())
    assert response.status_code == 400 and "error" in response.get_json()
    assert stored() == (0, 0, 0)


LINE = {"category": "frais", "weight_kg": 1, "value_eur": "1.00"}
BAD = [
    ("negative weight", arrival_body(lines=[{**LINE, "weight_kg": -1}]), "lines[0].weight_kg", "kilos"),
    ("huge weight", arrival_body(lines=[{**LINE, "weight_kg": 10000}]), "lines[0].weight_kg", "9999"),
    ("weight as text", arrival_body(lines=[{**LINE, "weight_kg": "2"}]), "lines[0].weight_kg", "kilos"),
    ("weight NaN", arrival_body(lines=[{**LINE, "weight_kg": float("inf")}]), "lines[0].weight_kg", "kilos"),
    ("huge value", arrival_body(lines=[{**LINE, "value_eur": "100000.00"}]), "lines[0].value_eur", "99999.99"),
    ("negative value", arrival_body(lines=[{**LINE, "value_eur": "-1.00"}]), "lines[0].value_eur", "12.50"),
    ("value as number", arrival_body(lines=[{**LINE, "value_eur": 12.5}]), "lines[0].value_eur", "12.50"),
    ("three decimals", arrival_body(lines=[{**LINE, "value_eur": "1.005"}]), "lines[0].value_eur", "12.50"),
    ("unknown source", arrival_body("supermarche"), "source", "Source inconnue"),
    ("source missing", {"lines": [LINE]}, "source", "Source inconnue"),
    ("unknown category", arrival_body(lines=[{**LINE, "category": "caviar"}]), "lines[0].category", "Catégorie inconnue"),
    ("empty lines", arrival_body(lines=[]), "lines", "de 1 à 100 lignes"),
    ("lines missing", {"source": "don"}, "lines", "de 1 à 100 lignes"),
    ("line not an object", arrival_body(lines=["frais"]), "lines[0]", "Chaque ligne"),
    ("line key missing", arrival_body(lines=[{"category": "frais", "weight_kg": 1}]), "lines[0].value_eur", "valeur"),
    ("unknown key", {**arrival_body(), "paid_eur": "1.00"}, "paid_eur", "Champ inconnu"),
    ("too many lines", arrival_body(lines=[LINE] * 101), "lines", "de 1 à 100 lignes"),
]


@pytest.mark.parametrize("body, field, words", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_input_is_422_in_french_and_stores_nothing(volunteer_client, categories, body, field, words):
    """Is each bad body a 422 naming the field with a plain French message, and nothing stored?"""
    response = post_arrival(volunteer_client, body)
    assert response.status_code == 422, response.get_data(as_text=True)
    errors = response.get_json()["errors"]
    assert words in errors[field]
    assert stored() == (0, 0, 0)


def test_body_not_json_is_400(volunteer_client, categories):
    response = volunteer_client.post("/api/stock/arrivals", data="frais", headers={"Idempotency-Key": "k1"})
    assert response.status_code == 400 and "error" in response.get_json()


def test_who_may_record_and_read(client, auth, runner, categories):
    """A referent gets 403, no login 401; an enrolled tablet records and reads the stock."""
    assert post_arrival(client, arrival_body()).status_code == 401
    assert client.get("/api/stock").status_code == 401
    auth.login(Role.REFERENT)
    assert post_arrival(client, arrival_body()).status_code == 403
    assert client.get("/api/stock").status_code == 403
    auth.logout()
    enrol = runner.invoke(args=["device", "add", "Tablette", "--kind", "tablet"]).output.strip().splitlines()[-1]
    tablet = client.application.test_client()
    tablet.get(enrol)
    response = post_arrival(tablet, arrival_body())
    assert response.status_code == 201
    assert db.session.get(StockArrival, response.get_json()["id"]).device_id is not None
    assert tablet.get("/api/stock").status_code == 200


def test_a_racing_twin_gets_the_first_arrival(volunteer_client, categories, monkeypatch):
    """When the unique key is hit by a concurrent insert, is the first arrival's id given back (200)?"""
    from kiosk.stock import services

    key = str(uuid.uuid4())
    first = post_arrival(volunteer_client, arrival_body(), key)
    real, calls = services.arrival_for_key, []

    def blind_first_look(k, digest):
        calls.append(k)
        return None if len(calls) == 1 else real(k, digest)

    monkeypatch.setattr(services, "arrival_for_key", blind_first_look)
    again = post_arrival(volunteer_client, arrival_body(), key)
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    assert stored() == (1, 1, 1)


def test_a_twin_not_yet_visible_is_409(volunteer_client, categories, monkeypatch):
    """When the key is taken but its arrival cannot be read yet, is the answer 409 with nothing more stored?"""
    from kiosk.stock import services

    key = str(uuid.uuid4())
    post_arrival(volunteer_client, arrival_body(), key)
    monkeypatch.setattr(services, "arrival_for_key", lambda k, digest: None)
    again = post_arrival(volunteer_client, arrival_body(), key)
    assert again.status_code == 409 and again.get_json()["error"]
    assert stored() == (1, 1, 1)
