"""Letters: one A4 page per person for a DL window envelope, the centre as sender, the first name only
in the body; the optional postal address (letters only, coordinators only, erased on anonymisation);
letters on the person's follow-up log. The PDFs are read back with poppler (pdftotext -bbox)."""

import re
import subprocess
from datetime import date, timedelta
from html import unescape

from kiosk.centre.services import update_identity
from kiosk.messages.letters import set_postal_address
from kiosk.messages.sender import send_due
from kiosk.models import Channel, OutboxMessage, PostalAddress, Role, Step
from kiosk.platform.extensions import db
from kiosk.privacy.services import anonymise_participant
from tests.messages.conftest import at

MM = 72 / 25.4  # PDF points per millimetre
THURSDAYS = [date(2026, 10, 1) + timedelta(weeks=n) for n in range(8)]
ADDRESS = "12 rue des Lilas\nBât. B, appt 4\n35000 Rennes"


def words(pdf: bytes, tmp_path, page: int = 1) -> list[tuple[str, float, float]]:
    """The words of a page with where they sit, in millimetres from the top left (pdftotext -bbox)."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                          check=True, capture_output=True, text=True).stdout
    return [(unescape(word), float(x) / MM, float(y) / MM) for x, y, word in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', html)]


def pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def in_window(x: float, y: float) -> bool:
    """Inside a French DL envelope's window once the A4 is folded in three (95-195 mm across, 45-90 down)."""
    return 95 <= x <= 195 and 45 <= y <= 90


def letter_person(person, came, address=ADDRESS, **kwargs):
    """A person who prefers paper and has missed six workshops in a row: the ladder's letter is due."""
    fatima = person(consent=False, channel="letter", **kwargs)
    regular = person("Marc", "Petit", consent=False)
    came(THURSDAYS[0], fatima, regular)
    for day in THURSDAYS[1:7]:
        came(day, regular)
    if address:
        set_postal_address(fatima, address)
        db.session.commit()
    return fatima


def test_letter_for_a_window_envelope(app, client, auth, person, came, tmp_path):
    """Is the recipient block in the envelope's window, the centre top left, the first name only in the body?"""
    auth.login()
    update_identity("Centre social Les Tilleuls", "4 place du Marché\n35000 Rennes", "")
    db.session.commit()
    fatima = letter_person(person, came)
    send_due(at("2026-11-13 10:00"))
    letter = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.step == Step.LETTER)).one()
    response = client.get(f"/messages/letters/{letter.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    placed = words(response.data, tmp_path)
    text = " ".join(word for word, _x, _y in placed)
    for word in ("BENALI", "Lilas", "35000", "Rennes"):
        (x, y) = next((x, y) for w, x, y in placed if w == word and x > 90)
        assert in_window(x, y), (word, x, y)
    for word in ("Centre", "place"):
        (x, y) = next((x, y) for w, x, y in placed if w == word)
        assert x < 40 and y < 45, (word, x, y)  # the sender, top left, above the window
    body = [w for w, x, y in placed if y > 100]
    assert "Fatima," in body and "Benali" not in " ".join(body) and "BENALI" not in body
    assert re.search(r"le jeudi \d+ \w+ à 14:00", text)  # the next workshop after the day it is printed
    assert "Les Tilleuls" in text
    render = subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-", str(tmp_path / "page")],
                            input=response.data, check=True, capture_output=True)
    assert render.returncode == 0 and list(tmp_path.glob("page*.png"))


def test_letter_without_address_is_handed_over(app, client, auth, person, came, tmp_path):
    """Without a postal address: the same letter, no address block (to hand over), no last name anywhere."""
    auth.login()
    letter_person(person, came, address=None)
    send_due(at("2026-11-13 10:00"))
    letter = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.step == Step.LETTER)).one()
    placed = words(client.get(f"/messages/letters/{letter.id}.pdf").data, tmp_path)
    assert not [w for w, x, y in placed if in_window(x, y)]
    assert "Fatima," in [w for w, _x, _y in placed]
    assert not [w for w, _x, _y in placed if w.lower() == "benali"]


def test_letter_in_the_persons_language(app, client, auth, person, came, tmp_path):
    """A person whose language is English gets the letter in English."""
    auth.login()
    letter_person(person, came, language="en")
    send_due(at("2026-11-13 10:00"))
    letter = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.step == Step.LETTER)).one()
    text = " ".join(w for w, _x, _y in words(client.get(f"/messages/letters/{letter.id}.pdf").data, tmp_path))
    assert "Hello Fatima," in text and "Bonjour" not in text


def test_letters_page_prints_all_and_the_log_shows_them(app, client, auth, person, came, tmp_path):
    """Does the letters page list the letters (post or by hand) and print them all in one PDF, one page each?"""
    auth.login()
    fatima = letter_person(person, came)
    send_due(at("2026-11-13 10:00"))  # the "we miss you" letter and the ladder's letter
    page = client.get("/messages/letters").get_data(as_text=True)
    assert page.count("par la poste") == 2 and "Tout imprimer (2 courriers)" in page
    all_pdf = client.get("/messages/letters/recent.pdf")
    assert all_pdf.status_code == 200 and pages(all_pdf.data, tmp_path) == 2
    person_page = client.get(f"/participants/{fatima.id}").get_data(as_text=True)
    assert "prêt à imprimer" in person_page and "/messages/letters/" in person_page


def test_letter_asked_for_lands_on_the_log(app, client, auth, person):
    """A letter asked for on the person's page is on their log and opens as a PDF."""
    auth.login()
    fatima = person(consent=False, channel="letter")
    response = client.post(f"/messages/participant/{fatima.id}/letter")
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).mimetype == "application/pdf"
    (letter,) = db.session.scalars(db.select(OutboxMessage)).all()
    assert letter.channel == Channel.LETTER and letter.participant_id == fatima.id
    assert "Courrier" in client.get(f"/participants/{fatima.id}").get_data(as_text=True)


def test_postal_address_form(app, client, auth, person):
    """Is the address kept, refused when it would not fit the window, erased when blank, for coordinators only?"""
    auth.login()
    fatima = person()
    client.post(f"/messages/participant/{fatima.id}/address", data={"postal_address": "  12 rue des Lilas \n\n35000  Rennes"})
    assert db.session.get(PostalAddress, fatima.id).lines == "12 rue des Lilas\n35000 Rennes"
    too_long = client.post(f"/messages/participant/{fatima.id}/address",
                           data={"postal_address": "x" * 39}, follow_redirects=True).get_data(as_text=True)
    assert "38 caractères" in too_long
    assert db.session.get(PostalAddress, fatima.id).lines == "12 rue des Lilas\n35000 Rennes"
    assert "12 rue des Lilas" in client.get(f"/participants/{fatima.id}").get_data(as_text=True)
    client.post(f"/messages/participant/{fatima.id}/address", data={"postal_address": ""})
    assert db.session.get(PostalAddress, fatima.id) is None
    auth.login(Role.VOLUNTEER)
    assert client.post(f"/messages/participant/{fatima.id}/address", data={"postal_address": "1 rue"}).status_code == 403
    assert client.get("/messages/letters").status_code == 403


def test_anonymisation_erases_the_address_and_the_words(app, person):
    """Anonymising a person erases their postal address and their messages' words (steps and statuses stay)."""
    fatima = person()
    set_postal_address(fatima, ADDRESS)
    send_due(at("2026-10-14 10:00"))
    anonymise_participant(fatima, "test")
    db.session.commit()
    assert db.session.get(PostalAddress, fatima.id) is None
    message = db.session.scalars(db.select(OutboxMessage)).one()
    assert message.text == "" and message.step == Step.REMINDER


def test_address_in_what_the_person_can_see_and_take(app, client, auth, person):
    """Is the postal address on the person's data page and in their JSON file (right of access)?"""
    auth.login()
    fatima = person()
    set_postal_address(fatima, ADDRESS)
    db.session.commit()
    assert "12 rue des Lilas" in client.get(f"/confidentialite/participants/{fatima.id}").get_data(as_text=True)
    data = client.get(f"/confidentialite/participants/{fatima.id}/donnees.json").get_json()
    assert data["participant"]["postal_address"] == ADDRESS
