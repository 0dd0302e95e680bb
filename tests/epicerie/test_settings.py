"""The coordinator's rules screen: rules with history, categories, households' access."""

from datetime import timedelta

from kiosk.epicerie.rules import current_rules
from kiosk.platform.extensions import db
from kiosk.models import AuditEvent, Category, EpicerieAccess, EpicerieRules, Role
from kiosk.platform.timezone import local_day

RULES = {"contribution_percent": "20", "visits_per_week": "2", "allowance_base": "40,00",
         "allowance_per_person": "25.50"}


def test_settings_page_is_for_coordinators(client, auth):
    """Is the rules screen shown to a coordinator and refused to a volunteer?"""
    auth.login(Role.VOLUNTEER)
    assert client.get("/epicerie/regles").status_code == 403
    auth.logout()
    auth.login(Role.COORDINATOR)
    page = client.get("/epicerie/regles")
    assert page.status_code == 200
    assert "Règles de l'épicerie" in page.text and "Fruits et légumes" in page.text


def test_new_rules_apply_and_the_old_ones_stay(client, auth):
    """Do new rules apply at once, with the previous ones kept in the history and the audit?"""
    coordinator = auth.login(Role.COORDINATOR)
    response = client.post("/epicerie/regles", data=RULES)
    assert response.status_code == 303
    client.post("/epicerie/regles", data={**RULES, "contribution_percent": "30"})
    rules = current_rules()
    assert (rules.contribution_percent, rules.visits_per_week) == (30, 2)
    assert (rules.allowance_base_cents, rules.allowance_per_person_cents) == (4000, 2550)
    assert rules.changed_by_id == coordinator.id
    assert db.session.scalar(db.select(db.func.count(EpicerieRules.id))) == 2
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity == "epicerie_rules")
                              .order_by(AuditEvent.id.desc()))
    assert event.details["before"]["contribution_percent"] == 20
    assert "30 %" in client.get("/epicerie/regles").text


def test_bad_rules_are_refused_with_nothing_stored(client, auth):
    """Are rules out of range refused with a message, and nothing stored?"""
    auth.login(Role.COORDINATOR)
    for change in ({"contribution_percent": "101"}, {"visits_per_week": "0"}, {"allowance_base": "-3"},
                   {"allowance_per_person": "douze"}, {"contribution_percent": ""}):
        response = client.post("/epicerie/regles", data={**RULES, **change})
        assert response.status_code == 422, change
        assert 'class="field-error"' in response.text
    assert db.session.scalar(db.select(db.func.count(EpicerieRules.id))) == 0


def test_categories_can_be_added_renamed_moved_hidden(client, auth):
    """Can the coordinator add, rename, reorder, hide and show categories, the codes staying?"""
    auth.login(Role.COORDINATOR)
    client.get("/epicerie/regles")
    assert client.post("/epicerie/categories", data={"label": "Produits d'été"}).status_code == 303
    added = db.session.scalar(db.select(Category).where(Category.label == "Produits d'été"))
    assert added.code == "produits_d_ete" and added.active
    frais = db.session.scalar(db.select(Category).where(Category.code == "frais"))
    client.post(f"/epicerie/categories/{frais.id}", data={"action": "rename", "label": "Frais et laitages"})
    client.post(f"/epicerie/categories/{frais.id}", data={"action": "up"})
    bebe = db.session.scalar(db.select(Category).where(Category.code == "bebe"))
    client.post(f"/epicerie/categories/{bebe.id}", data={"action": "hide"})
    codes = [c["code"] for c in client.get("/api/categories").json]
    assert codes[:2] == ["frais", "fruits_legumes"] and "bebe" not in codes and codes[-1] == "produits_d_ete"
    assert client.get("/api/categories").json[0]["label"] == "Frais et laitages"
    client.post(f"/epicerie/categories/{bebe.id}", data={"action": "show"})
    assert "bebe" in [c["code"] for c in client.get("/api/categories").json]


def test_bad_category_changes_are_refused(client, auth):
    """Are an empty name, a too long one and an unknown action refused, nothing changed?"""
    auth.login(Role.COORDINATOR)
    client.get("/epicerie/regles")
    assert client.post("/epicerie/categories", data={"label": "  "}).status_code == 422
    assert client.post("/epicerie/categories", data={"label": "x" * 81}).status_code == 422
    frais = db.session.scalar(db.select(Category).where(Category.code == "frais"))
    client.post(f"/epicerie/categories/{frais.id}", data={"action": "rename", "label": ""})
    assert client.post(f"/epicerie/categories/{frais.id}", data={"action": "explode"}).status_code == 400
    db.session.expire_all()
    assert frais.label == "Produits frais"
    assert db.session.scalar(db.select(db.func.count(Category.id))) == 6
    assert client.post("/epicerie/categories/999", data={"action": "up"}).status_code == 404


def test_household_access_is_opened_and_renewed(client, auth, make_participant):
    """Can the coordinator open then renew a household's access, each as a new row, with an allowance?"""
    coordinator = auth.login(Role.COORDINATOR)
    participant, _ = make_participant("Loïc", "Moreau")
    page = client.get(f"/epicerie/foyers/{participant.id}")
    assert page.status_code == 200 and "jamais eu d'accès" in page.text
    today = local_day()
    form = {"starts_on": today.isoformat(), "ends_on": (today + timedelta(days=30)).isoformat(),
            "household_size": "4", "monthly_allowance": ""}
    assert client.post(f"/epicerie/foyers/{participant.id}", data=form).status_code == 303
    renewal = {**form, "starts_on": (today + timedelta(days=31)).isoformat(),
               "ends_on": (today + timedelta(days=120)).isoformat(), "monthly_allowance": "80,00"}
    assert client.post(f"/epicerie/foyers/{participant.id}", data=renewal).status_code == 303
    rows = db.session.scalars(db.select(EpicerieAccess).order_by(EpicerieAccess.starts_on)).all()
    assert [(r.monthly_allowance_cents, r.created_by_id) for r in rows] == [(None, coordinator.id),
                                                                            (8000, coordinator.id)]
    db.session.expire_all()
    assert participant.household_size == 4
    page = client.get(f"/epicerie/foyers/{participant.id}")
    assert (today + timedelta(days=121)).isoformat() in page.text  # the next renewal starts after the last


def test_bad_access_is_refused(client, auth, make_participant):
    """Is an access ending before it starts, or with a bad amount or size, refused with nothing stored?"""
    auth.login(Role.COORDINATOR)
    participant, _ = make_participant("Loïc", "Moreau")
    today = local_day()
    good = {"starts_on": today.isoformat(), "ends_on": (today + timedelta(days=30)).isoformat(),
            "household_size": "2", "monthly_allowance": ""}
    for change in ({"ends_on": (today - timedelta(days=1)).isoformat()}, {"monthly_allowance": "beaucoup"},
                   {"household_size": "0"}, {"starts_on": "31/02/2026"},
                   {"ends_on": (today + timedelta(days=900)).isoformat()}):
        response = client.post(f"/epicerie/foyers/{participant.id}", data={**good, **change})
        assert response.status_code == 422, change
    assert db.session.scalar(db.select(db.func.count(EpicerieAccess.id))) == 0
    assert client.get("/epicerie/foyers/999").status_code == 404


def test_search_and_ending_soon_on_the_settings_screen(client, auth, make_participant):
    """Does the rules screen find households by name and list accesses ending soon?"""
    auth.login(Role.COORDINATOR)
    participant, _ = make_participant("Maëlle", "Le Goff", epicerie_until=local_day() + timedelta(days=10))
    page = client.get("/epicerie/regles?q=maelle")
    assert f"/epicerie/foyers/{participant.id}" in page.text
    assert "Accès qui se terminent" in page.text and page.text.count(f"/epicerie/foyers/{participant.id}") == 2
    assert "Aucun foyer ne correspond" in client.get("/epicerie/regles?q=zzz").text
