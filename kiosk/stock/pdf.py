"""The month's stock sheet as a PDF to print and sign, built with the report's document (kiosk/reports/pdf.py)."""

from flask_babel import gettext as _

from kiosk.dashboard.formatting import euros, kilos, month_name, short_day
from kiosk.reports.pdf import _Doc
from kiosk.stock.labels import LOSS_REASONS, SOURCES
from kiosk.stock.queries import MonthSheet

MOVES = ("opening", "arrived", "baskets", "workshop", "lost", "closing")


def month_sheet_pdf(sheet: MonthSheet, identity) -> bytes:
    """The sheet: movements by category in kilos, then in value; the month's arrivals and what left otherwise."""
    title = _("Fiche de stock — %(month)s", month=month_name(sheet.first))
    doc = _Doc(title)
    doc.letterhead(identity)
    doc.heading(title)
    doc.paragraph(_("Du %(first)s au %(last)s. Stock en kilos et en valeur, par catégorie.",
                    first=short_day(sheet.first), last=short_day(sheet.last)))
    if sheet.not_kept:
        doc.paragraph(_("Le stock n'était pas encore tenu ce mois-là : il est tenu depuis le %(day)s.",
                        day=short_day(sheet.starts)))
        return doc.build()
    header = [_("Catégorie"), _("Stock au début"), _("Entrées"), _("Paniers"), _("Atelier cuisine"), _("Pertes"),
              _("Stock à la fin")]
    for words, amount_of, show in ((_("En kilos"), "weight_g", kilos), (_("En valeur"), "value_cents", euros)):
        rows = [[row.category.label, *(show(getattr(getattr(row, move), amount_of)) for move in MOVES)]
                for row in sheet.rows]
        rows.append([_("Total"), *(show(getattr(sheet.total(move), amount_of)) for move in MOVES)])
        doc.section(words, header, rows, [42] + [23] * 6)
    doc.heading(_("Arrivages du mois"), level=2)
    doc.table([_("Date"), _("Source"), _("Noté par"), _("Kilos"), _("Valeur")],
              [[short_day(a.received_on), SOURCES[a.source] + (f" — {a.note}" if a.note else "")
                + (" — " + _("annulé, hors stock") if a.cancelled_at else ""),
                a.recorded_by.name if a.recorded_by else "—", kilos(a.weight_g), euros(a.value_cents)]
               for a in sheet.arrivals] or [[_("Aucun arrivage ce mois-ci."), "", "", "", ""]],
              [24, 70, 34, 26, 26], numeric_from=3)
    out = [[short_day(loss.happened_on), _("Perte") + " : " + str(LOSS_REASONS[loss.reason]), loss.category.label,
            kilos(loss.weight_g), euros(loss.value_cents)] for loss in sheet.losses]
    out += [[short_day(use.used_on), _("Atelier cuisine") + " : " + use.ingredient, use.category.label,
             kilos(use.weight_g), euros(use.value_cents)] for use in sheet.workshop_uses]
    if out:
        doc.heading(_("Pertes et atelier cuisine du mois"), level=2)
        doc.table([_("Date"), _("Sortie"), _("Catégorie"), _("Kilos"), _("Valeur")], out, [24, 64, 40, 26, 26],
                  numeric_from=3)
    doc.paragraph(_("Fiche arrêtée le ………… par ………………………… Signature :"))
    return doc.build()
