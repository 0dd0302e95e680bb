"""Dates and text an attacker slipped in: year 0, an access until 9999, names that turn the screen
around or show nothing, a volunteer backdating a check-in."""

from datetime import date, timedelta

import pytest

from kiosk.models import CheckIn, DeviceKind, Role
from kiosk.people.services import ParticipantError, add_participant, open_epicerie_access
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day, utcnow
from tests.people.conftest import cli  # noqa: F401  (the fixture)


@pytest.mark.parametrize("raw", ["01/01/0000", "01/01/0001", "31/12/9999", "0000-01-01"])
def test_impossible_years_in_an_import_are_refused_on_their_line(cli, tmp_path, raw):  # noqa: F811
    """Is 01/01/0000 refused on its line rather than imported as 2000-01-01?"""
    path = tmp_path / "liste.csv"
    path.write_text(f"Nom;Prénom;Date d'entrée\nMartin;Kevin;{raw}\n", encoding="utf-8")
    _status, _output, payload = cli("participant", "import", path)
    assert payload["created"] == 0 and payload["errors"][0]["line"] == 2


def test_two_digit_years_still_mean_this_century(cli, tmp_path):  # noqa: F811
    """Is 01/10/26 still read as 1 October 2026?"""
    path = tmp_path / "liste.csv"
    path.write_text("Nom;Prénom;Date d'entrée\nMartin;Kevin;01/10/26\n", encoding="utf-8")
    assert cli("participant", "import", path)[2]["created"] == 1


def test_an_access_until_9999_is_refused(app):
    """Is an épicerie access ending 31/12/9999 refused (ten years at most), one of a year accepted?"""
    participant = add_participant("Inès", "Mansour")
    with pytest.raises(ParticipantError) as refused:
        open_epicerie_access(participant, date(9999, 12, 31))
    open_epicerie_access(participant, local_day() + timedelta(days=365))


@pytest.mark.parametrize("first_name", ["Ali\u202eecilA", "\u200b", "\u200b\u200b \u2066", "Mar\u2067ie"])
def test_names_that_turn_the_text_around_or_show_nothing_are_refused(app, first_name):
    """Is a first name with a direction override, or made only of zero-width characters, refused?"""
    with pytest.raises(ParticipantError):
        add_participant(first_name, "Martin")


def test_a_persian_name_with_its_zero_width_non_joiner_is_kept(app):
    """Is a name that needs U+200C (Persian) still accepted?"""
    assert add_participant("مهر\u200cناز", "Karimi").first_name == "مهر\u200cناز"


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.COORDINATOR])
def test_only_a_kiosk_may_date_a_scan(client, auth, make_participant, role):
    """Does a volunteer's (or coordinator's) scanned_at get 422 on the field, nothing stored?"""
    auth.login(role)
    _participant, code = make_participant()
    response = client.post("/api/checkins", json={"code": code, "scanned_at": (utcnow() - timedelta(days=6)).isoformat()})
    assert response.status_code == 422 and "scanned_at" in response.get_json()["errors"]
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 0


def test_a_tablet_cannot_date_a_scan_either(app, make_device, make_participant):
    """Is a scanned_at from a tablet refused too (it may not check in at all: 403)?"""
    tablet = make_device(DeviceKind.TABLET)
    _participant, code = make_participant()
    response = tablet.post("/api/checkins", json={"code": code, "scanned_at": utcnow().isoformat()})
    assert response.status_code in (403, 422)
