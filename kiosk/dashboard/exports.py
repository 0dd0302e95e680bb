"""The period report as an Excel workbook: real numbers, euro format, French headers, one sheet a section.

Text that a spreadsheet could take for a formula (starting with = + - @) is neutralised with a
leading apostrophe (kiosk/platform/spreadsheets.py), the usual defence against formula injection.
"""

from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kiosk.dashboard.formatting import short_day
from kiosk.dashboard.labels import EXIT_REASONS, NO_STRUCTURE, label
from kiosk.dashboard.reports import PeriodReport
from kiosk.platform.spreadsheets import neutralise_formula

EURO = '#,##0.00\\ "€"'
KILOS = "#,##0.0"
INTEGER = "#,##0"
DECIMAL = "#,##0.0"
PERCENT = "0.0%"
MONTH = "mmmm yyyy"
HEADER_FILL = PatternFill("solid", fgColor="E8EEEB")


def _euros(cents: int) -> float:
    return round((cents or 0) / 100, 2)


def _kilos(grams: int) -> float:
    return round((grams or 0) / 1000, 3)


def _ratio(percent: float | None) -> float | None:
    return None if percent is None else percent / 100


def _sheet(book: Workbook, title: str, headers: list[str], rows: list[list], formats: list[str | None], widths=None):
    """A sheet with a bold header row, frozen below it, and number formats by column."""
    sheet = book.create_sheet(title=title[:31])
    sheet.append([neutralise_formula(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([neutralise_formula(value) for value in row])
        for cell, number_format in zip(sheet[sheet.max_row], formats):
            if number_format and cell.value is not None:
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths or [34] + [16] * (len(headers) - 1), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def summary_rows(report: PeriodReport) -> list[tuple[str, float | int | None, str]]:
    """The report's headline figures: (label, value, number format)."""
    return [
        (_("Personnes accompagnées sur la période"), report.followed, INTEGER),
        (_("Personnes venues au moins une fois"), report.came, INTEGER),
        (_("Entrées dans le programme"), report.entries, INTEGER),
        (_("Sorties du programme"), report.exits_total, INTEGER),
        (_("Ateliers tenus"), report.workshop_days, INTEGER),
        (_("Présences"), report.checkins, INTEGER),
        (_("Moyenne de présents par atelier"), report.average_attendance, DECIMAL),
        (_("Paniers"), report.baskets, INTEGER),
        (_("Foyers servis"), report.households, INTEGER),
        (_("Kilos distribués"), _kilos(report.weight_g), KILOS),
        (_("Valeur des denrées"), _euros(report.value_cents), EURO),
        (_("Participation des familles"), _euros(report.paid_cents), EURO),
        (_("Part payée par les familles"), _ratio(report.share_percent), PERCENT),
    ]


def report_xlsx(report: PeriodReport, centre_name: str) -> bytes:
    """The workbook of a period's report."""
    book = Workbook()
    book.remove(book.active)
    period = _("Du %(start)s au %(end)s", start=short_day(report.start), end=short_day(report.end))
    summary = book.create_sheet(title=_("Synthèse"))
    summary.append([neutralise_formula(_("Bilan de %(centre)s", centre=centre_name))])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([period])
    summary.append([])
    summary.append([_("Indicateur"), _("Valeur")])
    for cell in summary[4]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for text, value, number_format in summary_rows(report):
        summary.append([text, value])
        summary.cell(row=summary.max_row, column=2).number_format = number_format
    summary.column_dimensions["A"].width, summary.column_dimensions["B"].width = 44, 18
    summary.freeze_panes = "A5"

    _sheet(book, _("Sorties"), [_("Motif de sortie"), _("Personnes")],
           [[label(EXIT_REASONS, reason), count] for reason, count in report.exits.items()]
           + [[_("Total"), report.exits_total]], [None, INTEGER])
    _sheet(book, _("Activités"), [_("Activité"), _("Ateliers"), _("Présences"), _("Moyenne par atelier")],
           [[a.name or _("Sans activité"), a.days, a.checkins, a.checkins / a.days if a.days else None]
            for a in report.activities], [None, INTEGER, INTEGER, DECIMAL])
    _sheet(book, _("Par structure"),
           [_("Structure"), _("Personnes accompagnées"), _("Personnes venues"), _("Entrées"), _("Sorties"),
            _("Présences"), _("Foyers servis"), _("Paniers"), _("Kilos"), _("Valeur des denrées"),
            _("Participation des familles")],
           [[r.structure or str(NO_STRUCTURE), r.followed, r.came, r.entries, r.exits, r.checkins, r.households,
             r.baskets, _kilos(r.weight_g), _euros(r.value_cents), _euros(r.paid_cents)] for r in report.structures],
           [None] + [INTEGER] * 7 + [KILOS, EURO, EURO])
    _sheet(book, _("Mois par mois"),
           [_("Mois"), _("Ateliers"), _("Présences"), _("Paniers"), _("Kilos"), _("Valeur des denrées"),
            _("Participation des familles")],
           [[month, t.workshop_days, t.checkins, t.baskets, _kilos(t.weight_g), _euros(t.value_cents),
             _euros(t.paid_cents)] for month, t in report.months],
           [MONTH, INTEGER, INTEGER, INTEGER, KILOS, EURO, EURO], widths=[18] + [16] * 6)
    book.properties.title = _("Bilan de %(centre)s", centre=centre_name)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
