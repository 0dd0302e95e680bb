"""Finding a household and seeing it at a glance: search, card look-up, warnings; the categories."""

from datetime import timedelta

from kiosk.epicerie.rules import RulesChange, change_rules
from kiosk.platform.extensions import db
from kiosk.models import Basket, Category, EpicerieAccess, Role
from kiosk.cards.services import issue_card
from kiosk.platform.timezone import local_day
from tests.epicerie.conftest import basket_body, line, post_basket


def warning_codes(summary: dict) -> set[str]:
    return {w["code"] for w in summary["warnings"]}


def test_categories_default_to_the_usual_six_in_order(volunteer_client):
    """Does a fresh box give the six usual categories, in order, as code and label?"""
    response = volunteer_client.get("/api/categories")
    assert response.status_code == 200
    assert [c["code"] for c in response.json] == [
        "fruits_legumes", "frais", "epicerie_seche", "hygiene", "bebe", "entretien"]
    assert response.json[0] == {"code": "fruits_legumes", "label": "Fruits et légumes"}


def test_categories_follow_the_coordinator(volunteer_client, categories):
    """Do hidden categories disappear and the order follow the positions?"""
    by_code = {c.code: c for c in db.session.scalars(db.select(Category))}
    by_code["bebe"].active = False
    by_code["entretien"].position = -1
    db.session.commit()
    codes = [c["code"] for c in volunteer_client.get("/api/categories").json]
    assert codes[0] == "entretien" and "bebe" not in codes and len(codes) == 5


def test_hidden_categories_are_not_given_back_again(volunteer_client, categories):
    """When every category is hidden, are the defaults left alone (not created again)?"""
    for category in db.session.scalars(db.select(Category)):
        category.active = False
    db.session.commit()
    assert volunteer_client.get("/api/categories").json == []
    assert db.session.scalar(db.select(db.func.count(Category.id))) == 6


def test_search_by_name_any_case_and_accents(volunteer_client, make_participant, household):
    """Does the search find a household without accents or capitals, and say if access is open
    (a volunteer sees only households with open access: issue 15)?"""
    make_participant("Maëlle", "Le Goff")
    assert volunteer_client.get("/api/households?q=MAELLE").json == []
    make_participant("Maëlle", "Kerouac", epicerie_until=local_day() + timedelta(days=30))
    found = volunteer_client.get("/api/households?q=MAELLE").json
    assert [(h["first_name"], h["access_open"]) for h in found] == [("Maëlle", True)]
    assert volunteer_client.get("/api/households?q=benali").json[0]["access_open"] is True
    assert volunteer_client.get("/api/households?q=").json == []
    assert volunteer_client.get("/api/households?q=" + "x" * 101).status_code == 400


def test_summary_of_a_household(volunteer_client, household):
    """Does the summary give access end, size, allowance from the rules, month taken and last visit?"""
    household.household_size = 3
    db.session.commit()
    post_basket(volunteer_client, basket_body(household.id, [line(value_eur="20.00")], "2.00"))
    summary = volunteer_client.get(f"/api/households/{household.id}").json
    assert summary["access"]["open"] is True
    assert summary["access"]["until"] == (local_day() + timedelta(days=60)).isoformat()
    assert summary["household_size"] == 3
    assert summary["allowance_eur"] == "90.00"  # 30 € + 3 × 20 €
    assert summary["taken_month_eur"] == "20.00" and summary["remaining_eur"] == "70.00"
    assert summary["last_visit"] == local_day().isoformat()
    assert summary["visits_this_week"] == 1 and summary["contribution_percent"] == 10
    assert summary["can_record"] is True
    assert warning_codes(summary) == {"served_this_week"}


def test_allowance_set_on_the_access_wins(volunteer_client, make_participant, categories):
    """Does a monthly allowance set on the access replace the one from the rules?"""
    participant, _ = make_participant("Awa", "Traoré")
    db.session.add(EpicerieAccess(participant=participant, starts_on=local_day(),
                                  ends_on=local_day() + timedelta(days=90), monthly_allowance_cents=4500))
    db.session.commit()
    assert volunteer_client.get(f"/api/households/{participant.id}").json["allowance_eur"] == "45.00"


def test_warning_when_access_expired(volunteer_client, make_participant, categories):
    """Does an expired access say so, when it ended, and what to do, and forbid recording?"""
    participant, code = make_participant("Loïc", "Moreau")
    db.session.add(EpicerieAccess(participant=participant, starts_on=local_day() - timedelta(days=40),
                                  ends_on=local_day() - timedelta(days=2)))
    db.session.commit()
    assert volunteer_client.post("/api/households/lookup", json={"code": code}).json["can_record"] is False
    summary = volunteer_client.get(f"/api/households/{participant.id}").json  # ended lately: still seen
    assert summary["can_record"] is False and summary["access"]["open"] is False
    (warning,) = summary["warnings"]
    assert warning["code"] == "no_access" and warning["level"] == "danger"
    assert "a pris fin" in warning["message"]
    assert "Voir la coordination pour renouveler l'accès" in warning["message"]


def test_warning_when_allowance_reached(volunteer_client, household):
    """Does the summary warn when this month's baskets reach the allowance?"""
    db.session.add(Basket(participant=household, served_on=local_day().replace(day=1), idempotency_key="old",
                          request_digest="x", value_cents=5000, paid_cents=500))
    db.session.commit()
    summary = volunteer_client.get(f"/api/households/{household.id}").json
    assert "allowance_reached" in warning_codes(summary)
    assert summary["can_record"] is True  # a warning, not a refusal


def test_served_this_week_follows_the_rules(volunteer_client, household):
    """Is 'already served this week' counted against the visits the rules allow?"""
    post_basket(volunteer_client, basket_body(household.id))
    assert "served_this_week" in warning_codes(volunteer_client.get(f"/api/households/{household.id}").json)
    change_rules(RulesChange(10, 2, 3000, 2000))
    db.session.commit()
    assert "served_this_week" not in warning_codes(volunteer_client.get(f"/api/households/{household.id}").json)


def test_cancelled_baskets_do_not_count(volunteer_client, household):
    """Does a cancelled basket leave the month's total and the week's visits?"""
    basket_id = post_basket(volunteer_client, basket_body(household.id)).json["id"]
    volunteer_client.post(f"/api/baskets/{basket_id}/cancel")
    summary = volunteer_client.get(f"/api/households/{household.id}").json
    assert summary["taken_month_eur"] == "0.00" and summary["visits_this_week"] == 0


def test_access_renewed_ahead_is_followed(volunteer_client, household):
    """Does 'valid until' follow a renewal that starts the day after the current access ends?"""
    end = local_day() + timedelta(days=60)
    db.session.add(EpicerieAccess(participant=household, starts_on=end + timedelta(days=1),
                                  ends_on=end + timedelta(days=90)))
    db.session.commit()
    summary = volunteer_client.get(f"/api/households/{household.id}").json
    assert summary["access"]["until"] == (end + timedelta(days=90)).isoformat()


def test_access_ending_soon_is_said(volunteer_client, make_participant, categories):
    """Is the volunteer told when access ends within two weeks?"""
    participant, _ = make_participant("Awa", "Traoré", epicerie_until=local_day() + timedelta(days=5))
    assert "access_ends_soon" in warning_codes(volunteer_client.get(f"/api/households/{participant.id}").json)


def test_lookup_by_card(volunteer_client, make_participant, categories):
    """Does a scanned code give the household; unknown 404, replaced 410, malformed 400?"""
    participant, code = make_participant("Nadia", "Haddad", epicerie_until=local_day() + timedelta(days=30))
    found = volunteer_client.post("/api/households/lookup", json={"code": code})
    assert found.status_code == 200 and found.json["id"] == participant.id
    assert volunteer_client.post("/api/households/lookup", json={"code": "BCDEFG"}).status_code == 404
    issue_card(participant)
    db.session.commit()
    assert volunteer_client.post("/api/households/lookup", json={"code": code}).status_code == 410
    for body in ({}, {"code": 3}, {"code": ""}, {"code": "x" * 257}):
        assert volunteer_client.post("/api/households/lookup", json=body).status_code == 400


def test_unknown_household_is_404(volunteer_client, categories):
    """Does an unknown or absurd household number give a JSON 404, never a 500?"""
    for path in ("/api/households/999", "/api/households/99999999999999999999999"):
        response = volunteer_client.get(path)
        assert response.status_code == 404 and response.is_json


def test_referent_may_not_see_households(client, auth, household):
    """Is the épicerie's household API closed to a referent (403) and to strangers (401)?"""
    assert client.get(f"/api/households/{household.id}").status_code == 401
    auth.login(Role.REFERENT)
    assert client.get(f"/api/households/{household.id}").status_code == 403
    assert client.get("/api/households?q=ben").status_code == 403
    assert client.post("/api/households/lookup", json={"code": "X"}).status_code == 403


def test_openapi_describes_every_epicerie_route(client):
    """Does /api/openapi.json describe the épicerie's routes?"""
    paths = client.get("/api/openapi.json").json["paths"]
    for path in ("/api/categories", "/api/baskets", "/api/baskets/{id}", "/api/baskets/{id}/cancel",
                 "/api/households", "/api/households/{id}", "/api/households/lookup"):
        assert path in paths, path
    assert "post" in paths["/api/baskets"] and "get" in paths["/api/baskets"]
