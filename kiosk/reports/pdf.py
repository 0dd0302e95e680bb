"""Printable PDFs (reportlab): the period report, and the call-back list per referrer."""

from __future__ import annotations

import textwrap
from datetime import date
from io import BytesIO
from pathlib import Path

from flask_babel import gettext as _, ngettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import CondPageBreak, Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

from kiosk.messages.what_works import STEPS, measured, row_label
from kiosk.reports import summary
from kiosk.dashboard.followup import AbsentParticipant
from kiosk.dashboard.formatting import euros, kilos, long_day, number, short_day, short_month
from kiosk.dashboard.labels import CALL_CHANNELS, CALL_OUTCOMES, NO_REFERRER, NO_STRUCTURE, label
from kiosk.reports.figures import YearReport
from kiosk.platform.timezone import to_local

FRAME_WIDTH = A4[0] - 30 * mm  # the page less its margins
SHORT_TABLE = 12  # rows: a table this short is kept whole with its heading
KEPT_ROWS = 3  # a longer table starts on a page only with at least its header and this many rows

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
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8.5, leading=11)
        self.total = ParagraphStyle("total", parent=self.body, fontName=self.bold)
        for style in (self.h1, self.h2, self.body, self.cell, self.cell_right, self.small, self.total):
            style.splitLongWords = 0  # a word too long moves whole to the next line, never "Accompa-gné"
        self.title = title
        self.story = []

    def heading(self, text: str, level: int = 1):
        self.story.append(Paragraph(_text(text), self.h1 if level == 1 else self.h2))

    def letterhead(self, identity):
        """The logo (if any), the centre's name, its address, and who to ask about personal data."""
        lines = [identity.name, *identity.address_lines]
        if identity.privacy_contact:
            lines.append(_("Données personnelles : %(contact)s", contact=identity.privacy_contact))
        text = Paragraph("<br/>".join(_text(line) for line in lines), self.small)
        if identity.logo_png:
            logo = Image(BytesIO(identity.logo_png))
            scale = min(18 * mm / logo.imageHeight, 40 * mm / logo.imageWidth)
            logo.drawHeight, logo.drawWidth = logo.imageHeight * scale, logo.imageWidth * scale
            head = Table([[logo, text]], colWidths=[44 * mm, 136 * mm])
            head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
            self.story.append(head)
        else:
            self.story.append(text)
        self.story.append(Spacer(1, 4 * mm))

    def section(self, title: str, header: list[str], rows: list[list], widths: list[float], total: bool = False):
        """A heading kept with its table's first rows: no heading stranded at a page's foot.

        A short table moves whole to the next page when it does not fit; a long one starts on this page
        once its heading, header and first rows fit, and goes on overleaf under its repeated header.
        """
        heading, table = Paragraph(_text(title), self.h2), self._table(header, rows, widths, total=total)
        _w, heading_height = heading.wrap(FRAME_WIDTH, A4[1])
        _w, table_height = table.wrap(FRAME_WIDTH, A4[1])
        first_rows = sum(table._rowHeights[:KEPT_ROWS + 1])
        needed = heading_height + self.h2.spaceBefore + self.h2.spaceAfter + \
            (table_height if len(rows) <= SHORT_TABLE else first_rows)
        self.story += [CondPageBreak(needed), heading, table, Spacer(1, 5 * mm)]

    def paragraph(self, text: str):
        self.story.append(Paragraph(_text(text), self.body))

    def table(self, header: list[str], rows: list[list], widths: list[float], numeric_from: int = 1):
        """A table with a shaded header; columns from `numeric_from` on are right-aligned."""
        self.story += [self._table(header, rows, widths, numeric_from), Spacer(1, 5 * mm)]

    def _table(self, header: list[str], rows: list[list], widths: list[float], numeric_from: int = 1,
               total: bool = False):
        data = [[Paragraph(_text(h), self.cell_right if n >= numeric_from else self.cell) for n, h in enumerate(header)]]
        data += [[Paragraph(_text(value), self.total if total and r == len(rows) - 1 else self.body)
                  if n < numeric_from else _text(value) for n, value in enumerate(row)] for r, row in enumerate(rows)]
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
            *([("FONT", (numeric_from, -1), (-1, -1), self.bold, 9), ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black)]
              if total and rows else []),
        ]))
        return table

    def build(self) -> bytes:
        buffer = BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, title=self.title, author="CéPourMoi",
                                leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm)
        doc.build(self.story, onFirstPage=self._footer, onLaterPages=self._footer)
        return buffer.getvalue()

    def _footer(self, canvas, doc) -> None:
        """The document's title and the page number at each page's foot, for pages printed and separated."""
        canvas.saveState()
        canvas.setFont(self.regular, 7.5)
        canvas.setFillColor(colors.HexColor("#5b6770"))
        canvas.drawString(15 * mm, 8 * mm, self.title.replace("\u202f", "\u00a0"))
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, _("page %(number)d", number=doc.page))
        canvas.restoreState()


def _compare(doc, title: str, rows, year: int, first_col: float = 100):
    """A section: its heading kept with its table, each figure beside last year's."""
    if not rows:
        return
    doc.section(title, [_("Indicateur"), str(year), str(year - 1)],
                [[r.label, summary.formatted(r.current, r.kind), summary.formatted(r.previous, r.kind)] for r in rows],
                [first_col, 40, 40])


def _axis_number(value) -> str:
    return number(value, "#,##0").replace("\u202f", "\u00a0")


def _chart(doc, title: str, labels: list[str], series: list[tuple[str, list[float], str]]):
    """A bar chart drawn here, on the box, into the PDF (one group of bars per label), kept with its title."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing

    drawing = Drawing(180 * mm, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 14 * mm, 12 * mm, 158 * mm, 42 * mm
    chart.data = [values for _name, values, _colour in series] or [[0]]
    # Each label wrapped to its group's width, so long area names never run into each other.
    per_line = max(6, int(chart.width / max(1, len(labels)) / (7 * 0.58)))
    chart.categoryAxis.categoryNames = ["\n".join(textwrap.wrap(label, per_line)) or label for label in labels]
    chart.categoryAxis.labels.fontName = doc.regular
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = doc.regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = _axis_number  # 1 000, not 1000
    chart.barSpacing, chart.groupSpacing = 1, 6
    for n, (_name, _values, colour) in enumerate(series):
        chart.bars[n].fillColor = colors.HexColor(colour)
        chart.bars[n].strokeColor = None
    legend = Legend()
    legend.x, legend.y, legend.fontName, legend.fontSize = 14 * mm, 60 * mm, doc.regular, 8
    legend.alignment, legend.columnMaximum, legend.deltax = "right", 1, 30 * mm
    legend.colorNamePairs = [(colors.HexColor(colour), name) for name, _values, colour in series]
    drawing.add(chart)
    drawing.add(legend)
    doc.story.append(KeepTogether([Paragraph(_text(title), doc.h2), drawing, Spacer(1, 4 * mm)]))


def _monthly(values_by_month: dict[int, float]) -> list[float]:
    return [values_by_month.get(month, 0) for month in range(1, 13)]


def _month_labels() -> list[str]:
    return [short_month(date(2000, month, 1)) for month in range(1, 13)]


# The report's sections, in order: each is one function (doc, report, kind_labels). A new section (the
# stock by source, the relance's "what works"...) is one function and one line in REPORT_SECTIONS.

def headline_section(doc, report: YearReport, _kinds) -> None:
    _compare(doc, _("L'année en bref"), summary.headline(report), report.current.year)


def monthly_charts_section(doc, report: YearReport, _kinds) -> None:
    detail = report.detail
    if detail is None or not detail.months:
        return
    checkins = {m.month: t.checkins for m, t in detail.months}
    kilos_by_month = {m.month: t.weight_g / 1000 for m, t in detail.months}
    _chart(doc, _("Présences par mois (personnes)"), _month_labels(), [(_("Présences"), _monthly(checkins), "#2f6f4f")])
    _chart(doc, _("Kilos distribués par mois (kg)"), _month_labels(),
           [(_("Kilos"), _monthly(kilos_by_month), "#c77d1a")])


def outcomes_section(doc, report: YearReport, kinds) -> None:
    year = report.current.year
    _compare(doc, _("Sorties et sorties positives"), summary.outcomes(report), year)
    _compare(doc, _("Étapes franchies (personnes)"), summary.milestones(report, kinds), year)


def assessment_section(doc, report: YearReport, _kinds) -> None:
    c, year = report.current, report.current.year
    rows = summary.assessments_compared(report)
    if not rows:
        return
    doc.section(ngettext("Auto-évaluation : de l'entrée à la sortie (sur 4, %(num)d personne en %(year)d)",
                         "Auto-évaluation : de l'entrée à la sortie (sur 4, %(num)d personnes en %(year)d)",
                         c.assessed_people, year=year),
                [_("Domaine"), _("Entrée %(year)d", year=year), _("Sortie %(year)d", year=year),
                 _("Entrée %(year)d", year=year - 1), _("Sortie %(year)d", year=year - 1)],
                [[area, *(summary.formatted(value, summary.DECIMAL) for value in values)] for area, *values in rows],
                [76, 26, 26, 26, 26])
    pairs = [(area, entry, leave) for area, entry, leave, _pe, _px in rows if entry is not None]
    if pairs:
        _chart(doc, _("Auto-évaluation %(year)d, moyenne sur 4", year=year), [area for area, _e, _x in pairs],
               [(_("Entrée"), [e for _a, e, _x in pairs], "#9fb8c9"), (_("Sortie"), [x for _a, _e, x in pairs], "#2f6f4f")])


def people_section(doc, report: YearReport, _kinds) -> None:
    year = report.current.year
    _compare(doc, _("Régularité et durée du parcours"), summary.regularity(report), year)
    _compare(doc, _("Foyers servis : adultes et enfants"), summary.households(report), year)
    _compare(doc, _("Personnes accompagnées par âge"), summary.ages(report), year)
    _compare(doc, _("Personnes accompagnées : femmes et hommes"), summary.sexes(report), year)


def categories_section(doc, report: YearReport, _kinds) -> None:
    rows = summary.categories(report)
    if not rows:
        return
    year = report.current.year
    total = [_("Total"), kilos(sum(r.weight_g for r in rows)), kilos(sum(r.previous_weight_g for r in rows)),
             euros(sum(r.value_cents for r in rows)), euros(sum(r.previous_value_cents for r in rows))]
    doc.section(_("L'épicerie par catégorie"),
                [_("Catégorie"), _("Kilos %(year)d", year=year), _("Kilos %(year)d", year=year - 1),
                 _("Valeur %(year)d", year=year), _("Valeur %(year)d", year=year - 1)],
                [[r.label, kilos(r.weight_g), kilos(r.previous_weight_g), euros(r.value_cents),
                  euros(r.previous_value_cents)] for r in rows] + [total], [56, 28, 28, 34, 34], total=True)


def sources_section(doc, report: YearReport, _kinds) -> None:
    c = report.current
    if c.sources is not None:  # filled once the stock knows where food comes from (issue 19)
        doc.section(_("Kilos et valeur par provenance"), [_("Provenance"), _("Kilos"), _("Valeur")],
                    [[source, kilos(grams), euros(cents)] for source, grams, cents in c.sources], [100, 40, 40])


def followup_section(doc, report: YearReport, _kinds) -> None:
    _compare(doc, _("Les relances"), summary.followup(report, CALL_OUTCOMES), report.current.year)


def what_works_section(doc, report: YearReport, _kinds) -> None:
    """The relance's results: for each step and channel, the people reached and those back within two weeks."""
    year = report.current.year
    rows = measured(date(year, 1, 1), date(year, 12, 31)).rows
    if not rows:
        return
    doc.section(_("Ce qui fait revenir (%(year)d)", year=year),
                [_("Étape et moyen"), _("Personnes"), _("Revenues en 2 semaines"), _("Part")],
                [[row_label(r), r.people, r.came_back, "–" if r.percent is None else f"{r.percent} %"]
                 for r in sorted(rows, key=lambda r: list(STEPS).index(r.step) if r.step in STEPS else 99)],
                [84, 24, 40, 20])


def structures_section(doc, report: YearReport, _kinds) -> None:
    detail = report.detail
    if detail is None or not detail.structures:
        return
    doc.section(_("Par structure orientatrice (%(year)d)", year=report.current.year),
                [_("Structure"), _("Suivies"), _("Venues"), _("Entrées"), _("Sorties"), _("Paniers"), _("Valeur")],
                [[r.structure or NO_STRUCTURE, r.followed, r.came, r.entries, r.exits, r.baskets,
                  euros(r.value_cents)] for r in detail.structures], [68, 16, 16, 16, 16, 16, 32])


REPORT_SECTIONS = (headline_section, monthly_charts_section, outcomes_section, assessment_section, people_section,
                   categories_section, sources_section, followup_section, what_works_section,
                   structures_section)


def report_pdf(report: YearReport, identity, kind_labels: dict[str, str]) -> bytes:
    """The yearly report as a printable A4 document, in French, each figure beside last year's."""
    year = report.current.year
    doc = _Doc(_("Bilan %(year)d — %(centre)s", year=year, centre=identity.name))
    doc.letterhead(identity)
    doc.heading(doc.title)
    doc.paragraph(_("Du %(start)s au %(end)s, comparé à %(previous)d.", start=long_day(date(year, 1, 1)),
                    end=long_day(date(year, 12, 31)), previous=year - 1))
    for section in REPORT_SECTIONS:
        section(doc, report, kind_labels)
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
