"""Cards: random codes, replacing a lost card, printed sheets read back by an independent decoder."""

import math
import re
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from kiosk.platform.extensions import db
from kiosk.models import Card, Role
from kiosk.cards.codes import ALPHABET, CODE_LENGTH, code_digest, new_code
from kiosk.cards.qr import QUIET_ZONE, qr_matrix, qr_svg
from kiosk.people.services import record_exit
from kiosk.cards.services import card_code, issue_card
from kiosk.settings import set_setting
from kiosk.platform.timezone import local_day
from tests.people.conftest import decode_pdf

A4_POINTS = (595.2756, 841.8898)


def test_codes_never_repeat_and_carry_128_bits():
    """Do 50,000 fresh codes never repeat, use only the layout-safe letters, and carry at least 128 bits?"""
    codes = [new_code() for _ in range(50_000)]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == CODE_LENGTH and set(code) <= set(ALPHABET) for code in codes)
    assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 128
    # every letter of the alphabet is used about equally: no letter is stuck or missing
    counts = {letter: 0 for letter in ALPHABET}
    for code in codes:
        for letter in code:
            counts[letter] += 1
    expected = len(codes) * CODE_LENGTH / len(ALPHABET)
    assert all(abs(count - expected) < expected * 0.05 for count in counts.values())


def test_code_holds_neither_name_nor_id(make_participant):
    """Is the card's code free of the participant's name and row id?"""
    participant, code = make_participant("Fatima", "Benali")
    assert "FATIMA" not in code and "BENALI" not in code
    assert not re.search(r"\d", code)
    card = db.session.scalar(db.select(Card).where(Card.participant_id == participant.id))
    assert code not in card.code_sealed and card.code_digest == code_digest(code)


def test_issuing_again_revokes_the_old_card(make_participant):
    """After a new card, is exactly one card working, the new one, and the old one revoked?"""
    participant, old_code = make_participant()
    _card, new = issue_card(participant)
    db.session.commit()
    cards = db.session.scalars(db.select(Card).where(Card.participant_id == participant.id)).all()
    working = [card for card in cards if card.revoked_at is None]
    assert len(cards) == 2 and len(working) == 1
    assert working[0].code_digest == code_digest(new)
    old = db.session.scalar(db.select(Card).where(Card.code_digest == code_digest(old_code)))
    assert old.revoked_at is not None


def test_cards_pdf_decodes_to_exactly_the_issued_codes(cli, make_participant, tmp_path):
    """Rendered at 150 dpi in grey, does every QR of the printed sheets read back (zbarimg) as the issued codes?"""
    codes = {}
    for n in range(13):
        participant, code = make_participant(f"Prénom{n}", f"Nom{n}")
        codes[participant.id] = code
    out = tmp_path / "cartes.pdf"
    status, output, _payload = cli("cards", "pdf", "--out", out)
    assert status == 0, output
    assert sorted(decode_pdf(out, tmp_path)) == sorted(codes.values())
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (width, height) == pytest.approx(A4_POINTS, abs=0.5)


def test_printed_card_shows_first_name_initial_and_centre(cli, make_participant, tmp_path):
    """Does a card carry the centre's name, the first name and initial, the instruction, and never the last name?"""
    set_setting("centre_name", "Maison du Landrel")
    make_participant("Noëlle", "Hervé")
    db.session.commit()
    out = tmp_path / "cartes.pdf"
    assert cli("cards", "pdf", "--out", out)[0] == 0
    text = PdfReader(out).pages[0].extract_text()
    assert "Maison du Landrel" in text
    assert "Noëlle H." in text
    assert "Présentez cette carte à l'accueil" in " ".join(text.split())
    assert "Hervé" not in text


def test_ten_cards_fill_one_page_with_cutting_marks(make_participant, tmp_path):
    """Are ten cards one A4 page of 2 × 5 ID-1 cards, with cutting marks in the margins?"""
    from kiosk.cards import printing

    assert printing.CARD_W / printing.mm == pytest.approx(85.6)
    assert printing.CARD_H / printing.mm == pytest.approx(54)
    assert printing.COLUMNS * printing.ROWS == 10
    cards = [printing.PrintedCard("Awa", "T.", new_code()) for _ in range(10)]
    pdf = printing.cards_pdf(cards, "Centre")
    path = tmp_path / "ten.pdf"
    path.write_bytes(pdf)
    assert len(PdfReader(path).pages) == 1
    # the cutting marks: dark pixels in the top margin, in line with the cards' edges
    subprocess.run(["pdftoppm", "-r", "150", "-gray", str(path), str(tmp_path / "ten")], check=True)
    image = Image.open(next(tmp_path.glob("ten*.pgm")))
    px_per_mm = 150 / 25.4
    top_margin_row = round(printing.MARGIN_Y / printing.mm / 2 * px_per_mm)
    for column in range(3):
        x = round((printing.MARGIN_X / printing.mm + column * 85.6) * px_per_mm)
        assert min(image.getpixel((x + dx, top_margin_row)) for dx in (-1, 0, 1)) < 128


def test_qr_is_large_enough_with_error_correction_m():
    """Is the printed QR at least 30 mm wide, and encoded at error correction level M?"""
    from kiosk.cards import printing

    code = new_code()
    size_mm = len(qr_matrix(code)) * printing.MODULE / printing.mm
    assert size_mm >= 30
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    reference = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    reference.add_data(code)
    reference.make(fit=True)
    assert qr_matrix(code) == reference.get_matrix()


def test_cards_pdf_unknown_id_writes_nothing(run_kiosk, make_participant, tmp_path):
    """Does an unknown participant number stop the command with one line on stderr and no file written?"""
    participant, _code = make_participant()
    out = tmp_path / "cartes.pdf"
    result = run_kiosk("cards", "pdf", "--out", out, participant.id, 9999)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1 and "9999" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    result = run_kiosk("cards", "pdf", "--out", out, "douze")
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_cards_pdf_named_ids_only_and_marks_printed(cli, make_participant, tmp_path):
    """With ids given, does the PDF hold exactly those cards, and are they marked printed?"""
    first, first_code = make_participant("Awa", "Traoré")
    _second, second_code = make_participant("Loïc", "Moreau")
    out = tmp_path / "one.pdf"
    assert cli("cards", "pdf", "--out", out, first.id)[0] == 0
    assert decode_pdf(out, tmp_path) == [first_code]
    printed = db.session.scalars(db.select(Card).where(Card.printed_at.is_not(None))).all()
    assert [card.participant_id for card in printed] == [first.id]


def test_cards_pdf_without_ids_prints_active_people_only(cli, make_participant, tmp_path):
    """With no id, are the cards of everyone in the programme printed, and not those who left?"""
    _stays, stays_code = make_participant("Awa", "Traoré")
    left, _left_code = make_participant("Loïc", "Moreau")
    record_exit(left, local_day(), "work")
    db.session.commit()
    out = tmp_path / "all.pdf"
    assert cli("cards", "pdf", "--out", out)[0] == 0
    assert decode_pdf(out, tmp_path) == [stays_code]


def test_replaced_card_prints_the_new_code(cli, make_participant, tmp_path):
    """After a lost card is replaced, does the printed QR hold the new code and not the old one?"""
    participant, old_code = make_participant()
    _card, new = issue_card(participant)
    db.session.commit()
    out = tmp_path / "new.pdf"
    assert cli("cards", "pdf", "--out", out, participant.id)[0] == 0
    assert decode_pdf(out, tmp_path) == [new]
    assert new != old_code


def test_unreadable_unprinted_card_is_replaced_for_printing(app, make_participant):
    """If the box's key changed, is a never-printed card replaced (nobody carries it) but a printed one refused?"""
    from kiosk.cards.services import CardError

    participant, _code = make_participant()
    card = participant.cards[0]
    card.code_sealed = "gAAAA-not-a-token"
    new_card, new = card_code(participant)
    assert new_card is not card and card.revoked_at is not None and new_card.code_digest == code_digest(new)
    new_card.code_sealed = "gAAAA-not-a-token"
    new_card.printed_at = new_card.issued_at
    with pytest.raises(CardError):
        card_code(participant)


def _svg_matrix(svg: str) -> list[list[bool]]:
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1)) - 2 * QUIET_ZONE
    matrix = [[False] * size for _ in range(size)]
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)", svg):
        for dx in range(int(width)):
            matrix[int(y) - QUIET_ZONE][int(x) - QUIET_ZONE + dx] = True
    return matrix


def test_card_on_screen_is_the_working_code(client, auth, make_participant, tmp_path):
    """Does the participant's page QR image (no-store) read back, through zbarimg, as the working code?"""
    auth.login(Role.COORDINATOR)
    participant, code = make_participant()
    response = client.get(f"/participants/{participant.id}/card.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Cache-Control"] == "no-store"
    svg = response.get_data(as_text=True)
    assert code not in svg and "Benali" not in svg
    matrix = _svg_matrix(svg)
    scale, border = 8, QUIET_ZONE * 8
    image = Image.new("L", (len(matrix) * scale + 2 * border,) * 2, 255)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, (border + x * scale, border + y * scale, border + (x + 1) * scale, border + (y + 1) * scale))
    path = tmp_path / "screen.png"
    image.save(path)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, text=True).stdout.split()
    assert decoded == [code]
    assert qr_svg(code) == svg.replace(f"<title>Carte de {participant.first_name}</title>", "")


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.REFERENT])
def test_card_image_is_for_coordinators_only(client, auth, make_participant, role):
    """Is a card's QR refused to volunteers and referents, and to someone not logged in?"""
    participant, _code = make_participant()
    assert client.get(f"/participants/{participant.id}/card.svg").status_code in (302, 303)
    auth.login(role)
    assert client.get(f"/participants/{participant.id}/card.svg").status_code == 403


def test_replace_asks_then_revokes(client, auth, make_participant):
    """Does the replace screen ask first (nothing changes on GET), then the POST revoke the old card?"""
    auth.login(Role.COORDINATOR)
    participant, old_code = make_participant()
    page = client.get(f"/participants/{participant.id}/card/replace")
    assert page.status_code == 200 and "Oui, remplacer la carte" in page.get_data(as_text=True)
    old = db.session.scalar(db.select(Card).where(Card.code_digest == code_digest(old_code)))
    assert old.revoked_at is None
    response = client.post(f"/participants/{participant.id}/card/replace")
    assert response.status_code == 303
    db.session.expire_all()
    assert old.revoked_at is not None
    assert db.session.scalar(
        db.select(db.func.count(Card.id)).where(Card.participant_id == participant.id, Card.revoked_at.is_(None))
    ) == 1


def test_print_one_card_from_the_screen(client, auth, make_participant, tmp_path):
    """Does the participant page's print button give a PDF of their working card and mark it printed?"""
    auth.login(Role.COORDINATOR)
    participant, code = make_participant()
    response = client.post(f"/participants/{participant.id}/card/print")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    path = tmp_path / "one.pdf"
    path.write_bytes(response.data)
    assert decode_pdf(path, tmp_path) == [code]
    db.session.expire_all()
    assert participant.cards[0].printed_at is not None


def test_print_all_unprinted_cards_from_the_screen(client, auth, make_participant, tmp_path):
    """Does "print the cards not yet printed" print exactly those, then say there is nothing left?"""
    auth.login(Role.COORDINATOR)
    printed, _printed_code = make_participant("Awa", "Traoré")
    printed.cards[0].printed_at = printed.cards[0].issued_at
    _one, one_code = make_participant("Loïc", "Moreau")
    _two, two_code = make_participant("Inès", "Mansour")
    db.session.commit()
    assert "Imprimer les 2 cartes" in client.get("/participants").get_data(as_text=True)
    response = client.post("/participants/cards/print")
    assert response.mimetype == "application/pdf"
    path = tmp_path / "batch.pdf"
    path.write_bytes(response.data)
    assert sorted(decode_pdf(path, tmp_path)) == sorted([one_code, two_code])
    again = client.post("/participants/cards/print")
    assert again.status_code == 303
    assert "déjà imprimées" in client.get(again.headers["Location"]).get_data(as_text=True)
