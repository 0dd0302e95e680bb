"""The baskets' stored figures: each site's basket lines summed by month and category (`BasketMonth`).

The year's kilos and value by category read these rows (twelve a category and a site) instead of every
basket line of the year, which a network of 200 centres counts by the million and reaches only through
their baskets. They are kept here, in one place: a flush listener moves them with every line added,
changed or removed and every basket cancelled (or its day changed), whatever the path (a tablet's
basket, its correction or cancellation, the demo, a test's rows): what the touched lines counted is
read before the flush (from the database when an old value was never loaded), what they count after
it, and the difference goes in by one upsert
(INSERT … ON CONFLICT DO UPDATE SET col = col + excluded.col) per flush: two tablets at once add to
the same row without losing either. Rows written around the ORM (the bench's fillers, `kiosk transfer`)
are recounted with `rebuild_basket_months`; `month_differences` says where the stored figures and a
recount disagree (`kiosk figures check`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, cast, event, func, inspect, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kiosk.models import Basket, BasketLine, BasketMonth, Category, Site
from kiosk.platform.extensions import db

MONTHS = BasketMonth.__table__
LINES, BASKETS = BasketLine.__table__, Basket.__table__
Key = tuple[int, date, int]  # (site, first day of the month, category)


def month_of(day: date) -> date:
    return day.replace(day=1)


def _was(obj, name: str):
    """The value an attribute has in the database before this flush (called before the flush: an
    attribute set without its old value ever loaded is read from its row)."""
    state = inspect(obj)
    history = state.attrs[name].load_history()
    if history.deleted:
        return history.deleted[0]
    if history.unchanged:
        return history.unchanged[0]
    if history.added and state.persistent:
        table = type(obj).__table__
        return state.session.connection().scalar(select(table.c[name]).where(table.c.id == obj.id))
    return history.added[0] if history.added else None


def _old_basket(line: BasketLine) -> Basket | None:
    history = inspect(line).attrs.basket.history
    if history.deleted and history.deleted[0] is not None:
        return history.deleted[0]
    return line.basket if line.basket is not None else inspect(line).session.get(Basket, _was(line, "basket_id"))


def _before(line: BasketLine) -> tuple[Key, int, int] | None:
    """What the line counts in the stored figures before this flush (None: nothing)."""
    state = inspect(line)
    if state.transient or state.pending:
        return None
    basket = _old_basket(line)
    if basket is None or _was(basket, "cancelled_at") is not None:
        return None
    return ((_was(line, "site_id"), month_of(_was(basket, "served_on")), _was(line, "category_id")),
            _was(line, "weight_g") or 0, _was(line, "value_cents") or 0)


def _after(session: Session, line: BasketLine) -> tuple[Key, int, int] | None:
    """What the line counts once this flush is done (None: it is gone, or its basket cancelled)."""
    basket = line.basket
    if line in session.deleted or basket is None or basket.cancelled_at is not None:
        return None  # a line taken out of its basket is deleted (delete-orphan)
    return (line.site_id, month_of(basket.served_on), line.category_id), line.weight_g or 0, line.value_cents or 0


def _touched_lines(session: Session) -> list[BasketLine]:
    lines: dict[int, BasketLine] = {}
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, BasketLine):
            lines[id(obj)] = obj
        elif isinstance(obj, Basket) and not (inspect(obj).transient or inspect(obj).pending):
            state = inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in ("served_on", "cancelled_at", "site_id")):
                for line in (*obj.lines, *state.attrs.lines.history.deleted):
                    lines[id(line)] = line
    return list(lines.values())


PENDING = "basket_months"  # in the flush's own attributes, from before_flush to after_flush


def init_app(_app=None) -> None:
    """Keep the stored figures at every flush of every session, from now on (once, however many apps)."""
    for name, listener in (("before_flush", _count_before), ("after_flush", _count_after)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _touches_baskets(session: Session) -> bool:
    return any(isinstance(obj, (Basket, BasketLine)) for obj in (*session.new, *session.dirty, *session.deleted))


def _count_before(session: Session, flush, _instances) -> None:
    """Before the flush, while the database still holds them: what the touched lines counted."""
    if not _touches_baskets(session):
        return
    deltas: dict[Key, list[int]] = {}
    lines = _touched_lines(session)
    for line in lines:
        _add(deltas, -1, _before(line))
    flush.attributes[PENDING] = (lines, deltas)  # a flush that fails takes them with it


def _count_after(session: Session, flush) -> None:
    """After it (ids and sites given): what they count now; the difference goes to the stored figures."""
    lines, deltas = flush.attributes.get(PENDING, ((), {}))
    for line in lines:
        _add(deltas, 1, _after(session, line))
    add_to_months(session.connection(), {key: d for key, d in deltas.items() if any(d)})


def _add(deltas: dict[Key, list[int]], sign: int, counted) -> None:
    if counted is not None:
        key, grams, cents = counted
        total = deltas.setdefault(key, [0, 0, 0])
        total[0] += sign
        total[1] += sign * grams
        total[2] += sign * cents


def add_to_months(connection, deltas: dict[Key, list[int]]) -> None:
    """Add (lines, grams, cents) to each (site, month, category) row, made when missing; one statement,
    in key order (two writers lock the rows in the same order: no deadlock)."""
    if not deltas:
        return
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(MONTHS).values([
        {"site_id": site, "month": month, "category_id": category, "lines": n, "weight_g": grams, "value_cents": cents}
        for (site, month, category), (n, grams, cents) in sorted(deltas.items())])
    connection.execute(statement.on_conflict_do_update(
        index_elements=[MONTHS.c.month, MONTHS.c.category_id],
        set_={name: MONTHS.c[name] + statement.excluded[name] for name in ("lines", "weight_g", "value_cents")}))


def _month_sql(connection):
    """The first day of a basket's month, in SQL."""
    if connection.dialect.name == "postgresql":
        return cast(func.date_trunc("month", BASKETS.c.served_on), Date)
    return func.date(BASKETS.c.served_on, literal_column("'start of month'"))


def _recount(connection, site: int | None):
    """The stored figures as the basket lines give them: a SELECT of (site, month, category, lines,
    grams, cents)."""
    month = _month_sql(connection)
    query = (select(LINES.c.site_id, month.label("month"), LINES.c.category_id, func.count().label("lines"),
                    func.sum(LINES.c.weight_g).label("weight_g"), func.sum(LINES.c.value_cents).label("value_cents"))
             .join(BASKETS, LINES.c.basket_id == BASKETS.c.id).where(BASKETS.c.cancelled_at.is_(None))
             .group_by(LINES.c.site_id, month, LINES.c.category_id))
    return query.where(LINES.c.site_id == site) if site is not None else query


def rebuild_basket_months(site: int | None = None, connection=None) -> int:
    """Recount the stored figures from the basket lines (one site, or all); return the rows written."""
    connection = connection if connection is not None else db.session.connection()
    connection.execute(MONTHS.delete().where(MONTHS.c.site_id == site) if site is not None else MONTHS.delete())
    recount = _recount(connection, site).subquery()
    connection.execute(MONTHS.insert().from_select(
        ["site_id", "month", "category_id", "lines", "weight_g", "value_cents"], select(recount)))
    # (An INSERT … SELECT's rowcount is -1 through psycopg: the rows are counted.)
    query = select(func.count()).select_from(MONTHS)
    return connection.scalar(query.where(MONTHS.c.site_id == site) if site is not None else query)


@dataclass
class Difference:
    site: str
    month: date
    category: str
    stored: tuple[int, int, int]  # (lines, grams, cents)
    counted: tuple[int, int, int]


def month_differences(site: int | None = None) -> list[Difference]:
    """Where the stored figures and a recount of the lines disagree (a row of zeros = no row)."""
    connection = db.session.connection()
    stored_query = select(MONTHS.c.site_id, MONTHS.c.month, MONTHS.c.category_id, MONTHS.c.lines,
                          MONTHS.c.weight_g, MONTHS.c.value_cents)
    if site is not None:
        stored_query = stored_query.where(MONTHS.c.site_id == site)
    zero = (0, 0, 0)

    def rows(query) -> dict[Key, tuple[int, int, int]]:
        found = {}
        for site_id, month, category, n, grams, cents in connection.execute(query):
            if isinstance(month, str):
                month = date.fromisoformat(month)
            found[(site_id, month, category)] = (int(n), int(grams or 0), int(cents or 0))
        return {key: value for key, value in found.items() if value != zero}

    stored, counted = rows(stored_query), rows(_recount(connection, site))
    keys = sorted(key for key in stored.keys() | counted.keys() if stored.get(key, zero) != counted.get(key, zero))
    names = dict(connection.execute(select(Site.__table__.c.id, Site.__table__.c.name)).all())
    codes = dict(connection.execute(select(Category.__table__.c.id, Category.__table__.c.code)).all())
    return [Difference(names.get(s, str(s)), month, codes.get(c, str(c)), stored.get((s, month, c), zero),
                       counted.get((s, month, c), zero)) for s, month, c in keys]


def year_rows(first_year: int, last_year: int):
    """(year, code, label, grams, cents) by category for these years, from the stored figures (in the
    current sites: an ORM statement, scoped as any other)."""
    year = func.extract("year", BasketMonth.month)
    return db.session.execute(
        select(year, Category.code, Category.label, func.sum(BasketMonth.weight_g), func.sum(BasketMonth.value_cents))
        .join(Category, BasketMonth.category_id == Category.id)
        .where(BasketMonth.month >= date(first_year, 1, 1), BasketMonth.month <= date(last_year, 12, 1))
        .group_by(year, Category.code, Category.label, Category.position)
        .having(func.sum(BasketMonth.lines) > 0)
        .order_by(Category.position, Category.code, Category.label))
