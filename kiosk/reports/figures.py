"""The year's figures: ONE function (`year_figures`) for the page, the PDF, the XLSX, `kiosk report`
and every funder's export, so that no two documents can disagree.

The keys of `as_json()` and their definitions are CONTRACT.md's ("The year, as figures"). Everything
is summed in SQL over the year's indexed ranges; Python only arranges the rows. Attendance and the
épicerie's totals read the counts the database keeps per person and year and per workshop day
(kiosk/models/figures.py), the kilos and value by category the stored monthly figures
(kiosk/epicerie/month_figures.py); the rest reads the records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import and_, distinct, func, or_, select

from kiosk.models import (
    AREAS, Basket, CheckIn, DayAttendance, ExitReason, FollowUpCall, Milestone, MilestoneKind, Moment,
    Participant, PersonYear, ProgrammePeriod, SelfAssessment, WorkshopDay,
)
from kiosk.epicerie.month_figures import year_rows
from kiosk.platform.extensions import db
from kiosk.platform.timezone import to_local
from kiosk.reports import demographics
from kiosk.reports.period import PeriodReport, period_report
from kiosk.stock.queries import report_sources

POSITIVE_EXITS = (ExitReason.WORK, ExitReason.TRAINING)  # "sorties positives": a job or a training
REGULARITY_BANDS = ((1, 1), (2, 5), (6, 11), (12, None))  # workshops attended in the year


@dataclass
class CategoryRow:
    code: str
    label: str
    weight_g: int
    value_cents: int


@dataclass
class YearFigures:
    """One year's figures (CONTRACT.md's keys, then what the report and the funders add)."""

    year: int
    workshop_days: int = 0
    checkins: int = 0
    people_came: int = 0
    households_served: int = 0
    people_in_households_served: int = 0
    baskets: int = 0
    weight_g: int = 0
    value_cents: int = 0
    paid_cents: int = 0
    exits: dict[str, int] = field(default_factory=dict)
    milestones: dict[str, int] = field(default_factory=dict)
    followed: int = 0
    entries: int = 0
    regularity: dict[tuple, int] = field(default_factory=dict)
    months_in_programme: float | None = None  # average length of the stays that ended this year
    adults: int = 0
    children: int = 0
    household_known: int = 0  # households served whose adults are known
    age_bands: dict[str, int] = field(default_factory=dict)
    sexes: dict[str, int] = field(default_factory=dict)
    categories: list[CategoryRow] = field(default_factory=list)
    # ANDES's active households (its file is the only reader): None where not counted (`year_figures`).
    households_by_month: dict[int, int] | None = None
    # Kilos and value by source (banque alimentaire, ramasse, achat, don) come with the stock (issue 19):
    # fill `sources` here from the arrivals, as [(source, weight_g, value_cents)], and the documents show it.
    sources: list[tuple[str, int, int]] | None = None
    calls: dict[str, int] = field(default_factory=dict)
    called_people: int = 0
    came_back_after_call: int = 0
    assessments: dict[str, tuple[float, float]] = field(default_factory=dict)  # area -> (entry, exit)
    assessed_people: int = 0

    @property
    def average_attendance(self) -> float:
        return self.checkins / self.workshop_days if self.workshop_days else 0  # CONTRACT.md: not rounded

    @property
    def exits_total(self) -> int:
        return sum(self.exits.values())

    @property
    def positive_exits(self) -> int:
        return sum(self.exits.get(str(reason), 0) for reason in POSITIVE_EXITS)

    @property
    def positive_exit_rate(self) -> float | None:
        return 100 * self.positive_exits / self.exits_total if self.exits_total else None

    @property
    def visits_per_person(self) -> float | None:
        return self.checkins / self.people_came if self.people_came else None

    def as_json(self) -> dict:
        """CONTRACT.md's keys: counts as integers, kilos as a number, money as decimal strings."""
        return {
            "year": self.year, "workshop_days": self.workshop_days, "checkins": self.checkins,
            "people_came": self.people_came, "average_attendance": self.average_attendance,
            "households_served": self.households_served,
            "people_in_households_served": self.people_in_households_served,
            "baskets": self.baskets, "weight_kg": round(self.weight_g / 1000, 3),
            "value_eur": _eur(self.value_cents), "paid_eur": _eur(self.paid_cents),
            "exits": dict(self.exits), "milestones": dict(self.milestones),
        }


@dataclass
class YearReport:
    """A year beside the year before."""

    current: YearFigures
    previous: YearFigures
    detail: PeriodReport | None = None  # by activity, structure and month (the current year only)

    def as_json(self) -> dict:
        return {**self.current.as_json(), "previous_year": self.previous.as_json()}


def _eur(cents: int) -> str:
    return str((Decimal(cents or 0) / 100).quantize(Decimal("0.01")))


def _span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _attendance(figures: YearFigures, start: date, end: date) -> None:
    # From the counts the database keeps per person and year and per workshop day (kiosk/models/
    # figures.py), not from the year's check-ins (520,000 on a network's year): a row per person.
    # Each site's workshop days someone came to (a day is one workshop per site): the network's sum counts them all.
    figures.workshop_days = db.session.scalar(
        select(func.count()).select_from(DayAttendance).join(WorkshopDay, DayAttendance.workshop_day_id == WorkshopDay.id)
        .where(WorkshopDay.day >= start, WorkshopDay.day <= end, DayAttendance.checkins > 0)) or 0
    # How many people came on n days, for each n: the people who came, their visits and the regularity
    # bands are all summed from these few rows.
    figures.regularity = {band: 0 for band in REGULARITY_BANDS}
    figures.people_came = figures.checkins = 0
    for days, people in db.session.execute(
            select(PersonYear.workshops, func.count())
            .where(PersonYear.year == figures.year, PersonYear.workshops > 0).group_by(PersonYear.workshops)):
        figures.people_came += people
        figures.checkins += days * people
        band = next(b for b in REGULARITY_BANDS if days >= b[0] and (b[1] is None or days <= b[1]))
        figures.regularity[band] += people


def _epicerie(figures: YearFigures, start: date, end: date) -> None:
    # The kept baskets' counts per person and year (kiosk/models/figures.py), not the year's baskets,
    # beside each household served's size, in one pass.
    served = PersonYear.baskets > 0
    (figures.baskets, figures.weight_g, figures.value_cents, figures.paid_cents, figures.households_served,
     figures.people_in_households_served, figures.adults, figures.children, figures.household_known) = (
        int(n or 0) for n in db.session.execute(
            select(func.sum(PersonYear.baskets), func.sum(PersonYear.weight_g), func.sum(PersonYear.value_cents),
                   func.sum(PersonYear.paid_cents), func.count().filter(served),
                   func.sum(Participant.household_size).filter(served), func.sum(Participant.adults).filter(served),
                   func.sum(Participant.children).filter(served, Participant.adults.is_not(None)),
                   func.count(Participant.adults).filter(served))
            .join(Participant, Participant.id == PersonYear.participant_id)
            .where(PersonYear.year == figures.year)).one())


def _households_by_month(figures: YearFigures, start: date, end: date) -> None:
    kept = and_(Basket.served_on >= start, Basket.served_on <= end, Basket.cancelled_at.is_(None))
    month = func.extract("month", Basket.served_on)
    figures.households_by_month = {int(m): n for m, n in db.session.execute(
        select(month, func.count(distinct(Basket.participant_id))).where(kept).group_by(month))}


def _categories(*years: YearFigures) -> None:
    """Kilos and value by category for each of these adjacent years, in one query over the stored
    figures (kiosk/epicerie/month_figures.py: a site's lines summed by month and category, kept at
    every write), not over the basket lines, which a year of a network counts by the million."""
    by_year = {figures.year: figures for figures in years}
    for figures in years:
        figures.categories = []
    for row_year, code, label, grams, cents in year_rows(min(by_year), max(by_year)):
        if int(row_year) in by_year:
            by_year[int(row_year)].categories.append(CategoryRow(code, label, int(grams or 0), int(cents or 0)))


def _programme(figures: YearFigures, start: date, end: date) -> None:
    in_year = and_(ProgrammePeriod.entered_on <= end,
                   or_(ProgrammePeriod.left_on.is_(None), ProgrammePeriod.left_on >= start))
    figures.entries = db.session.scalar(select(func.count(distinct(ProgrammePeriod.participant_id))).where(
        ProgrammePeriod.entered_on >= start, ProgrammePeriod.entered_on <= end))
    left = and_(ProgrammePeriod.left_on >= start, ProgrammePeriod.left_on <= end)
    counts = dict(db.session.execute(
        select(ProgrammePeriod.exit_reason, func.count(distinct(ProgrammePeriod.participant_id)))
        .where(left).group_by(ProgrammePeriod.exit_reason)).all())
    figures.exits = {str(reason): counts[reason] for reason in ExitReason if counts.get(reason)}
    stays = [(leave - enter).days for enter, leave in db.session.execute(
        select(ProgrammePeriod.entered_on, ProgrammePeriod.left_on).where(left))]
    figures.months_in_programme = round(sum(stays) / len(stays) / 30.44, 1) if stays else None
    people = select(ProgrammePeriod.participant_id).where(in_year)
    rows = db.session.execute(select(Participant.birth_year, Participant.sex, func.count())
                              .where(Participant.id.in_(people)).group_by(Participant.birth_year, Participant.sex)).all()
    figures.followed = sum(n for _year, _sex, n in rows)  # each person once, whatever their stays
    figures.age_bands, figures.sexes = demographics.count(rows, figures.year)


def _milestones(figures: YearFigures, start: date, end: date) -> None:
    figures.milestones = dict(db.session.execute(
        select(MilestoneKind.code, func.count(distinct(Milestone.participant_id)))
        .join(Milestone, Milestone.kind_id == MilestoneKind.id)
        .where(Milestone.happened_on >= start, Milestone.happened_on <= end)
        .group_by(MilestoneKind.code, MilestoneKind.position).order_by(MilestoneKind.position)).all())


def _assessments(figures: YearFigures, start: date, end: date) -> None:
    """Entry and exit averages per area, over the people whose exit rating falls in the year."""
    entry, leave = db.aliased(SelfAssessment), db.aliased(SelfAssessment)
    pairs = db.session.execute(
        select(entry, leave).join(leave, and_(leave.participant_id == entry.participant_id,
                                              leave.moment == Moment.EXIT))
        .where(entry.moment == Moment.ENTRY, leave.assessed_on >= start, leave.assessed_on <= end)).all()
    figures.assessed_people = len(pairs)
    for area in AREAS:
        both = [(getattr(a, area), getattr(b, area)) for a, b in pairs
                if getattr(a, area) is not None and getattr(b, area) is not None]
        if both:
            figures.assessments[area] = (round(sum(x for x, _y in both) / len(both), 2),
                                         round(sum(y for _x, y in both) / len(both), 2))


def _followup(figures: YearFigures, start: date, end: date) -> None:
    """The call-backs of the year: tries by outcome, people tried, and who came to a workshop after."""
    around = (datetime.combine(start - timedelta(days=1), time(), timezone.utc),
              datetime.combine(end + timedelta(days=2), time(), timezone.utc))  # then the centre's own days
    calls = db.session.execute(select(FollowUpCall.participant_id, FollowUpCall.called_at, FollowUpCall.outcome)
                               .where(FollowUpCall.called_at >= around[0], FollowUpCall.called_at < around[1])).all()
    calls = [(pid, to_local(at).date(), outcome) for pid, at, outcome in calls
             if start <= to_local(at).date() <= end]
    figures.calls = {}
    first_call: dict[int, date] = {}
    for pid, day, outcome in calls:
        figures.calls[str(outcome)] = figures.calls.get(str(outcome), 0) + 1
        first_call[pid] = min(day, first_call.get(pid, day))
    figures.called_people = len(first_call)
    if first_call:
        visits = db.session.execute(
            select(CheckIn.participant_id, func.max(WorkshopDay.day)).join(WorkshopDay)
            .where(CheckIn.participant_id.in_(first_call), WorkshopDay.day <= end)
            .group_by(CheckIn.participant_id)).all()
        figures.came_back_after_call = sum(1 for pid, last in visits if last > first_call[pid])


def year_figures(year: int, categories: bool = True, months: bool = True) -> YearFigures:
    """Every figure of one calendar year (the centre's days); `categories=False`: all but the kilos
    and value by category, which the caller sums with another year's (`_categories`); `months=False`:
    all but the households by month (ANDES's, a distinct count over the year's baskets: 130 ms on a
    network's year), left None."""
    figures = YearFigures(year=year)
    start, end = _span(year)
    parts = (_attendance, _epicerie, _programme, _milestones, _assessments, _followup)
    for part in (*parts, _households_by_month) if months else parts:
        part(figures, start, end)
    if categories:
        _categories(figures)
    figures.sources = report_sources(year)  # the stock's arrivals by source (issue 19)
    return figures


def year_report(year: int, detail: bool = True) -> YearReport:
    """The year and the year before: what every document of the year shows. `detail=False`: what the
    page shows, without what only the files show (the period's detail by structure and month, the
    households by month), which a network's year takes most of its time to count."""
    current = year_figures(year, categories=False, months=detail)
    previous = year_figures(year - 1, categories=False, months=False)  # no document shows last year's
    _categories(current, previous)
    return YearReport(current, previous, period_report(*_span(year)) if detail else None)
