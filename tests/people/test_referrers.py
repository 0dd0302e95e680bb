"""One lookup of referrers for the whole application: any case, accents or spacing, the first recorded."""

import pytest

from kiosk.platform.extensions import db
from kiosk.models import Participant, Referrer, Role
from kiosk.people.referrers import ReferrerError, find_or_create_referrer, find_referrer


def names() -> list[str]:
    return db.session.scalars(db.select(Referrer.name).order_by(Referrer.id)).all()


def test_any_spelling_finds_the_same_referrer(app):
    """Do "mme  briand", "MME BRIÂND" and "Mme Briand" all give the one Mme Briand, never a second one?"""
    briand = find_or_create_referrer("Mme Briand", "CDAS Rennes Sud")
    for spelling in ("mme  briand", "MME BRIÂND", " Mme\tBriand "):
        assert find_referrer(spelling) is briand
        assert find_or_create_referrer(spelling) is briand
    assert names() == ["Mme Briand"]
    assert find_referrer("Mme Brian") is None and find_referrer("") is None and find_referrer(None) is None


def test_the_first_recorded_wins_every_time(app):
    """With two spellings already stored (older data), is the lowest id always the one found?"""
    db.session.add_all([Referrer(name="M. Texier"), Referrer(name="m. texier"), Referrer(name="M. TEXIER")])
    db.session.flush()
    first = db.session.scalar(db.select(Referrer).where(Referrer.name == "M. Texier"))
    for spelling in ("M. TEXIER", "m. texier", "M. Texiér"):
        assert find_referrer(spelling) is first


def test_structure_filled_in_when_missing_only(app):
    """Is a structure given later filled in when the referrer had none, and never overwritten by the lookup?"""
    referrer = find_or_create_referrer("Mme Briand")
    assert find_or_create_referrer("mme briand", "CDAS Rennes Sud").structure == "CDAS Rennes Sud"
    assert find_or_create_referrer("MME BRIAND", "CCAS Vern").structure == "CDAS Rennes Sud"
    assert referrer.structure == "CDAS Rennes Sud"


@pytest.mark.parametrize("name", ["", "   ", "x" * 121, "Mme\x00Briand", "--"])
def test_bad_names_refused(app, name):
    """Is an empty, too long or control-character name refused in plain French, nothing stored?"""
    with pytest.raises(ReferrerError):
        find_or_create_referrer(name)
    assert names() == []


def test_a_dash_in_a_spreadsheet_means_no_referrer(cli, tmp_path):
    """Is "-" in the referrer column read as nobody, the line imported without a referrer?"""
    from tests.imports.test_import import write

    _status, output, payload = cli("participant", "import", write(tmp_path, "Nom;Prénom;Orienté par\nBenali;Fatima;-\n"))
    assert payload == {"created": 1, "skipped": 0, "errors": []}, output
    assert names() == [] and db.session.scalar(db.select(Participant)).referrer is None


def test_adding_and_editing_participants_use_the_same_lookup(client, auth):
    """Do the add and edit forms attach "MME BRIAND" to the Mme Briand already known?"""
    find_or_create_referrer("Mme Briand", "CDAS Rennes Sud")
    db.session.commit()
    auth.login(Role.COORDINATOR)
    data = {"first_name": "Inès", "last_name": "Mansour", "household_size": "1", "entered_on": "2026-11-02",
            "referrer_name": "MME BRIAND", "structure": ""}
    assert client.post("/participants/new", data=data).status_code == 303
    ines = db.session.scalar(db.select(Participant))
    response = client.post(f"/participants/{ines.id}/edit", data={**data, "referrer_name": "mme  briand"})
    assert response.status_code == 303
    db.session.expire_all()
    assert names() == ["Mme Briand"] and ines.referrer.name == "Mme Briand"
    assert ines.referrer.structure == "CDAS Rennes Sud"

