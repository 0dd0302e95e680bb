"""The year's figures kept beside the records they count, by the database itself.

A network's yearly report counts 520,000 check-ins and 312,000 baskets a year, twice (the year and
the year before): read from the records, that was 1.3 s of queries on the bench's 200 centres. These
two tables hold the same counts per person and year and per workshop day. Triggers on `check_in` and
`basket` keep them (migration 20g_year_counts): every write moves them in the same transaction,
whatever wrote it (the kiosk's Core insert, a correction, a cancellation, `kiosk transfer`, a test's
row), so no service has to remember to. `kiosk figures check` recounts them from the records and
says where they differ; `kiosk figures rebuild` makes them again (after rows loaded with triggers
off, as the bench's filler does). The yearly report reads them (kiosk/reports/figures.py, and the
sessions' figures in kiosk/programme/queries.py); kiosk/reports/counts.py recounts them.

Why triggers, when the baskets' monthly figures are kept by a flush listener: a check-in is written
by a Core INSERT (the kiosk's fast path), which no ORM event sees, and `kiosk transfer` copies rows
around the ORM; the database sees every row. (A row gone, its person or its workshop day deleted:
its counts go with it.)
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.models.sites import SiteOwned
from kiosk.platform.extensions import db

ZERO = text("0")
# Never copied from one database to another (`kiosk transfer`): the target's triggers count the rows.
KEPT_BY_TRIGGERS = ("person_year", "day_attendance")


class PersonYear(SiteOwned, db.Model):
    """One person's year: the workshop days they came to (their check-ins) and their kept baskets
    (cancelled ones left out), with the baskets' kilos, value and contributions. The year is the
    workshop day's, or the basket's `served_on`; the site is the person's own (a person belongs to
    one site, so a network's people are the sum of its sites')."""

    __tablename__ = "person_year"

    # Year first: a network's year is one range of the key.
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True,
                                                autoincrement=False)
    workshops: Mapped[int] = mapped_column(server_default=ZERO)
    baskets: Mapped[int] = mapped_column(server_default=ZERO)
    weight_g: Mapped[int] = mapped_column(BigInteger, server_default=ZERO)
    value_cents: Mapped[int] = mapped_column(BigInteger, server_default=ZERO)
    paid_cents: Mapped[int] = mapped_column(BigInteger, server_default=ZERO)


class DayAttendance(SiteOwned, db.Model):
    """How many people checked in on one workshop day."""

    __tablename__ = "day_attendance"

    workshop_day_id: Mapped[int] = mapped_column(ForeignKey("workshop_day.id", ondelete="CASCADE"),
                                                 primary_key=True, autoincrement=False)
    checkins: Mapped[int] = mapped_column(server_default=ZERO)
