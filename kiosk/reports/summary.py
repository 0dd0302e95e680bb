"""The rows every document of the year shows: a label, this year's figure, last year's, and its kind."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from kiosk.dashboard.formatting import euros, kilos, number, percent
from kiosk.labels import EXIT_REASONS, label
from kiosk.outcomes.labels import AREAS, BUILT_IN_KINDS
from kiosk.reports.demographics import AGE_LABELS, SEX_LABELS
from kiosk.reports.figures import REGULARITY_BANDS, YearReport

INTEGER, DECIMAL, KILOS, EUROS, PERCENT, MONTHS = "integer", "decimal", "kilos", "euros", "percent", "months"


def formatted(value, kind: str) -> str:
    """A figure as people read it: 123 456,78 €, 10,9 kg, 2,8, 45,0 %, or a dash."""
    if value is None:
        return "—"
    if kind == EUROS:
        return euros(value)
    if kind == KILOS:
        return kilos(value)
    if kind == PERCENT:
        return percent(value)
    if kind == DECIMAL:
        return number(value, "#,##0.0")
    return number(value, "#,##0")


@dataclass(frozen=True)
class Row:
    label: str
    current: float | int | None
    previous: float | int | None
    kind: str = INTEGER


def headline(report: YearReport) -> list[Row]:
    """The year at a glance."""
    c, p = report.current, report.previous

    def row(text, attr, kind=INTEGER):
        return Row(text, getattr(c, attr), getattr(p, attr), kind)
    return [
        row(_("Personnes accompagnées"), "followed"), row(_("Entrées dans le programme"), "entries"),
        row(_("Sorties du programme"), "exits_total"), row(_("Ateliers tenus"), "workshop_days"),
        row(_("Présences"), "checkins"), row(_("Personnes venues au moins une fois"), "people_came"),
        row(_("Présents par atelier, en moyenne"), "average_attendance", DECIMAL),
        row(_("Foyers servis par l'épicerie"), "households_served"),
        row(_("Personnes dans ces foyers"), "people_in_households_served"),
        row(_("Paniers"), "baskets"), row(_("Kilos distribués"), "weight_g", KILOS),
        row(_("Valeur des denrées"), "value_cents", EUROS), row(_("Participation des familles"), "paid_cents", EUROS),
    ]


def outcomes(report: YearReport) -> list[Row]:
    """Exits (and the positive ones), then the milestones reached, people per kind."""
    c, p = report.current, report.previous
    rows = [Row(str(label(EXIT_REASONS, reason)), c.exits.get(str(reason), 0), p.exits.get(str(reason), 0))
            for reason in EXIT_REASONS if c.exits.get(str(reason)) or p.exits.get(str(reason))]
    rows.append(Row(_("Taux de sorties positives (emploi ou formation)"), c.positive_exit_rate,
                    p.positive_exit_rate, PERCENT))
    return rows


def milestones(report: YearReport, kind_labels: dict[str, str]) -> list[Row]:
    c, p = report.current, report.previous
    codes = list(dict.fromkeys([*c.milestones, *p.milestones]))
    return [Row(kind_labels.get(code, str(BUILT_IN_KINDS.get(code, code))), c.milestones.get(code, 0),
                p.milestones.get(code, 0)) for code in codes]


def assessments_compared(report: YearReport) -> list[tuple]:
    """(area, entry, exit, last year's entry, last year's exit): averages on the 1–4 scale, None when unrated."""
    c, p = report.current.assessments, report.previous.assessments
    return [(str(text), *c.get(area, (None, None)), *p.get(area, (None, None)))
            for area, text in AREAS.items() if area in c or area in p]


def regularity(report: YearReport) -> list[Row]:
    c, p = report.current, report.previous

    def text(band):
        low, high = band
        if high is None:
            return _("%(n)d ateliers ou plus", n=low)
        return _("1 atelier") if low == high == 1 else _("%(a)d à %(b)d ateliers", a=low, b=high)
    rows = [Row(text(band), c.regularity.get(band, 0), p.regularity.get(band, 0)) for band in REGULARITY_BANDS]
    rows.append(Row(_("Présences par personne venue, en moyenne"), c.visits_per_person, p.visits_per_person, DECIMAL))
    rows.append(Row(_("Durée moyenne du parcours des sortants (mois)"), c.months_in_programme,
                    p.months_in_programme, DECIMAL))
    return rows


def households(report: YearReport) -> list[Row]:
    """Adults and children of the households served (those whose composition is known)."""
    c, p = report.current, report.previous
    return [Row(_("Adultes (foyers renseignés)"), c.adults, p.adults),
            Row(_("Enfants (foyers renseignés)"), c.children, p.children),
            Row(_("Foyers dont la composition est renseignée"), c.household_known, p.household_known)]


def ages(report: YearReport) -> list[Row]:
    """People followed in the year by age band (age reached in the year)."""
    c, p = report.current, report.previous
    return [Row(str(text), c.age_bands.get(code, 0), p.age_bands.get(code, 0)) for code, text in AGE_LABELS.items()]


def sexes(report: YearReport) -> list[Row]:
    """People followed in the year: women, men, "not said", and those never asked."""
    c, p = report.current, report.previous
    return [Row(str(text), c.sexes.get(code, 0), p.sexes.get(code, 0)) for code, text in SEX_LABELS.items()]


@dataclass(frozen=True)
class CategoryCompare:
    label: str
    weight_g: int
    value_cents: int
    previous_weight_g: int
    previous_value_cents: int


def categories(report: YearReport) -> list[CategoryCompare]:
    """Kilos and value by category, this year beside last year (categories of either year)."""
    previous = {row.code: row for row in report.previous.categories}
    rows = [CategoryCompare(row.label, row.weight_g, row.value_cents,
                            previous[row.code].weight_g if row.code in previous else 0,
                            previous[row.code].value_cents if row.code in previous else 0)
            for row in report.current.categories]
    current = {row.code for row in report.current.categories}
    rows += [CategoryCompare(row.label, 0, 0, row.weight_g, row.value_cents)
             for row in report.previous.categories if row.code not in current]
    return rows


def followup(report: YearReport, outcome_labels) -> list[Row]:
    c, p = report.current, report.previous
    rows = [Row(_("Personnes relancées"), c.called_people, p.called_people),
            Row(_("Revenues à un atelier après la relance"), c.came_back_after_call, p.came_back_after_call)]
    rows += [Row(str(text), c.calls.get(str(code), 0), p.calls.get(str(code), 0))
             for code, text in outcome_labels.items() if c.calls.get(str(code)) or p.calls.get(str(code))]
    return rows
