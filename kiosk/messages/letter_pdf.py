"""A letter's A4 page, drawn with reportlab (loaded only when a letter is printed, not with the app):
laid out for a French DL window envelope, folded in three (see letters.py for what it says).
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from kiosk.centre.services import centre_identity
from kiosk.messages.letters import Letter, body

WIDTH, HEIGHT = A4
LEFT = 22 * mm
WINDOW_LEFT, WINDOW_TOP = 108 * mm, 52 * mm  # inside the window (95-195 mm across, 45-90 mm down)
WINDOW_WIDTH = 82 * mm
FOLDS = (99 * mm, 198 * mm)  # folded in three for the DL envelope
BODY_TOP = 112 * mm
TEXT_WIDTH = WIDTH - 2 * LEFT



DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _fonts() -> tuple[str, str]:
    """DejaVu (every name's letters), else Helvetica."""
    bold = DEJAVU.replace(".ttf", "-Bold.ttf")
    if not (Path(DEJAVU).is_file() and Path(bold).is_file()):
        return "Helvetica", "Helvetica-Bold"
    if "LetterSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("LetterSans", DEJAVU))
        pdfmetrics.registerFont(TTFont("LetterSans-Bold", bold))
    return "LetterSans", "LetterSans-Bold"


def render_letters(letters: list[Letter], today: date) -> bytes:
    """One A4 page per letter, in one PDF."""
    identity = centre_identity(with_logo=False)
    regular, bold = _fonts()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(identity.name or "Courrier")
    canvas.setAuthor(identity.name or "")
    for letter in letters:
        draw_letter(canvas, letter, identity, today, regular, bold)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _y(from_top: float) -> float:
    return HEIGHT - from_top


def draw_letter(canvas: Canvas, letter: Letter, identity, today: date, regular: str, bold: str) -> None:
    # The sender: the centre, top left (outside the window).
    canvas.setFont(bold, 12)
    canvas.drawString(LEFT, _y(22 * mm), identity.name or "")
    canvas.setFont(regular, 10)
    for index, line in enumerate(identity.address_lines[:5]):
        canvas.drawString(LEFT, _y(27.5 * mm + index * 4.6 * mm), line)
    # The recipient, in the envelope's window.
    if letter.recipient:
        canvas.setFont(regular, 11)
        for index, line in enumerate(letter.recipient[:6]):
            canvas.drawString(WINDOW_LEFT, _y(WINDOW_TOP + index * 5 * mm), _fit(canvas, line, regular, 11))
    # Fold marks, in the left margin.
    canvas.setLineWidth(0.3)
    for fold in FOLDS:
        canvas.line(4 * mm, _y(fold), 9 * mm, _y(fold))
    dated, paragraphs, closing = body(letter, identity.name, today)
    canvas.setFont(regular, 11)
    canvas.drawRightString(WIDTH - LEFT, _y(100 * mm), dated)
    y = BODY_TOP
    for paragraph in paragraphs:
        for line in _wrap(canvas, paragraph, regular, 12.5, TEXT_WIDTH):
            canvas.setFont(regular, 12.5)
            canvas.drawString(LEFT, _y(y), line)
            y += 6.2 * mm
        y += 3.5 * mm
    y += 4 * mm
    for line in closing:
        canvas.setFont(regular, 12.5)
        canvas.drawString(LEFT + TEXT_WIDTH / 2, _y(y), line)
        y += 6.2 * mm


def _wrap(canvas: Canvas, text: str, font: str, size: float, width: float) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and canvas.stringWidth(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines


def _fit(canvas: Canvas, text: str, font: str, size: float) -> str:
    """An address line cut to the window's width (La Poste asks for 38 characters at most)."""
    while text and canvas.stringWidth(text, font, size) > WINDOW_WIDTH:
        text = text[:-1]
    return text
