"""What may be stored for a participant: dates within sense, names and phone without control characters."""

from datetime import date, timedelta

import pytest

from kiosk.platform.extensions import db
from kiosk.models import Participant, ProgrammePeriod, Role
from kiosk.people.services import ParticipantError, add_participant, record_exit
from kiosk.platform.timezone import local_day
from tests.imports.test_import import write


def new_person(**changes):
    data = {"first_name": "Inès", "last_name": "Mansour", "phone": "06 01 02 03 04", "household_size": "2",
            "referrer_name": "Mme Briand", "structure": "", "entered_on": local_day().isoformat()}
    return data | changes


def far_ahead() -> str:
    return (local_day() + timedelta(days=366)).isoformat()


@pytest.mark.parametrize("entered_on", ["0001-01-01", "1999-12-31", "9999-12-31", "FAR_AHEAD"])
def test_add_refuses_an_entry_date_out_of_bounds(client, auth, entered_on):
    """Is an entry date before 2000 or more than a year ahead refused next to its field, nothing stored?"""
    auth.login(Role.COORDINATOR)
    entered_on = far_ahead() if entered_on == "FAR_AHEAD" else entered_on
    response = client.post("/participants/new", data=new_person(entered_on=entered_on))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="entered_on-error"' in html
    assert "2000" in html or "un an" in html
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0


@pytest.mark.parametrize("entered_on", ["2000-01-01", "IN_A_YEAR"])
def test_add_accepts_the_bounds(client, auth, entered_on):
    """Are 1 January 2000 and exactly a year from today still accepted?"""
    auth.login(Role.COORDINATOR)
    entered_on = (local_day() + timedelta(days=365)).isoformat() if entered_on == "IN_A_YEAR" else entered_on
    assert client.post("/participants/new", data=new_person(entered_on=entered_on)).status_code == 303


@pytest.mark.parametrize("entered_on", ["9999-12-31", "FAR_AHEAD"])
def test_return_refuses_a_date_out_of_bounds(client, auth, make_participant, entered_on):
    """Is a return dated 9999 (or more than a year ahead) refused, no new period opened?"""
    participant, _code = make_participant(entered_on=local_day() - timedelta(days=30))
    record_exit(participant, local_day() - timedelta(days=5), "other")
    db.session.commit()
    auth.login(Role.COORDINATOR)
    entered_on = far_ahead() if entered_on == "FAR_AHEAD" else entered_on
    response = client.post(f"/participants/{participant.id}/return", data={"entered_on": entered_on})
    assert response.status_code == 422 and 'id="entered_on-error"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ProgrammePeriod.id))) == 1


def test_import_refuses_an_entry_date_out_of_bounds(cli, tmp_path):
    """Is a line entered in 1900 refused with its line number, the other lines imported?"""
    text = "Nom;Prénom;Date d'entrée\nBenali;Fatima;01/01/1900\nHervé;Noëlle;\n"
    _status, output, payload = cli("participant", "import", write(tmp_path, text))
    assert payload["created"] == 1, output
    assert [error["line"] for error in payload["errors"]] == [2]
    assert "Date d'entrée" in payload["errors"][0]["message"]


@pytest.mark.parametrize("changes, field", [
    ({"first_name": "\x00"}, "first_name"),
    ({"first_name": "In\x1bès"}, "first_name"),
    ({"last_name": "Man\x7fsour"}, "last_name"),
    ({"phone": "06\x0001"}, "phone"),
    ({"referrer_name": "Mme\x08Briand"}, "referrer_name"),
])
def test_control_characters_refused(client, auth, changes, field):
    """Is a name, phone or referrer holding a control character (NUL, escape...) refused, nothing stored?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/participants/new", data=new_person(**changes))
    assert response.status_code == 422 and f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0


def test_edit_refuses_control_characters(client, auth, make_participant):
    """Does editing refuse a first name "\\x00", the record unchanged?"""
    participant, _code = make_participant("Awa", "Traoré")
    auth.login(Role.COORDINATOR)
    response = client.post(f"/participants/{participant.id}/edit", data={
        "first_name": "\x00", "last_name": "Traoré", "household_size": "1"})
    assert response.status_code == 422
    db.session.expire_all()
    assert participant.first_name == "Awa"


def test_tabs_and_line_breaks_are_spaces(app):
    """Are tabs and line breaks pasted into a name taken as spaces, not refused?"""
    participant = add_participant("Marie\tClaire", " Le\nGoff ", phone="06\t12 34\n56 78")
    assert (participant.first_name, participant.last_name, participant.phone) == ("Marie Claire", "Le Goff", "+33612345678")


def test_service_refuses_year_one(app):
    """Does the service itself (used by the CLI and the import) refuse an entry on 0001-01-01?"""
    with pytest.raises(ParticipantError) as refused:
        add_participant("Inès", "Mansour", entered_on=date(1, 1, 1))
    assert refused.value.field == "entered_on"
