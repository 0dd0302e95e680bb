"""The figures of a period (the year's report) and of the last twelve months (trends).

Everything is aggregated in SQL (GROUP BY) over indexed ranges: a handful of queries whatever the
length of the history. Grouping by day in SQL and then by week or month here keeps the SQL portable;
the rows are bounded by the days of the period, not by the number of check-ins.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, distinct, func, or_, select

from kiosk.platform.extensions import db
from kiosk.models import Activity, Basket, CheckIn, ExitReason, Participant, ProgrammePeriod, Referrer, WorkshopDay


@dataclass
class Totals:
    """Counts and sums shared by the whole period, a month, a week or a structure."""

    workshop_days: int = 0
    checkins: int = 0
    baskets: int = 0
    weight_g: int = 0
    value_cents: int = 0
    paid_cents: int = 0

    @property
    def average_attendance(self) -> float | None:
        return self.checkins / self.workshop_days if self.workshop_days else None

    @property
    def share_percent(self) -> float | None:
        return 100 * self.paid_cents / self.value_cents if self.value_cents else None


@dataclass
class StructureRow(Totals):
    structure: str | None = None
    followed: int = 0
    came: int = 0
    households: int = 0
    entries: int = 0
    exits: int = 0


@dataclass
class ActivityRow:
    name: str | None
    days: int = 0
    checkins: int = 0


@dataclass
class PeriodReport(Totals):
    start: date = None
    end: date = None
    followed: int = 0  # in the programme at some point of the period
    came: int = 0  # came to at least one workshop day of the period
    households: int = 0  # took at least one basket
    entries: int = 0
    exits: dict[ExitReason, int] = field(default_factory=dict)
    activities: list[ActivityRow] = field(default_factory=list)
    structures: list[StructureRow] = field(default_factory=list)
    months: list[tuple[date, Totals]] = field(default_factory=list)

    @property
    def exits_total(self) -> int:
        return sum(self.exits.values())


def checkins_by_day(start: date, end: date):
    """(day, activity name, check-ins) for each workshop day held in [start, end]."""
    # Each day's check-ins counted on the index (workshop_day_id first): a network's year is 10,400
    # short index ranges, not 520,000 rows joined, then hashed by day.
    came = select(func.count()).where(CheckIn.workshop_day_id == WorkshopDay.id).scalar_subquery()
    rows = db.session.execute(
        select(WorkshopDay.day, Activity.name, came)
        .outerjoin(Activity, WorkshopDay.activity_id == Activity.id)
        .where(WorkshopDay.day >= start, WorkshopDay.day <= end)
        .order_by(WorkshopDay.day)
    ).all()
    return [row for row in rows if row[2]]  # a day without a check-in was not held


def baskets_by_day(start: date, end: date):
    """(day, baskets, grams, value, paid) for each day with baskets (cancelled ones left out)."""
    return db.session.execute(
        select(
            Basket.served_on, func.count(), func.sum(Basket.weight_g),  # count(*): from the index alone
            func.sum(Basket.value_cents), func.sum(Basket.paid_cents),
        )
        .where(Basket.served_on >= start, Basket.served_on <= end, Basket.cancelled_at.is_(None))
        .group_by(Basket.served_on)
        .order_by(Basket.served_on)
    ).all()


def movements_by_day(start: date, end: date):
    """Entries and exits by day: ({day: entries}, {day: exits})."""
    entries = dict(db.session.execute(
        select(ProgrammePeriod.entered_on, func.count(ProgrammePeriod.id))
        .where(ProgrammePeriod.entered_on >= start, ProgrammePeriod.entered_on <= end)
        .group_by(ProgrammePeriod.entered_on)
    ).all())
    exits = dict(db.session.execute(
        select(ProgrammePeriod.left_on, func.count(ProgrammePeriod.id))
        .where(ProgrammePeriod.left_on >= start, ProgrammePeriod.left_on <= end)
        .group_by(ProgrammePeriod.left_on)
    ).all())
    return entries, exits


def _by_structure(query):
    """Group a query (whose FROM reaches Participant) by the referrer's structure."""
    return (
        query.outerjoin(Referrer, Participant.referrer_id == Referrer.id)
        .group_by(Referrer.structure)
    )


def structure_rows(start: date, end: date) -> dict[str | None, StructureRow]:
    """Every figure of the period, by referrer structure (participants without one grouped as None)."""
    rows: dict[str | None, StructureRow] = {}

    def row(structure):
        return rows.setdefault(structure, StructureRow(structure=structure))

    in_period = and_(
        ProgrammePeriod.entered_on <= end, or_(ProgrammePeriod.left_on.is_(None), ProgrammePeriod.left_on >= start)
    )
    # One pass over the stays of the period (an entry or an exit in it is a stay in it): a network's year
    # 95 ms, where the people followed and the entries and exits apart took 165 ms.
    for structure, followed, entries, exits in db.session.execute(_by_structure(
        select(
            Referrer.structure, func.count(distinct(ProgrammePeriod.participant_id)),
            func.count(ProgrammePeriod.id).filter(ProgrammePeriod.entered_on >= start, ProgrammePeriod.entered_on <= end),
            func.count(ProgrammePeriod.id).filter(ProgrammePeriod.left_on >= start, ProgrammePeriod.left_on <= end),
        )
        .join(Participant, ProgrammePeriod.participant_id == Participant.id).where(in_period)
    )):
        target = row(structure)
        target.followed, target.entries, target.exits = followed, entries, exits
    # Each person's rows first (a network's year: 520,000 check-ins, 312,000 baskets), then their
    # structure: a few thousand people joined and counted rather than every row sorted by structure.
    visits = (select(CheckIn.participant_id, func.count().label("n"))
              .join(WorkshopDay, CheckIn.workshop_day_id == WorkshopDay.id)
              .where(WorkshopDay.day >= start, WorkshopDay.day <= end).group_by(CheckIn.participant_id).subquery())
    for structure, came, checkins in db.session.execute(_by_structure(
        select(Referrer.structure, func.count(), func.sum(visits.c.n))
        .select_from(visits).join(Participant, visits.c.participant_id == Participant.id)
    )):
        row(structure).came, row(structure).checkins = came, int(checkins)
    served = (select(Basket.participant_id, func.count().label("n"), func.sum(Basket.weight_g).label("g"),
                     func.sum(Basket.value_cents).label("v"), func.sum(Basket.paid_cents).label("p"))
              .where(Basket.served_on >= start, Basket.served_on <= end, Basket.cancelled_at.is_(None))
              .group_by(Basket.participant_id).subquery())
    for structure, households, baskets, grams, value, paid in db.session.execute(_by_structure(
        select(Referrer.structure, func.count(), func.sum(served.c.n), func.sum(served.c.g), func.sum(served.c.v),
               func.sum(served.c.p))
        .select_from(served).join(Participant, served.c.participant_id == Participant.id)
    )):
        target = row(structure)
        target.households, target.baskets = households, int(baskets)
        target.weight_g, target.value_cents, target.paid_cents = int(grams or 0), int(value or 0), int(paid or 0)
    return rows


def exits_by_reason(start: date, end: date) -> dict[ExitReason, int]:
    """How many left the programme during the period, by reason (in the order of the reasons)."""
    counts = dict(db.session.execute(
        select(ProgrammePeriod.exit_reason, func.count(ProgrammePeriod.id))
        .where(ProgrammePeriod.left_on >= start, ProgrammePeriod.left_on <= end)
        .group_by(ProgrammePeriod.exit_reason)
    ).all())
    return {reason: counts[reason] for reason in ExitReason if counts.get(reason)}


def month_start(day: date) -> date:
    return day.replace(day=1)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def period_report(start: date, end: date) -> PeriodReport:
    """The report of a period for the annual diagnostic and the funders."""
    report = PeriodReport(start=start, end=end)
    months: dict[date, Totals] = defaultdict(Totals)
    activities: dict[str | None, ActivityRow] = {}
    for day, activity, checkins in checkins_by_day(start, end):
        report.workshop_days += 1
        report.checkins += checkins
        month = months[month_start(day)]
        month.workshop_days += 1
        month.checkins += checkins
        mix = activities.setdefault(activity, ActivityRow(activity))
        mix.days += 1
        mix.checkins += checkins
    for day, baskets, grams, value, paid in baskets_by_day(start, end):
        for totals in (report, months[month_start(day)]):
            totals.baskets += baskets
            totals.weight_g += grams or 0
            totals.value_cents += value or 0
            totals.paid_cents += paid or 0
    structures = structure_rows(start, end)
    report.followed = sum(row.followed for row in structures.values())
    report.came = sum(row.came for row in structures.values())
    report.households = sum(row.households for row in structures.values())
    report.entries = sum(row.entries for row in structures.values())
    report.exits = exits_by_reason(start, end)
    report.structures = sorted(structures.values(), key=lambda r: (r.structure is None, (r.structure or "").casefold()))
    report.activities = sorted(activities.values(), key=lambda a: (-a.checkins, a.name or ""))
    report.months = sorted(months.items())
    return report


@dataclass
class Trends:
    end: date
    weeks: list[tuple[date, Totals]]
    months: list[tuple[date, int, int]]  # (month, entries, exits)


def trends(today: date, weeks: int = 52) -> Trends:
    """Attendance and baskets week by week, entries and exits month by month, over the last year."""
    first_week = week_start(today) - timedelta(weeks=weeks - 1)
    by_week = {first_week + timedelta(weeks=n): Totals() for n in range(weeks)}
    for day, _activity, checkins in checkins_by_day(first_week, today):
        by_week[week_start(day)].workshop_days += 1
        by_week[week_start(day)].checkins += checkins
    for day, baskets, grams, value, paid in baskets_by_day(first_week, today):
        totals = by_week[week_start(day)]
        totals.baskets += baskets
        totals.weight_g += grams or 0
        totals.value_cents += value or 0
        totals.paid_cents += paid or 0
    first_month = month_start(first_week)
    month_keys = []
    cursor = first_month
    while cursor <= today:
        month_keys.append(cursor)
        cursor = month_start(cursor + timedelta(days=32))
    entries, exits = movements_by_day(first_month, today)
    flows = {month: [0, 0] for month in month_keys}
    for day, count in entries.items():
        flows[month_start(day)][0] += count
    for day, count in exits.items():
        flows[month_start(day)][1] += count
    return Trends(
        end=today,
        weeks=sorted(by_week.items()),
        months=[(month, counts[0], counts[1]) for month, counts in sorted(flows.items())],
    )
