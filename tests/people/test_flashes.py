"""Messages shown after an action travel in the session cookie (signed, not encrypted): never a name."""

from datetime import timedelta

from kiosk.platform.extensions import db
from kiosk.models import Role
from kiosk.people.services import record_exit
from kiosk.platform.timezone import local_day


def flashed(client) -> str:
    with client.session_transaction() as session:
        return " ".join(message for _category, message in session.get("_flashes", []))


def test_enrolling_flash_has_no_name(client, auth):
    """After adding Inès Mansour, does the waiting message say it is done without her name?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/participants/new", data={
        "first_name": "Inès", "last_name": "Mansour", "household_size": "1", "entered_on": local_day().isoformat()})
    assert response.status_code == 303
    message = flashed(client)
    assert "Inscription enregistrée" in message and "Inès" not in message and "Mansour" not in message


def test_return_flash_has_no_name(client, auth, make_participant):
    """After Awa comes back, does the waiting message say so without her name?"""
    participant, _code = make_participant("Awa", "Traoré", entered_on=local_day() - timedelta(days=30))
    record_exit(participant, local_day() - timedelta(days=5), "other")
    db.session.commit()
    auth.login(Role.COORDINATOR)
    response = client.post(f"/participants/{participant.id}/return", data={"entered_on": local_day().isoformat()})
    assert response.status_code == 303
    message = flashed(client)
    assert "Retour enregistré" in message and "Awa" not in message and "Traoré" not in message
