"""The year's report as an Excel workbook: real numbers, euro format, French headers, one sheet a section.

Text that a spreadsheet could take for a formula (starting with = + - @) is neutralised with a
leading apostrophe (kiosk/platform/spreadsheets.py), the usual defence against formula injection.
"""

from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kiosk.dashboard.labels import CALL_OUTCOMES, NO_STRUCTURE
from kiosk.reports import summary
from kiosk.reports.figures import YearReport
from kiosk.reports.period import PeriodReport
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


def _with_total(rows: list[list], first: int = 1) -> list[list]:
    """The rows and a bold-able "Total" row summing every numeric column from `first` on."""
    if not rows:
        return rows
    total = [_("Total")] + [None] * (len(rows[0]) - 1)
    for column in range(first, len(rows[0])):
        values = [row[column] for row in rows if isinstance(row[column], (int, float))]
        total[column] = round(sum(values), 3) if values else None
    return rows + [total]


def _bold_last(sheet) -> None:
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


FORMATS = {"integer": INTEGER, "decimal": DECIMAL, "kilos": KILOS, "euros": EURO, "percent": PERCENT, "months": DECIMAL}


def _cell_value(value, kind):
    if value is None:
        return None
    if kind == "kilos":
        return _kilos(value)
    if kind == "euros":
        return _euros(value)
    if kind == "percent":
        return round(value / 100, 4)
    return value


def _compare_sheet(book, title: str, rows, year: int):
    sheet = _sheet(book, title, [_("Indicateur"), str(year), str(year - 1)],
                   [[r.label, _cell_value(r.current, r.kind), _cell_value(r.previous, r.kind)] for r in rows],
                   [None, None, None], widths=[52, 16, 16])
    for row, line in zip(sheet.iter_rows(min_row=2), rows):
        for cell in row[1:]:
            cell.number_format = FORMATS.get(line.kind, INTEGER)
    return sheet


def _header(sheet, title: str, identity, year: int):
    sheet.insert_rows(1, 3)
    sheet["A1"] = neutralise_formula(title)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = neutralise_formula(" · ".join([identity.name, *identity.address_lines]))
    sheet.freeze_panes = "A5"


def report_xlsx(report: YearReport, identity, kind_labels: dict[str, str]) -> bytes:
    """The workbook of the year's report: one sheet per section, each figure beside last year's."""
    year, c = report.current.year, report.current
    book = Workbook()
    book.remove(book.active)
    title = _("Bilan %(year)d — %(centre)s", year=year, centre=identity.name)
    _header(_compare_sheet(book, _("Synthèse"), summary.headline(report), year), title, identity, year)
    _compare_sheet(book, _("Sorties"), summary.outcomes(report), year)
    _compare_sheet(book, _("Étapes"), summary.milestones(report, kind_labels), year)
    _sheet(book, _("Auto-évaluation"),
           [_("Domaine"), _("Entrée %(year)d", year=year), _("Sortie %(year)d", year=year),
            _("Entrée %(year)d", year=year - 1), _("Sortie %(year)d", year=year - 1)],
           [list(row) for row in summary.assessments_compared(report)], [None, DECIMAL, DECIMAL, DECIMAL, DECIMAL])
    _compare_sheet(book, _("Régularité"), summary.regularity(report), year)
    _compare_sheet(book, _("Foyers"), summary.households(report), year)
    _compare_sheet(book, _("Âges"), summary.ages(report), year)
    _compare_sheet(book, _("Femmes et hommes"), summary.sexes(report), year)
    _bold_last(_sheet(book, _("Catégories"),
                      [_("Catégorie"), _("Kilos %(year)d", year=year), _("Kilos %(year)d", year=year - 1),
                       _("Valeur %(year)d", year=year), _("Valeur %(year)d", year=year - 1)],
                      _with_total([[r.label, _kilos(r.weight_g), _kilos(r.previous_weight_g), _euros(r.value_cents),
                                    _euros(r.previous_value_cents)] for r in summary.categories(report)]),
                      [None, KILOS, KILOS, EURO, EURO]))
    sources_sheet(book, c.sources)
    _compare_sheet(book, _("Relances"), summary.followup(report, CALL_OUTCOMES), year)
    if report.detail is not None:
        _detail_sheets(book, report.detail)
    book.properties.title = title
    return _save(book)


def sources_sheet(book, sources: list[tuple[str, int, int]] | None) -> None:
    """The stock's arrivals by source, with their total (issue 19); nothing when none was recorded."""
    if sources is not None:
        _bold_last(_sheet(book, _("Provenances"), [_("Provenance"), _("Kilos"), _("Valeur des denrées")],
                          _with_total([[source, _kilos(grams), _euros(cents)] for source, grams, cents in sources]),
                          [None, KILOS, EURO]))


def _detail_sheets(book, detail: PeriodReport) -> None:
    _bold_last(_sheet(book, _("Par structure"),
               [_("Structure"), _("Personnes accompagnées"), _("Personnes venues"), _("Entrées"), _("Sorties"),
                _("Présences"), _("Foyers servis"), _("Paniers"), _("Kilos"), _("Valeur des denrées"),
                _("Participation des familles")],
               _with_total([[r.structure or str(NO_STRUCTURE), r.followed, r.came, r.entries, r.exits, r.checkins,
                             r.households, r.baskets, _kilos(r.weight_g), _euros(r.value_cents), _euros(r.paid_cents)]
                            for r in detail.structures]),
               [None] + [INTEGER] * 7 + [KILOS, EURO, EURO]))
    _bold_last(_sheet(book, _("Mois par mois"),
               [_("Mois"), _("Ateliers"), _("Présences"), _("Paniers"), _("Kilos"), _("Valeur des denrées"),
                _("Participation des familles")],
               _with_total([[month, t.workshop_days, t.checkins, t.baskets, _kilos(t.weight_g), _euros(t.value_cents),
                             _euros(t.paid_cents)] for month, t in detail.months]),
               [MONTH, INTEGER, INTEGER, INTEGER, KILOS, EURO, EURO], widths=[18] + [16] * 6))


def _save(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
