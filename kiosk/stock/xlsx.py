"""The year's arrivals by source as a workbook: real numbers, kilos and euro formats, totals rows.

Built with the report's spreadsheet helpers (kiosk/reports/xlsx.py), so that both read alike.
"""

from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from kiosk.reports.xlsx import EURO, KILOS, _bold_last, _euros, _kilos, _sheet, _with_total
from kiosk.stock.labels import SOURCES
from kiosk.stock.queries import SourceYear

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def yearly_xlsx(figures: SourceYear) -> bytes:
    """Two sheets: each source's total (and the year's), then each source by category with its subtotal."""
    book = Workbook()
    book.remove(book.active)
    grouped = figures.by_source()
    _bold_last(_sheet(book, _("Par source"), [_("Source"), _("Kilos"), _("Valeur des denrées")],
                      _with_total([[str(SOURCES[source]), _kilos(total.weight_g), _euros(total.value_cents)]
                                   for source, _rows, total in grouped]),
                      [None, KILOS, EURO]))
    rows, totals = [], []
    for source, source_rows, total in grouped:
        rows += [[str(SOURCES[source]), row.category.label, _kilos(row.amount.weight_g),
                  _euros(row.amount.value_cents)] for row in source_rows]
        rows.append([_("Total %(source)s", source=SOURCES[source]), None, _kilos(total.weight_g),
                     _euros(total.value_cents)])
        totals.append(len(rows) + 1)  # the sheet's row number (after the header)
    rows.append([_("Total"), None, _kilos(figures.total.weight_g), _euros(figures.total.value_cents)])
    totals.append(len(rows) + 1)
    detail = _sheet(book, _("Par source et catégorie"), [_("Source"), _("Catégorie"), _("Kilos"),
                                                          _("Valeur des denrées")],
                    rows, [None, None, KILOS, EURO], widths=[30, 30, 16, 18])
    for number in totals:
        for cell in detail[number]:
            cell.font = Font(bold=True)
    book.properties.title = _("Denrées reçues par source en %(year)d", year=figures.year)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
