"""Printed cards: A4 sheets of ID-1 cards (85.6 × 54 mm), ten to a page, with cutting marks.

Each card: the centre's logo (if it has one) and name, the participant's first name and initial, a QR code of 34 mm
(error correction M, drawn as vectors so any printer renders it sharp) and a pictogram with
"Présentez cette carte à l'accueil". The card speaks the centre's language, French, whatever
language the coordinator's screen is in.
"""

import io
import os
from dataclasses import dataclass

from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from kiosk.cards.qr import QUIET_ZONE, qr_matrix
from kiosk.audit import AuditAction, record_audit
from kiosk.cards.services import card_code, mark_printed
from kiosk.platform.extensions import db
from kiosk.centre.services import centre_identity

CARD_W, CARD_H = 85.6 * mm, 54 * mm
COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
PAGE_W, PAGE_H = A4
MARGIN_X = (PAGE_W - COLUMNS * CARD_W) / 2
MARGIN_Y = (PAGE_H - ROWS * CARD_H) / 2
PAD = 4.5 * mm
# The QR's modules fall on whole pixels at 150, 300 and 600 dpi: 8 pixels at 150 dpi, 1.35 mm, so
# 25 modules make 33.9 mm. Off-grid modules alias when rendered, and a decoder facing ten codes
# aligned on a sheet then misses some; on the grid, every one of them reads.
GRID = 72 / 150  # points per pixel at 150 dpi
MODULE = 8 * GRID
QR_RIGHT = 6 * mm  # white between the symbol and the card's edge: more than the 4-module quiet zone
INSTRUCTION = "Présentez cette carte à l'accueil"
BRAND = Color(0.043, 0.365, 0.294)
OUTLINE = Color(0.82, 0.82, 0.82)
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
LOGO_H, LOGO_W = 7 * mm, 30 * mm  # the logo above the centre's name


@dataclass(frozen=True)
class PrintedCard:
    """What goes on one card: never the full last name, never the participant's number."""

    first_name: str
    last_initial: str
    code: str


def _fonts() -> tuple[str, str]:
    """DejaVu Sans when the system has it (every accent and script); Helvetica otherwise."""
    regular, bold = os.path.join(FONT_DIR, "DejaVuSans.ttf"), os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf")
    if not (os.path.exists(regular) and os.path.exists(bold)):
        return "Helvetica", "Helvetica-Bold"
    if "CardSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("CardSans", regular))
        pdfmetrics.registerFont(TTFont("CardSans-Bold", bold))
    return "CardSans", "CardSans-Bold"


def cards_pdf(cards: list[PrintedCard], centre_name: str, logo_png: bytes | None = None) -> bytes:
    """The PDF of the cards, ten to an A4 page, in the order given (with the centre's logo, if it has one)."""
    logo = ImageReader(io.BytesIO(logo_png)) if logo_png else None  # embedded once, drawn on every card
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle("Cartes")
    canvas.setAuthor(centre_name)
    fonts = _fonts()
    for start in range(0, len(cards), PER_PAGE):
        _cutting_marks(canvas)
        for index, card in enumerate(cards[start:start + PER_PAGE]):
            column, row = index % COLUMNS, index // COLUMNS
            x = MARGIN_X + column * CARD_W
            y = PAGE_H - MARGIN_Y - (row + 1) * CARD_H
            _card(canvas, x, y, card, centre_name, fonts, logo)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _cutting_marks(canvas: Canvas) -> None:
    """Short lines in the margins where the guillotine or scissors go."""
    canvas.saveState()
    canvas.setStrokeColor(black)
    canvas.setLineWidth(0.3)
    gap, length = 2 * mm, 7 * mm
    top, bottom = PAGE_H - MARGIN_Y, MARGIN_Y
    left, right = MARGIN_X, PAGE_W - MARGIN_X
    for column in range(COLUMNS + 1):
        x = MARGIN_X + column * CARD_W
        canvas.line(x, top + gap, x, top + gap + length)
        canvas.line(x, bottom - gap, x, bottom - gap - length)
    for row in range(ROWS + 1):
        y = MARGIN_Y + row * CARD_H
        canvas.line(left - gap, y, left - gap - length, y)
        canvas.line(right + gap, y, right + gap + length, y)
    canvas.restoreState()


def _logo(canvas: Canvas, logo, top: float) -> float:
    """The logo in the card's top-left corner, at most LOGO_H high and LOGO_W wide; returns its height."""
    width, height = logo.getSize()
    scale = min(LOGO_H / height, LOGO_W / width)
    canvas.drawImage(logo, PAD, top - height * scale, width * scale, height * scale, mask="auto")
    return height * scale


def _card(canvas: Canvas, x: float, y: float, card: PrintedCard, centre_name: str, fonts, logo=None) -> None:
    regular, bold = fonts
    canvas.saveState()
    canvas.translate(x, y)
    canvas.setStrokeColor(OUTLINE)
    canvas.setLineWidth(0.25)
    canvas.rect(0, 0, CARD_W, CARD_H, stroke=1, fill=0)

    matrix = qr_matrix(card.code)
    qr_size = len(matrix) * MODULE
    qr_x = _snap(x + CARD_W - QR_RIGHT - qr_size) - x
    qr_top = PAGE_H - _snap(PAGE_H - (y + (CARD_H + qr_size) / 2)) - y
    text_width = qr_x - QUIET_ZONE * MODULE - PAD
    _qr(canvas, matrix, qr_x, qr_top)

    top = CARD_H - PAD
    if logo is not None:  # above the centre's name, which keeps the text's full width
        top -= _logo(canvas, logo, top) + 1.2 * mm
    canvas.setFillColor(BRAND)
    size = 8.0 if logo is None else 7.0
    while size > 6 and len(simpleSplit(centre_name, bold, size, text_width)) > 2:
        size -= 0.5
    canvas.setFont(bold, size)
    lines = simpleSplit(centre_name, bold, size, text_width)
    if len(lines) > 2:  # a name too long for two lines says so rather than stop mid-phrase
        second = lines[1]
        while second and pdfmetrics.stringWidth(second + "…", bold, size) > text_width:
            second = second[:-1]
        lines = [lines[0], second.rstrip() + "…"]
    for n, line in enumerate(lines):
        canvas.drawString(PAD, top - size - n * size * 1.2, line)

    name = f"{card.first_name} {card.last_initial}".strip()
    size = 17.0
    while size > 8 and pdfmetrics.stringWidth(name, bold, size) > text_width:
        size -= 0.5
    while len(name) > 1 and pdfmetrics.stringWidth(name, bold, size) > text_width:
        name = name[:-2] + "…"
    canvas.setFillColor(black)
    canvas.setFont(bold, size)
    canvas.drawString(PAD, CARD_H / 2 - size * 0.1, name)

    _pictogram(canvas, PAD, PAD, 11 * mm)
    canvas.setFont(regular, 7)
    instruction = simpleSplit(INSTRUCTION, regular, 7, text_width - 13 * mm)[:3]
    line_y = PAD + 8 * len(instruction) - 6
    for line in instruction:
        canvas.drawString(PAD + 13 * mm, line_y, line)
        line_y -= 8
    canvas.restoreState()


def _snap(value: float) -> float:
    """A distance (from the page's left or top edge) rounded to the 150 dpi pixel grid."""
    return round(value / GRID) * GRID


def _qr(canvas: Canvas, matrix: list[list[bool]], x: float, top: float) -> None:
    """The QR symbol as one filled path of dark runs (no seams between modules); top is its upper edge."""
    module = MODULE
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        bottom = top - (row_index + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            path.rect(x + start * module, bottom, (column - start) * module, module)
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)


def _pictogram(canvas: Canvas, x: float, y: float, size: float) -> None:
    """A card with a QR pattern, an arrow, and the reception desk's screen."""
    unit = size / 11
    canvas.saveState()
    canvas.setStrokeColor(black)
    canvas.setFillColor(white)
    canvas.setLineWidth(0.6)
    # the card
    canvas.roundRect(x, y + 3 * unit, 4.5 * unit, 6 * unit, 0.6 * unit, stroke=1, fill=1)
    canvas.setFillColor(black)
    for dx, dy in ((0.8, 6.6), (2.6, 6.6), (0.8, 4.8)):
        canvas.rect(x + dx * unit, y + (dy + 0.2) * unit, 1.1 * unit, 1.1 * unit, stroke=0, fill=1)
    # the arrow
    canvas.setLineWidth(0.8)
    canvas.line(x + 5.2 * unit, y + 6 * unit, x + 7.2 * unit, y + 6 * unit)
    arrow = canvas.beginPath()
    arrow.moveTo(x + 7.6 * unit, y + 6 * unit)
    arrow.lineTo(x + 6.7 * unit, y + 6.7 * unit)
    arrow.lineTo(x + 6.7 * unit, y + 5.3 * unit)
    arrow.close()
    canvas.drawPath(arrow, stroke=0, fill=1)
    # the screen on its stand
    canvas.setFillColor(white)
    canvas.setLineWidth(0.6)
    canvas.rect(x + 8 * unit, y + 4.2 * unit, 3 * unit, 3.8 * unit, stroke=1, fill=1)
    canvas.line(x + 9.5 * unit, y + 4.2 * unit, x + 9.5 * unit, y + 2 * unit)
    canvas.line(x + 8.3 * unit, y + 2 * unit, x + 10.7 * unit, y + 2 * unit)
    canvas.restoreState()


def print_cards(participants: list) -> tuple[bytes, list]:
    """The PDF of these participants' working cards (issuing one where needed); marks them printed.

    All or nothing: a card that cannot be read back (CardError) leaves no card issued.
    """
    entries, cards = [], []
    with db.session.begin_nested():
        for participant in participants:
            card, code = card_code(participant)
            entries.append(PrintedCard(participant.first_name, participant.initial, code))
            cards.append(card)
    identity = centre_identity()
    pdf = cards_pdf(entries, identity.name, identity.logo_png)
    mark_printed(cards)
    one = participants[0].id if len(participants) == 1 else None
    record_audit(AuditAction.CARD_PRINT, "participant", one, {"cards": len(cards)})
    return pdf, cards


def page_count(cards: int) -> int:
    return -(-cards // PER_PAGE)
