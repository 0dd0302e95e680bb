"""Each funder's file for the year, from `year_report` (figures) and, for ESF+, one row per person.

- the food-aid "habilitation" yearly figures (people, households, adults and children, kilos, value);
- ANDES: the households active at the épicerie, month by month and over the year;
- CAF (SENACS): the people followed by age band, in SENACS's bands;
- ESF+: the participants file, entry and exit data per person.

The ESF+ file names nobody. The funder asks for each participant's entry and exit data (sex, age,
situation at entry and at exit, dates, why they left), not for who they are; an auditor who checks a
row on site is shown the person's file by its number at the centre (the privacy desk finds a person by
number). So each row carries the centre's stable file number, never a name nor a year of birth (the age
band at entry is what the indicators count); a leaked file points at nobody without the box.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import or_

from kiosk.labels import EXIT_REASONS, label
from kiosk.models import Moment, Participant, ProgrammePeriod, Situation
from kiosk.outcomes.labels import EMPLOYMENT, RESOURCES, SEXES
from kiosk.platform.extensions import db
from kiosk.reports.demographics import AGE_LABELS, SEX_LABELS, UNKNOWN, age_band
from kiosk.reports.figures import YearReport
from kiosk.reports.xlsx import EURO, INTEGER, KILOS, _bold_last, _euros, _header, _kilos, _save, _sheet, _with_total
from kiosk.reports.xlsx import sources_sheet

FUNDERS = ("habilitation", "andes", "caf", "fse")
SENACS_BANDS = (("under_18",), ("18_25",), ("26_29", "30_44", "45_54", "55_59"), ("60_plus",), ("unknown",))


def habilitation(report: YearReport, identity) -> bytes:
    """The food-aid habilitation's yearly figures, beside last year's."""
    c, p = report.current, report.previous
    rows = [[_("Foyers servis"), c.households_served, p.households_served],
            [_("Personnes dans ces foyers"), c.people_in_households_served, p.people_in_households_served],
            [_("dont adultes (foyers renseignés)"), c.adults, p.adults],
            [_("dont enfants (foyers renseignés)"), c.children, p.children],
            [_("Distributions (paniers)"), c.baskets, p.baskets],
            [_("Kilos distribués"), _kilos(c.weight_g), _kilos(p.weight_g)],
            [_("Valeur des denrées"), _euros(c.value_cents), _euros(p.value_cents)],
            [_("Participation des familles"), _euros(c.paid_cents), _euros(p.paid_cents)]]
    book = _book()
    sheet = _sheet(book, _("Habilitation"), [_("Indicateur"), str(c.year), str(c.year - 1)], rows,
                   [None, None, None], widths=[44, 16, 16])
    for row in sheet.iter_rows(min_row=2):
        row[1].number_format = row[2].number_format = {7: KILOS, 8: EURO, 9: EURO}.get(row[0].row, INTEGER)
    _header(sheet, _("Aide alimentaire : chiffres de l'année %(year)d", year=c.year), identity, c.year)
    by_category = _sheet(book, _("Par catégorie"), [_("Catégorie"), _("Kilos"), _("Valeur des denrées")],
                         _with_total([[r.label, _kilos(r.weight_g), _euros(r.value_cents)] for r in c.categories]),
                         [None, KILOS, EURO], widths=[44, 16, 16])
    _bold_last(by_category)
    _header(by_category, _("Aide alimentaire : kilos et valeur par catégorie, %(year)d", year=c.year), identity, c.year)
    sources_sheet(book, c.sources)
    return _save(book)


def andes(report: YearReport, identity) -> bytes:
    """Households active at the épicerie, month by month, and over the year (each counted once)."""
    c = report.current
    months = [[date(c.year, m, 1), c.households_by_month.get(m, 0)] for m in range(1, 13)]
    book = _book()
    sheet = _sheet(book, _("Foyers actifs"), [_("Mois"), _("Foyers actifs")],
                   months + [[_("Sur l'année (chacun une fois)"), c.households_served]], ["mmmm yyyy", INTEGER])
    _bold_last(sheet)
    _header(sheet, _("ANDES : foyers actifs en %(year)d", year=c.year), identity, c.year)
    return _save(book)


def caf(report: YearReport, identity) -> bytes:
    """People followed in the year by SENACS age band, with the total."""
    c, p = report.current, report.previous
    rows = [[" + ".join(str(AGE_LABELS[code]) for code in band), sum(c.age_bands.get(k, 0) for k in band),
             sum(p.age_bands.get(k, 0) for k in band)] for band in SENACS_BANDS]
    book = _book()
    sheet = _sheet(book, _("Âges"), [_("Tranche d'âge"), str(c.year), str(c.year - 1)], _with_total(rows),
                   [None, INTEGER, INTEGER], widths=[52, 14, 14])
    _bold_last(sheet)
    _header(sheet, _("CAF (SENACS) : personnes accompagnées par âge, %(year)d", year=c.year), identity, c.year)
    return _save(book)


def esf_rows(year: int) -> list[list]:
    """One row per stay in the programme during the year: the file number, entry and exit data (no name)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    periods = db.session.execute(
        db.select(ProgrammePeriod, Participant).join(Participant)
        .where(ProgrammePeriod.entered_on <= end,
               or_(ProgrammePeriod.left_on.is_(None), ProgrammePeriod.left_on >= start))
        .order_by(Participant.id, ProgrammePeriod.entered_on)).all()
    situations = {(s.participant_id, s.moment): s for s in db.session.scalars(
        db.select(Situation).where(Situation.participant_id.in_([p.id for _period, p in periods])))}
    rows = []
    for period, person in periods:
        row = [person.id, label(SEXES, person.sex) or str(SEX_LABELS[UNKNOWN]),
               str(AGE_LABELS[age_band(person.birth_year, period.entered_on.year)]), period.entered_on]
        row += _situation(situations.get((person.id, Moment.ENTRY)))
        row += [period.left_on, label(EXIT_REASONS, period.exit_reason)]
        row += _situation(situations.get((person.id, Moment.EXIT))) if period.left_on else ["", "", ""]
        rows.append(row)
    return rows


def _situation(s) -> list:
    if s is None:
        return ["", "", ""]
    training = "" if s.in_training is None else (_("oui") if s.in_training else _("non"))
    return [label(EMPLOYMENT, s.employment), training, label(RESOURCES, s.resources)]


ESF_COUNTED = (1, 2, 4, 8, 9)  # sex, age at entry, employment at entry, why they left, employment at exit


def fse(report: YearReport, identity) -> bytes:
    """The ESF+ participants file: entry and exit data per person (by file number), then the totals."""
    year = report.current.year
    headers = [_("N° de dossier"), _("Sexe"), _("Âge à l'entrée"), _("Entrée le"), _("Emploi à l'entrée"),
               _("Formation à l'entrée"), _("Ressources à l'entrée"), _("Sortie le"), _("Motif de sortie"),
               _("Emploi à la sortie"), _("Formation à la sortie"), _("Ressources à la sortie")]
    rows = esf_rows(year)
    book = _book()
    sheet = _sheet(book, _("Participants FSE+"), headers, rows,
                   ["0", None, None, "dd/mm/yyyy", None, None, None, "dd/mm/yyyy"],
                   widths=[10, 14, 18, 12, 22, 12, 18, 12, 20, 22, 12, 18])
    _header(sheet, _("FSE+ : fichier des participants %(year)d", year=year), identity, year)
    totals = [[_("Participants (séjours de l'année)"), len(rows)],
              [_("dont sortis dans l'année"), sum(1 for row in rows if row[7])]]
    for column in ESF_COUNTED:
        counts: dict[str, int] = {}
        for row in rows:
            if row[column]:
                counts[row[column]] = counts.get(row[column], 0) + 1
        totals += [[f"{headers[column]} : {value}", n] for value, n in sorted(counts.items())]
    summary = _sheet(book, _("Totaux"), [_("Indicateur"), _("Personnes")], totals, [None, INTEGER], widths=[52, 14])
    _header(summary, _("FSE+ : totaux %(year)d", year=year), identity, year)
    return _save(book)


def _book() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    return book


def funder_file(funder: str, report: YearReport, identity) -> bytes:
    """The named funder's workbook."""
    return {"habilitation": habilitation, "andes": andes, "caf": caf, "fse": fse}[funder](report, identity)
