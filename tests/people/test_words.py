"""The words a newcomer reads: phone numbers, names typed in capitals, plurals, the € sign, the day page."""

import io
from datetime import timedelta

import pytest

from kiosk.models import Participant, Role
from kiosk.people.phone import PhoneError, display_phone, normalise_phone
from kiosk.platform.extensions import db
from kiosk.platform.money import format_euros
from kiosk.platform.names import proper_case
from kiosk.platform.timezone import local_day


@pytest.mark.parametrize("typed", ["06 12 34 56 78", "0612345678", "06.12.34.56.78", "+33 6 12 34 56 78",
                                   "+33 (0)6 12 34 56 78", "0033612345678", "06-12-34-56-78"])
def test_french_ways_of_writing_a_phone_are_one_stored_form(typed):
    """Are the French ways of writing a number read into one stored form, shown the French way?"""
    assert normalise_phone(typed) == "+33612345678"
    assert display_phone(normalise_phone(typed)) == "06 12 34 56 78"


@pytest.mark.parametrize("typed", ["06 12 34 56", "12345", "appeler sa soeur", "06 12 34 56 78 90", "+33 06"])
def test_unreadable_phones_are_refused(typed):
    """Is a number that is not one refused with a message saying what is expected?"""
    with pytest.raises(PhoneError, match="06 12 34 56 78"):
        normalise_phone(typed)


@pytest.mark.parametrize("typed, shown", [("LE GOFF", "Le Goff"), ("JEAN-PIERRE", "Jean-Pierre"),
                                          ("DE LA FONTAINE", "de La Fontaine"), ("D'ALEMBERT", "d'Alembert"),
                                          ("MAËLLE", "Maëlle"), ("McBride", "McBride"), ("benali", "Benali")])
def test_names_in_capitals_are_written_as_spelt(typed, shown):
    """Is a name typed all in capitals (or small letters) written as it is spelt, particles and hyphens kept?"""
    assert proper_case(typed) == shown


def test_the_page_stores_one_phone_form_and_refuses_a_bad_one(client, auth, make_participant):
    """Does the edit page store "06.12.34.56.78" as one form, show it "06 12 34 56 78", and refuse a bad
    number in French next to its field, storing nothing?"""
    auth.login(Role.COORDINATOR)
    person, _code = make_participant()
    data = {"first_name": "Fatima", "last_name": "BENALI", "household_size": "2", "phone": "06.12.34.56.78"}
    assert client.post(f"/participants/{person.id}/edit", data=data).status_code == 303
    db.session.expire_all()
    assert (person.phone, person.last_name) == ("+33612345678", "Benali")
    assert "06 12 34 56 78" in client.get(f"/participants/{person.id}").get_data(as_text=True)
    response = client.post(f"/participants/{person.id}/edit", data={**data, "phone": "06 12"})
    assert response.status_code == 422
    assert "Numéro de téléphone non reconnu" in response.get_data(as_text=True)
    db.session.expire_all()
    assert person.phone == "+33612345678"


def test_the_command_checks_the_phone(cli):
    """Does `kiosk participant add --phone` store the one form, and refuse a bad number in one line?"""
    code, _out, made = cli("participant", "add", "--first-name", "MAËLLE", "--last-name", "LE GOFF",
                           "--phone", "+33 6 12 34 56 78")
    assert code == 0
    person = db.session.get(Participant, made["id"])
    assert (person.first_name, person.last_name, person.phone) == ("Maëlle", "Le Goff", "+33612345678")
    code, out, _made = cli("participant", "add", "--first-name", "A", "--last-name", "B", "--phone", "12")
    assert code != 0 and "Numéro de téléphone non reconnu" in out
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 1


def test_the_import_writes_names_as_spelt_and_refuses_a_bad_phone(client, auth):
    """Does the import store "LE GOFF" as "Le Goff", and refuse (and report) a line with an unreadable phone?"""
    auth.login(Role.COORDINATOR)
    text = "Nom;Prénom;Téléphone\nLE GOFF;JEAN-PIERRE;06 12 34 56 78\nMartin;Paul;appeler sa soeur\n"
    html = client.post("/participants/import", data={"file": (io.BytesIO(text.encode()), "l.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Le Goff" in html and "Jean-Pierre" in html and "LE GOFF" not in html
    assert "Numéro de téléphone non reconnu" in html
    assert "<strong>1</strong> personne à ajouter" in html and "<strong>1</strong> ligne refusée" in html


def test_french_zero_is_singular(client, auth, make_participant):
    """Does the preview say "0 personne à ajouter" (French puts 0 in the singular), not "0 personnes"?"""
    auth.login(Role.COORDINATOR)
    make_participant("Paul", "Martin")
    text = "Nom;Prénom\nMartin;Paul\n"
    html = client.post("/participants/import", data={"file": (io.BytesIO(text.encode()), "l.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "<strong>0</strong> personne à ajouter" in html
    assert "<strong>0</strong> ligne refusée" in html


def test_english_plurals_and_euro_sign(app):
    """Does English say "1 check-in" / "2 check-ins" (no "(s)") and put € before the amount, French after?"""
    from flask_babel import force_locale, ngettext

    with app.test_request_context():
        with force_locale("en"):
            assert ngettext("%(num)d accueil", "%(num)d accueils", 1) == "1 check-in"
            assert ngettext("%(num)d accueil", "%(num)d accueils", 2) == "2 check-ins"
            assert format_euros(123450) == "€1,234.50"
        with force_locale("fr"):
            assert format_euros(123450).replace("\u202f", " ").replace("\u00a0", " ") == "1 234,50 €"


def test_a_future_day_does_not_say_nobody_came_yet(client, auth):
    """Does the day page for a day still to come say so, instead of "nobody has come yet"?"""
    auth.login(Role.COORDINATOR)
    html = client.get(f"/dashboard?date={(local_day() + timedelta(days=7)).isoformat()}").get_data(as_text=True)
    assert "Ce jour n'est pas encore arrivé." in html and "encore venu" not in html


def test_the_logout_button_names_the_user_once(client, auth, make_user):
    """Is the user's name next to "Se déconnecter" without nested brackets?"""
    auth.login(Role.VOLUNTEER, display_name="Monique (bénévole)")
    html = client.get("/epicerie").get_data(as_text=True)
    assert "Se déconnecter (Monique" not in html and "Monique (bénévole)" in html
