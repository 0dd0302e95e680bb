"""The price list (issue 19, point 1): products per category, lines that name them, the BA cap."""

import pytest

from kiosk.epicerie.products import add_product
from kiosk.epicerie.rules import RulesChange, change_rules
from kiosk.models import Basket, Category, Product, Role
from kiosk.platform.extensions import db
from tests.epicerie.conftest import basket_body, basket_count, line, post_basket


def category(code):
    return db.session.scalar(db.select(Category).where(Category.code == code))


@pytest.fixture
def pasta(household):
    product = add_product(category("epicerie_seche"), "Pâtes", "paquet", 120)
    db.session.commit()
    return product


@pytest.fixture
def ba_milk(household):
    product = add_product(category("frais"), "Lait", "litre", 100, banque_alimentaire=True)
    db.session.commit()
    return product


def test_a_line_names_its_product(volunteer_client, household, pasta):
    """Is a line tapped from the price list stored with its product, and listed under its name?"""
    body = basket_body(household.id, [{**line("epicerie_seche", 3, 1.5, "3.60"), "product": pasta.id}], "0.36")
    basket_id = post_basket(volunteer_client, body).json["id"]
    db.session.expire_all()
    assert db.session.get(Basket, basket_id).lines[0].product_id == pasta.id
    listed = volunteer_client.get("/api/baskets").json[0]
    assert listed["lines"][0]["label"] == "Pâtes" and listed["lines"][0]["product"] == pasta.id


@pytest.mark.parametrize("product", [999, "1", True, 2.0])
def test_an_unknown_product_is_refused(volunteer_client, household, pasta, product):
    body = basket_body(household.id, [{**line("epicerie_seche"), "product": product}])
    response = post_basket(volunteer_client, body)
    assert response.status_code == 422 and "Produit inconnu" in response.json["errors"]["lines[0].product"]
    assert basket_count() == 0


def test_a_product_of_another_category_is_refused(volunteer_client, household, pasta):
    response = post_basket(volunteer_client, basket_body(household.id, [{**line("frais"), "product": pasta.id}]))
    assert response.status_code == 422 and "catégorie" in response.json["errors"]["lines[0].product"]


def test_a_hidden_product_is_refused(volunteer_client, household, pasta):
    pasta.active = False
    db.session.commit()
    response = post_basket(volunteer_client, basket_body(household.id, [{**line("epicerie_seche"), "product": pasta.id}]))
    assert response.status_code == 422


def test_the_banque_alimentaire_cap_holds(volunteer_client, household, ba_milk):
    """With BA products capped at 5 %, is a share above 5 % of their value refused, at 5 % accepted?"""
    change_rules(RulesChange(20, 1, 3000, 2000, banque_alimentaire_percent=5))
    db.session.commit()
    lines = [{**line("frais", 10, 10, "10.00"), "product": ba_milk.id}, line("hygiene", 1, 0, "10.00")]
    too_much = post_basket(volunteer_client, basket_body(household.id, lines, "10.60"))
    assert too_much.status_code == 422 and "Banque Alimentaire" in too_much.json["errors"]["paid_eur"]
    assert post_basket(volunteer_client, basket_body(household.id, lines, "10.50")).status_code == 201


def test_a_correction_without_a_share_gets_the_rules_share(volunteer_client, household, ba_milk):
    """A correction that leaves paid_eur out: is the share the centre's rate (BA lines at their cap)?"""
    change_rules(RulesChange(10, 1, 3000, 2000, banque_alimentaire_percent=5))
    db.session.commit()
    basket_id = post_basket(volunteer_client, basket_body(household.id, [line("frais", 1, 0, "2.00")], "0.20")).json["id"]
    correction = {"lines": [line("hygiene", 1, 0, "6.30"), {**line("frais", 10, 10, "10.00"), "product": ba_milk.id}]}
    answer = volunteer_client.put(f"/api/baskets/{basket_id}", json=correction)
    assert answer.status_code == 200
    assert (answer.json["value_eur"], answer.json["paid_eur"]) == ("16.30", "1.13")  # 0.63 + 0.50


def test_the_coordinator_manages_the_price_list(client, auth, household):
    """Can the coordinator add, reprice and hide a product; is bad input refused with nothing stored?"""
    auth.login(Role.COORDINATOR)
    frais = category("frais")
    assert client.get("/epicerie/produits").status_code == 200
    added = client.post("/epicerie/produits", data={"category_id": frais.id, "name": "Yaourts", "unit": "pack",
                                                     "unit_value": "1,80", "banque_alimentaire": "y"})
    assert added.status_code == 303
    product = db.session.scalar(db.select(Product))
    assert (product.unit_value_cents, product.banque_alimentaire) == (180, True)
    for bad in ({"unit_value": "-1"}, {"unit_value": "abc"}, {"name": ""}, {"category_id": 9999},
                {"unit_value": "99999999"}):
        data = {"category_id": frais.id, "name": "X", "unit": "pièce", "unit_value": "1", **bad}
        assert client.post("/epicerie/produits", data=data).status_code == 422, bad
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 1
    client.post(f"/epicerie/produits/{product.id}", data={"action": "save", "category_id": frais.id,
                                                           "name": "Yaourts", "unit": "pack", "unit_value": "2"})
    client.post(f"/epicerie/produits/{product.id}", data={"action": "hide"})
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert (product.unit_value_cents, product.banque_alimentaire, product.active) == (200, False, False)


def test_the_tablet_gets_the_price_list(volunteer_client, household, pasta):
    import json, re
    html = volunteer_client.get("/tablet").text
    config = json.loads(re.search(r"data-config='([^']+)'", html).group(1))
    assert config["products"]["epicerie_seche"] == [
        {"id": pasta.id, "name": "Pâtes", "unit": "paquet", "unit_cents": 120, "banque_alimentaire": False}]


def test_the_box_share_never_goes_beyond_the_ba_cap(volunteer_client, household, ba_milk):
    """Rate 10 %, BA cap 10 %, 199,99 € of BA products: is the box's own share (199,9 cents → 19,99 €,
    its BA part rounded down as the cap is) accepted, typed or computed on a correction?"""
    from kiosk.epicerie.rules import current_rules, participant_share_cents

    change_rules(RulesChange(10, 1, 100000, 0, banque_alimentaire_percent=10))
    db.session.commit()
    assert participant_share_cents(19999, current_rules(), 19999) == 1999
    assert participant_share_cents(19999, current_rules(), 0) == 2000  # others: half up
    ba_line = {**line("frais", 1, 1, "199.99"), "product": ba_milk.id}
    typed = post_basket(volunteer_client, basket_body(household.id, [ba_line], "19.99"))
    assert typed.status_code == 201, typed.json
    corrected = volunteer_client.put(f"/api/baskets/{typed.json['id']}", json={"lines": [ba_line]})
    assert corrected.status_code == 200, corrected.json
    assert corrected.json["paid_eur"] == "19.99"
    db.session.expire_all()
    assert db.session.get(Basket, typed.json["id"]).paid_cents == 1999


def test_a_correction_keeps_a_product_hidden_since(volunteer_client, household, pasta):
    """The pasta were taken off the price list after the basket: can the basket still be corrected
    with its pasta line (and is a basket without pasta still refused them)?"""
    pasta_line = {**line("epicerie_seche", 2, 1, "2.40"), "product": pasta.id}
    basket_id = post_basket(volunteer_client, basket_body(household.id, [pasta_line], "0.24")).json["id"]
    other_id = post_basket(volunteer_client, basket_body(household.id, [line()], "1.25")).json["id"]
    pasta.active = False
    db.session.commit()
    fewer = {"lines": [{**pasta_line, "quantity": 1, "value_eur": "1.20"}], "paid_eur": "0.12"}
    answer = volunteer_client.put(f"/api/baskets/{basket_id}", json=fewer)
    assert answer.status_code == 200, answer.json
    assert answer.json["lines"][0]["product"] == pasta.id
    refused = volunteer_client.put(f"/api/baskets/{other_id}", json={"lines": [pasta_line], "paid_eur": "0.24"})
    assert refused.status_code == 422 and "Produit" in refused.json["errors"]["lines[0].product"]
