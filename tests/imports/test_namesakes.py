"""Imports and lists with people already known under the same name: flagged, chosen, told apart."""

import io
import re
from datetime import date, timedelta

from kiosk.models import Participant, Role
from kiosk.people.services import record_exit
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day

HEADER = "Nom;Prénom;Orienté par;Personnes au foyer\n"


def preview(client, text: str) -> tuple[str, str]:
    """Upload a CSV to the import page: (the preview's HTML, its token)."""
    response = client.post("/participants/import", data={"file": (io.BytesIO(text.encode()), "liste.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html, re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)


def people_named(last_name: str) -> list[Participant]:
    return db.session.scalars(db.select(Participant).where(Participant.last_name == last_name)).all()


def test_preview_flags_known_names_whatever_the_referrer_spelling_or_exit(client, auth, make_participant):
    """Are rows whose name is known (another referrer, case, accents or hyphen apart, or someone who left)
    flagged with what tells the known person apart, while a new name and an exact repeat are not?"""
    auth.login(Role.COORDINATOR)
    known, _c = make_participant("Fatima", "Benali", referrer_name="Mme Briand", household_size=3)
    left, _c = make_participant("Jean-Pierre", "Le Goff", referrer_name="M. Roux")
    record_exit(left, local_day(), "moved")
    db.session.commit()
    html, _token = preview(client, HEADER + "BENALI;fatima;M. Durand;2\nle goff;Jean Pierre;;1\n"
                                            "Martin;Paul;;1\nBenali;Fatima;Mme Briand;3\n")
    assert "2 personnes peut-être déjà connues" in html
    assert 'name="same-2" value="%d" checked' % known.id in html
    assert 'name="same-3" value="%d" checked' % left.id in html
    assert 'name="same-4"' not in html and 'name="same-5"' not in html
    check = html[html.index("check-title"):html.index('id="confirm-import"')]
    assert "Mme Briand · 3 personnes au foyer" in check and "sorti·e du programme" in check
    assert "carte …" in check


def test_same_person_is_a_return_and_new_person_is_created(client, auth, make_participant):
    """On confirmation, does "same person" bring back the one who left (no new record, a working card),
    and "a new person" create one?"""
    auth.login(Role.COORDINATOR)
    left, _c = make_participant("Fatima", "Benali", referrer_name="Mme Briand")
    record_exit(left, local_day(), "moved", stop_card=True)
    other, _c = make_participant("Paul", "Martin", referrer_name="Mme Briand")
    db.session.commit()
    until = (local_day() + timedelta(days=30)).strftime("%d/%m/%Y")
    _html, token = preview(client, "Nom;Prénom;Orienté par;Épicerie jusqu'au\n"
                                   f"Benali;Fatima;M. Durand;{until}\nMartin;Paul;M. Durand;\n")
    response = client.post("/participants/import/confirm",
                           data={"token": token, "same-2": str(left.id), "same-3": "new"})
    assert response.status_code == 303
    db.session.expire_all()
    assert [p.id for p in people_named("Benali")] == [left.id]
    assert left.is_active and any(card.revoked_at is None for card in left.cards)
    assert len(people_named("Martin")) == 2 and other.is_active


def test_a_forged_choice_creates_the_person(client, auth, make_participant):
    """Is a "same person" answer naming someone who is not one of the row's namesakes ignored (a new person)?"""
    auth.login(Role.COORDINATOR)
    make_participant("Fatima", "Benali", referrer_name="Mme Briand")
    stranger, _c = make_participant("Paul", "Martin")
    _html, token = preview(client, HEADER + "Benali;Fatima;M. Durand;1\n")
    client.post("/participants/import/confirm", data={"token": token, "same-2": str(stranger.id)})
    assert len(people_named("Benali")) == 2


def test_the_command_still_skips_only_exact_repeats(cli, make_participant, tmp_path):
    """Does `kiosk participant import` keep CONTRACT.md's rule: only the same first, last name and referrer skipped?"""
    make_participant("Fatima", "Benali", referrer_name="Mme Briand")
    path = tmp_path / "liste.csv"
    path.write_text(HEADER + "Benali;Fatima;M. Durand;1\nBenali;Fatima;Mme Briand;1\n", encoding="utf-8")
    code, _out, summary = cli("participant", "import", str(path))
    assert code == 0 and summary == {"created": 1, "skipped": 1, "errors": []}


def test_tablet_search_tells_namesakes_apart(make_device, make_participant):
    """Does the tablet's household search tell two "Fatima Benali" apart (referrer, household, card), and
    add nothing to a name nobody shares?"""
    from kiosk.models import DeviceKind

    until = date.today() + timedelta(days=60)  # a tablet sees households with open access only
    make_participant("Fatima", "Benali", referrer_name="Mme Briand", household_size=3, epicerie_until=until)
    make_participant("Fatima", "BENALI", referrer_name="M. Durand", epicerie_until=until)
    make_participant("Paul", "Benali", epicerie_until=until)
    tablet = make_device(DeviceKind.TABLET)
    found = tablet.get("/api/households?q=benali").get_json()
    details = {h["first_name"] + h["last_name"] + str(h["household_size"]): h["tell_apart"] for h in found}
    assert details["PaulBenali1"] is None
    assert details["FatimaBenali3"].startswith("Mme Briand · 3 personnes au foyer · carte …")
    assert details["FatimaBenali1"].startswith("M. Durand · 1 personne au foyer · carte …")
