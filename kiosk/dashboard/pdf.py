"""Printable PDFs (reportlab): the period report, and the call-back list per referrer."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

from kiosk.dashboard.exports import KILOS, summary_rows
from kiosk.dashboard.followup import AbsentParticipant
from kiosk.dashboard.formatting import euros, kilos, long_day, month_name, number, percent, short_day
from kiosk.dashboard.labels import CALL_CHANNELS, CALL_OUTCOMES, EXIT_REASONS, NO_REFERRER, NO_STRUCTURE, label
from kiosk.dashboard.reports import PeriodReport
from kiosk.platform.timezone import to_local

# DejaVu covers every name (and the narrow spaces of French numbers); Helvetica is the fallback.
FONT_CANDIDATES = [
    ("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
]


def _fonts() -> tuple[str, str]:
    for name, regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, regular))
                pdfmetrics.registerFont(TTFont(name + "-Bold", bold))
            return name, name + "-Bold"
    return "Helvetica", "Helvetica-Bold"


def _text(value) -> str:
    """Text for a Paragraph: escaped, and without spaces that a fallback font lacks."""
    return escape(str(value)).replace("\u202f", "\u00a0")


class _Doc:
    def __init__(self, title: str):
        self.regular, self.bold = _fonts()
        base = getSampleStyleSheet()
        self.h1 = ParagraphStyle("h1", parent=base["Heading1"], fontName=self.bold, fontSize=18, leading=22)
        self.h2 = ParagraphStyle("h2", parent=base["Heading2"], fontName=self.bold, fontSize=13, leading=16)
        self.body = ParagraphStyle("body", parent=base["BodyText"], fontName=self.regular, fontSize=10, leading=13)
        self.cell = ParagraphStyle("cell", parent=self.body, fontName=self.bold, fontSize=8.5, leading=10)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.title = title
        self.story = []

    def heading(self, text: str, level: int = 1):
        self.story.append(Paragraph(_text(text), self.h1 if level == 1 else self.h2))

    def paragraph(self, text: str):
        self.story.append(Paragraph(_text(text), self.body))

    def table(self, header: list[str], rows: list[list], widths: list[float], numeric_from: int = 1):
        """A table with a shaded header; columns from `numeric_from` on are right-aligned."""
        data = [[Paragraph(_text(h), self.cell_right if n >= numeric_from else self.cell) for n, h in enumerate(header)]]
        data += [[_text(value) for value in row] for row in rows]
        table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.regular, 9),
            ("FONT", (0, 0), (-1, 0), self.bold, 9),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eeeb")),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#c7cfd4")),
            ("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]))
        self.story += [table, Spacer(1, 5 * mm)]

    def build(self) -> bytes:
        buffer = BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, title=self.title, author="CéPourMoi",
                                leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm)
        doc.build(self.story)
        return buffer.getvalue()


def _summary_value(value, number_format: str) -> str:
    if value is None:
        return "—"
    if "€" in number_format:
        return euros(round(value * 100))
    if number_format.endswith("%"):
        return percent(value * 100)
    if number_format == KILOS:
        return kilos(round(value * 1000))
    return number(value)


def report_pdf(report: PeriodReport, centre_name: str) -> bytes:
    """The period report as a printable A4 document."""
    doc = _Doc(_("Bilan de %(centre)s", centre=centre_name))
    doc.heading(doc.title)
    doc.paragraph(_("Du %(start)s au %(end)s", start=long_day(report.start), end=long_day(report.end)))
    doc.heading(_("Synthèse"), 2)
    doc.table([_("Indicateur"), _("Valeur")],
              [[text, _summary_value(value, fmt)] for text, value, fmt in summary_rows(report)], [120, 50])
    doc.heading(_("Sorties par motif"), 2)
    doc.table([_("Motif de sortie"), _("Personnes")],
              [[label(EXIT_REASONS, r), n] for r, n in report.exits.items()] + [[_("Total"), report.exits_total]],
              [120, 50])
    doc.heading(_("Activités"), 2)
    doc.table([_("Activité"), _("Ateliers"), _("Présences"), _("Moyenne")],
              [[a.name or _("Sans activité"), a.days, a.checkins, number(a.checkins / a.days if a.days else None)]
               for a in report.activities], [80, 30, 30, 30])
    doc.heading(_("Par structure"), 2)
    doc.table([_("Structure"), _("Accompagnées"), _("Venues"), _("Entrées"), _("Sorties"), _("Paniers"),
               _("Valeur"), _("Participation")],
              [[r.structure or NO_STRUCTURE, r.followed, r.came, r.entries, r.exits, r.baskets,
                euros(r.value_cents), euros(r.paid_cents)] for r in report.structures],
              [40, 26, 16, 16, 16, 16, 25, 25])
    doc.heading(_("Mois par mois"), 2)
    doc.table([_("Mois"), _("Ateliers"), _("Présences"), _("Paniers"), _("Kilos"), _("Valeur"), _("Participation")],
              [[month_name(m), t.workshop_days, t.checkins, t.baskets, kilos(t.weight_g), euros(t.value_cents),
                euros(t.paid_cents)] for m, t in report.months], [34, 20, 22, 20, 24, 26, 34])
    return doc.build()


def _last_call(person: AbsentParticipant) -> str:
    call = person.last_call
    if call is None:
        return "—"
    return f"{short_day(to_local(call.called_at).date())} · {label(CALL_CHANNELS, call.channel)} · " \
           f"{label(CALL_OUTCOMES, call.outcome)}"


def followup_pdf(groups, today: date, absence_days: int, centre_name: str) -> bytes:
    """The call-back list, one page per referrer, to hand over or take to the phone."""
    doc = _Doc(_("À rappeler — %(centre)s", centre=centre_name))
    if not groups:
        doc.heading(doc.title)
        doc.paragraph(_("Personne à rappeler : tout le monde est venu récemment."))
    for number_, group in enumerate(groups):
        if number_:
            doc.story.append(PageBreak())
        doc.heading(_("À rappeler — %(referrer)s", referrer=group.name or NO_REFERRER))
        doc.paragraph(" · ".join(filter(None, [group.structure, centre_name, long_day(today), _(
            "absents depuis %(days)d ateliers ou plus", days=absence_days)])))
        doc.table([_("Nom"), _("Prénom"), _("Téléphone"), _("Dernière venue"), _("Dernier essai"), _("Fait")],
                  [[p.last_name, p.first_name, p.phone or "—", short_day(p.last_visit) if p.last_visit else _("jamais"),
                    _last_call(p), ""] for p in group.people],
                  [32, 28, 30, 24, 50, 16], numeric_from=5)
    return doc.build()
