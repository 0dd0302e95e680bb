"""The participants list as a spreadsheet: CSV as French Excel opens it, and XLSX.

CSV: `;`, UTF-8 with a BOM (so Excel reads the accents), CRLF, dates DD/MM/YYYY. Headers are the
ones the import recognises, so an export can be imported on another box. Any text starting with
=, +, -, @ (or a tab or carriage return) is prefixed with ' (kiosk/platform/spreadsheets.py) so that no
spreadsheet runs it as a formula.
"""

import csv
import io
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from kiosk.people.phone import display_phone
from kiosk.labels import exit_reason_label
from kiosk.models import Participant
from kiosk.people.queries import epicerie_ends
from kiosk.platform.spreadsheets import neutralise_formula


def headers() -> list[str]:
    return [
        _("Nom"), _("Prénom"), _("Téléphone"), _("Orienté par"), _("Structure"), _("Personnes au foyer"),
        _("Date d'entrée"), _("Date de sortie"), _("Raison de la sortie"), _("Épicerie jusqu'au"),
    ]


def rows(participants: list[Participant]) -> list[list]:
    """One list of cells per participant: text, numbers and dates (dates stay dates)."""
    ends = epicerie_ends([p.id for p in participants])
    table = []
    for participant in participants:
        last = participant.periods[-1] if participant.periods else None
        referrer = participant.referrer
        table.append([
            participant.last_name,
            participant.first_name,
            display_phone(participant.phone),
            referrer.name if referrer else "",
            (referrer.structure or "") if referrer else "",
            participant.household_size,
            last.entered_on if last else None,
            last.left_on if last else None,
            exit_reason_label(last.exit_reason) if last and last.exit_reason else "",
            ends.get(participant.id),
        ])
    return table


def to_csv(participants: list[Participant]) -> bytes:
    """The CSV file French Excel opens with a double click."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for row in rows(participants):
        writer.writerow([_csv_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    return str(neutralise_formula(cell))


def to_xlsx(participants: list[Participant]) -> bytes:
    """The same list as an Excel workbook, with real dates and numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(participants):
        sheet.append([neutralise_formula(cell) for cell in row])
    for column in ("G", "H", "J"):
        for cell in sheet[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFGHIJ", (20, 18, 16, 22, 24, 10, 13, 13, 22, 13), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
