"""The rules that hold (issue 19, point 3): warnings or limits, a coordinator's override, the CLI."""

import json

import pytest

from kiosk.epicerie.rules import RulesChange, change_rules
from kiosk.models import AuditEvent, Basket, Role
from kiosk.platform.extensions import db
from tests.epicerie.conftest import basket_body, basket_count, line, post_basket


def rules(enforce="limit", visits_per_week=1, base="30", per_person="20", visits_per_month=None):
    change_rules(RulesChange(10, visits_per_week, int(float(base) * 100), int(float(per_person) * 100),
                             visits_per_month=visits_per_month, enforce=enforce))
    db.session.commit()


def test_a_warning_lets_a_basket_beyond_the_allowance_through(volunteer_client, household):
    """Under warnings only (the default), is a 250 € basket for a 50 € allowance still recorded?"""
    response = post_basket(volunteer_client, basket_body(household.id, [line(value_eur="250.00")], "1.00"))
    assert response.status_code == 201 and basket_count() == 1


def test_a_limit_refuses_a_basket_beyond_the_allowance(volunteer_client, household):
    """With limits, is a basket beyond the month's allowance refused in French, nothing stored?"""
    rules()
    response = post_basket(volunteer_client, basket_body(household.id, [line(value_eur="70.00")], "1.00"))
    assert response.status_code == 422
    message = response.json["errors"]["participant"]
    assert "dépasse le montant du mois" in message and "coordination" in message
    assert basket_count() == 0


def test_a_limit_refuses_a_second_visit_in_the_week(volunteer_client, household):
    """With limits and one visit a week, is the second basket of the week refused?"""
    rules()
    assert post_basket(volunteer_client, basket_body(household.id, [line(value_eur="5.00")], "0.50")).status_code == 201
    again = post_basket(volunteer_client, basket_body(household.id, [line(value_eur="5.00")], "0.50"))
    assert again.status_code == 422 and "semaine" in again.json["errors"]["participant"]
    assert basket_count() == 1


def test_a_limit_on_visits_per_month(volunteer_client, household):
    """With a monthly count of one, is a second basket in the month refused even with 7 a week?"""
    rules(visits_per_week=7, visits_per_month=1)
    assert post_basket(volunteer_client, basket_body(household.id, [line(value_eur="5.00")], "0.50")).status_code == 201
    again = post_basket(volunteer_client, basket_body(household.id, [line(value_eur="5.00")], "0.50"))
    assert again.status_code == 422 and "mois" in again.json["errors"]["participant"]


def test_a_cancelled_basket_frees_the_visit(volunteer_client, household):
    """Does cancelling the week's basket let the household take another one?"""
    rules()
    first = post_basket(volunteer_client, basket_body(household.id, [line(value_eur="5.00")], "0.50")).json["id"]
    assert volunteer_client.post(f"/api/baskets/{first}/cancel").status_code == 200
    assert post_basket(volunteer_client, basket_body(household.id, [line(value_eur="5.00")], "0.50")).status_code == 201


def test_a_coordinator_passes_a_limit_with_a_reason(client, auth, household):
    """Does a coordinator's reason let the basket through, kept on the basket and audited?"""
    rules()
    auth.login(Role.COORDINATOR)
    body = {**basket_body(household.id, [line(value_eur="90.00")], "1.00"),
            "override_reason": "Naissance ce mois-ci"}
    response = post_basket(client, body)
    assert response.status_code == 201
    db.session.expire_all()
    basket = db.session.get(Basket, response.json["id"])
    assert basket.override_reason == "Naissance ce mois-ci"
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "epicerie.override"))
    assert event.entity_id == basket.id and event.details == {"rules": ["allowance"]}


def test_a_volunteer_cannot_pass_a_limit(volunteer_client, household):
    """Is a volunteer's override reason refused, nothing stored?"""
    rules()
    body = {**basket_body(household.id, [line(value_eur="90.00")], "1.00"), "override_reason": "Je passe"}
    response = post_basket(volunteer_client, body)
    assert response.status_code == 422 and "coordination" in response.json["errors"]["override_reason"]
    assert basket_count() == 0


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301, 12, ["a"], "a\u202eb"])
def test_a_bad_override_reason_is_refused(client, auth, household, reason):
    """Is an empty, too long, non-text or control-laden reason refused in French?"""
    rules()
    auth.login(Role.COORDINATOR)
    body = {**basket_body(household.id, [line(value_eur="90.00")], "1.00"), "override_reason": reason}
    response = post_basket(client, body)
    assert response.status_code == 422 and "raison" in response.json["errors"]["override_reason"]
    assert basket_count() == 0


def test_a_correction_beyond_the_allowance_is_refused_under_limits(volunteer_client, household):
    """Under limits, is a correction that takes the month beyond the allowance refused, the basket kept?"""
    rules()
    basket_id = post_basket(volunteer_client, basket_body(household.id, [line(value_eur="20.00")], "2.00")).json["id"]
    response = volunteer_client.put(f"/api/baskets/{basket_id}", json={"lines": [line(value_eur="60.00")]})
    assert response.status_code == 422 and "participant" in response.json["errors"]
    db.session.expire_all()
    assert db.session.get(Basket, basket_id).value_cents == 2000


@pytest.mark.parametrize("quantity", [-1, 0, 1000, 10**12, 2.5, "3", True, None])
def test_bad_quantities_are_refused(volunteer_client, household, quantity):
    """Are negative, zero, huge, decimal or non-number quantities refused in French, nothing stored?"""
    response = post_basket(volunteer_client, basket_body(household.id, [line(quantity=quantity)]))
    assert response.status_code == 422
    assert response.json["errors"]["lines[0].quantity"] == "La quantité est un nombre entier de 1 à 999."
    assert basket_count() == 0


@pytest.mark.parametrize("category", ["inconnue", "", 3, None])
def test_an_unknown_category_is_refused(volunteer_client, household, category):
    response = post_basket(volunteer_client, basket_body(household.id, [line(category=category)]))
    assert response.status_code == 422 and response.json["errors"]["lines[0].category"] == "Catégorie inconnue."
    assert basket_count() == 0


def test_the_cli_sets_the_rules(app, runner):
    """Does `kiosk epicerie rules` put limits in force, keeping what it is not given?"""
    result = runner.invoke(args=["epicerie", "rules", "--visits-per-week", "2", "--allowance-base", "40",
                                 "--allowance-per-person", "12.50", "--share-percent", "15", "--enforce", "limit"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output.strip().splitlines()[-1])
    assert shown["enforce"] == "limit" and shown["allowance_per_person_eur"] == "12.50"
    result = runner.invoke(args=["epicerie", "rules", "--enforce", "warning"])
    shown = json.loads(result.output.strip().splitlines()[-1])
    assert (shown["visits_per_week"], shown["share_percent"], shown["enforce"]) == (2, 15, "warning")


@pytest.mark.parametrize("args", [["--visits-per-week", "0"], ["--allowance-base", "-3"],
                                  ["--allowance-base", "abc"], ["--share-percent", "101"],
                                  ["--enforce", "maybe"], ["--visits-per-week", "²"]])
def test_the_cli_refuses_bad_rules(app, runner, args):
    result = runner.invoke(args=["epicerie", "rules", *args])
    assert result.exit_code != 0


def test_the_settings_page_sets_limits(client, auth):
    """Does the coordinator's form put limits, a monthly count and the BA cap in force; bad ones refused?"""
    from kiosk.epicerie.rules import current_rules

    auth.login(Role.COORDINATOR)
    data = {"contribution_percent": "10", "visits_per_week": "1", "allowance_base": "30",
            "allowance_per_person": "20", "visits_per_month": "3", "banque_alimentaire_percent": "5",
            "enforce": "limit"}
    assert client.post("/epicerie/regles", data=data).status_code == 303
    db.session.expire_all()
    rules = current_rules()
    assert (rules.enforce, rules.visits_per_month, rules.banque_alimentaire_percent) == ("limit", 3, 5)
    for bad in ({"enforce": "peut-être"}, {"visits_per_month": "40"}, {"banque_alimentaire_percent": "-1"}):
        assert client.post("/epicerie/regles", data={**data, **bad}).status_code == 422, bad
    db.session.expire_all()
    assert current_rules().id == rules.id


def test_a_correction_that_lowers_an_over_allowance_basket_is_accepted(client, auth, household):
    """A basket let through beyond the allowance: may a volunteer bring it down (still beyond), and is
    raising it refused with a message that speaks of a correction, not of a basket refused?"""
    rules()
    auth.login(Role.COORDINATOR)
    body = {**basket_body(household.id, [line(value_eur="90.00")], "1.00"), "override_reason": "Naissance"}
    basket_id = post_basket(client, body).json["id"]
    auth.login(Role.VOLUNTEER, display_name="Monique")
    lower = client.put(f"/api/baskets/{basket_id}", json={"lines": [line(value_eur="80.00")], "paid_eur": "1.00"})
    assert lower.status_code == 200, lower.json
    higher = client.put(f"/api/baskets/{basket_id}", json={"lines": [line(value_eur="85.00")], "paid_eur": "1.00"})
    assert higher.status_code == 422
    message = higher.json["errors"]["participant"]
    assert "Correction refusée" in message and "Panier refusé" not in message
    assert higher.json == {"errors": {"participant": message}}  # the contract's body, exactly
    assert higher.headers["X-Epicerie-Limit"] == "allowance"
    db.session.expire_all()
    assert db.session.get(Basket, basket_id).value_cents == 8000


def test_only_a_limit_is_tagged_as_one(volunteer_client, household, make_participant):
    """Does a refusal by a limit carry X-Epicerie-Limit (the tablet offers the override only then),
    and a refusal for no open access not?"""
    rules()
    beyond = post_basket(volunteer_client, basket_body(household.id, [line(value_eur="70.00")], "1.00"))
    assert beyond.status_code == 422 and beyond.headers["X-Epicerie-Limit"] == "allowance"
    assert beyond.json == {"errors": {"participant": beyond.json["errors"]["participant"]}}
    closed, _code = make_participant("Paul", "Martin")
    no_access = post_basket(volunteer_client, basket_body(closed.id))
    assert no_access.status_code == 422 and "participant" in no_access.json["errors"]
    assert "X-Epicerie-Limit" not in no_access.headers


def test_the_override_reason_is_the_coordinators_and_the_persons(client, auth, household):
    """Is a coordinator's reason (free text about a household) shown to coordinators only, in the
    person's own data file, and gone when the person is anonymised?"""
    from kiosk.models import Participant
    from kiosk.privacy.export import personal_data
    from kiosk.privacy.services import anonymise_participant, participant_record

    rules()
    auth.login(Role.COORDINATOR)
    body = {**basket_body(household.id, [line(value_eur="90.00")], "1.00"), "override_reason": "Hébergée en urgence"}
    basket_id = post_basket(client, body).json["id"]
    assert client.get("/api/baskets").json[0]["override_reason"] == "Hébergée en urgence"
    auth.login(Role.VOLUNTEER, display_name="Monique")
    assert client.get("/api/baskets").json[0]["override_reason"] is None
    person = db.session.get(Participant, household.id)
    assert personal_data(participant_record(person))["baskets"][0]["override_reason"] == "Hébergée en urgence"
    anonymise_participant(person, "request")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Basket, basket_id).override_reason is None


def test_the_cli_without_options_only_shows_the_rules(app, runner):
    """Does `kiosk epicerie rules` with no option print the rules in force, writing no row nor audit?"""
    from kiosk.models import EpicerieRules

    runner.invoke(args=["epicerie", "rules", "--share-percent", "12"])
    rows = db.session.scalar(db.select(db.func.count(EpicerieRules.id)))
    audits = db.session.scalar(db.select(db.func.count(AuditEvent.id)))
    result = runner.invoke(args=["epicerie", "rules"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.strip().splitlines()[-1])["share_percent"] == 12
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(EpicerieRules.id))) == rows
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == audits


def test_the_cli_asks_the_pin_hidden(app, runner, make_user):
    """Without --pin, does `kiosk epicerie pin` ask for it (hidden, twice), not echoing it?"""
    from kiosk.models import ServerPin

    user = make_user(Role.VOLUNTEER, username="monique")
    result = runner.invoke(args=["epicerie", "pin", "monique"], input="2580\n2580\n")
    assert result.exit_code == 0, result.output
    assert "2580" not in result.output
    db.session.expire_all()
    assert db.session.get(ServerPin, user.id) is not None
    bad = runner.invoke(args=["epicerie", "pin", "monique", "--pin", "1234"])
    assert bad.exit_code != 0 and "facile" in bad.output
