"""A small centre whose figures are computed by hand, for the dashboard's tests.

The year 2025 (Thursdays 9 and 16 January, 6 March, 5 June; Europe/Paris):

participant  referrer (structure)             period                       came on
A Fatima     Mme Briand (CDAS Rennes Sud)     2024-11-07 →                 19/12/24, 9/1, 16/1, 6/3, 5/6
B Loïc       Mme Briand (CDAS Rennes Sud)     2025-01-09 → 2025-03-06 work 9/1, 16/1
C Awa        M. Texier (CCAS Vern-sur-Seiche) 2025-02-06 → 2025-06-05 training  6/3
D Kevin      M. Texier (CCAS Vern-sur-Seiche) 2025-03-06 →                 6/3, 5/6
E Nadia      (none)                           2026-01-08 →                 8/1/26
F Yannick    Mme Briand                       2023-01-05 → 2024-06-06 other  (nothing)
G Sylvie     (none)                           2025-06-05 →                 5/6 at 23:30 Paris time
H Rachid     M. Texier                        2024-11-07 →                 19/12/24, 5/6 (back after 3 missed)

2025: 4 workshop days held (Cuisine 9/1 and 6/3: 5 check-ins; Stress 16/1 and 5/6: 6), 11 check-ins,
6 distinct people, 6 followed, 4 entries (B C D G), 2 exits (work, training); 18/12 was planned
and nobody came (not held).
Baskets 2025 (cancelled ones never count): 9/1 A 4 250 g 23.40 € paid 2.34, B 2 000 g 10.00 € 1.00;
6/3 D 3 125 g 15.55 € 3.11 (and C 5 000 g 50.00 € 5.00 cancelled); 5/6 A 1 500 g 7.05 € 0.71.
Totals: 4 baskets, 10 875 g, 56.00 €, 7.16 €, 3 households (A B D).
"""

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from kiosk.auth.services import add_user
from kiosk.platform.extensions import db
from kiosk.models import (
    Activity,
    Basket,
    CheckIn,
    CheckInSource,
    Device,
    DeviceKind,
    ExitReason,
    Participant,
    ProgrammePeriod,
    RefusalReason,
    RefusedScan,
    Role,
    WorkshopDay,
)
from kiosk.people.referrers import find_or_create_referrer

PARIS = ZoneInfo("Europe/Paris")


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    """A Paris wall-clock time as the UTC-aware datetime the database keeps."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS).astimezone(timezone.utc)


class Centre:
    """Builders for explicit test data (adds and flushes; the fixture commits)."""

    def __init__(self):
        self.days: dict[date, WorkshopDay] = {}
        self.activities: dict[str, Activity] = {}
        self._keys = iter(range(1, 1_000_000))

    def person(self, first, last, referrer=None, structure=None, entered=None, left=None, reason=None, phone=None):
        participant = Participant(phone=phone)
        participant.set_names(first, last)
        if referrer:
            participant.referrer = find_or_create_referrer(referrer, structure)
        participant.periods.append(ProgrammePeriod(entered_on=entered, left_on=left, exit_reason=reason))
        db.session.add(participant)
        db.session.flush()
        return participant

    def workshop(self, day, activity=None):
        if day not in self.days:
            if activity and activity not in self.activities:
                self.activities[activity] = Activity(name=activity)
            self.days[day] = WorkshopDay(day=day, activity=self.activities.get(activity))
            db.session.add(self.days[day])
            db.session.flush()
        return self.days[day]

    def came(self, participant, day, hour=14, minute=0, activity=None, **kwargs):
        checkin = CheckIn(
            participant=participant, workshop_day=self.workshop(day, activity),
            checked_in_at=paris(day, hour, minute), source=kwargs.pop("source", CheckInSource.CARD), **kwargs,
        )
        db.session.add(checkin)
        db.session.flush()
        return checkin

    def basket(self, participant, day, grams, value, paid, cancelled=False, hour=15, **kwargs):
        basket = Basket(
            participant=participant, served_on=day, served_at=paris(day, hour),
            idempotency_key=f"test-{next(self._keys)}", request_digest="test",
            weight_g=grams, value_cents=value, paid_cents=paid,
            cancelled_at=paris(day, hour, 5) if cancelled else None, **kwargs,
        )
        db.session.add(basket)
        db.session.flush()
        return basket

    def refused(self, moment_utc, reason=RefusalReason.UNKNOWN):
        db.session.add(RefusedScan(scanned_at=moment_utc, reason=reason))
        db.session.flush()


@pytest.fixture
def centre(app):
    return Centre()


@pytest.fixture
def year_2025(app, centre):
    """The centre of the module docstring, committed."""
    c = centre
    briand, texier = ("Mme Briand", "CDAS Rennes Sud"), ("M. Texier", "CCAS Vern-sur-Seiche")
    a = c.person("Fatima", "Benali", *briand, entered=date(2024, 11, 7), phone="06 11 22 33 44")
    b = c.person("Loïc", "Moreau", *briand, entered=date(2025, 1, 9), left=date(2025, 3, 6), reason=ExitReason.WORK)
    cc = c.person("Awa", "Traoré", *texier, entered=date(2025, 2, 6), left=date(2025, 6, 5), reason=ExitReason.TRAINING)
    d = c.person("Kevin", "Martin", *texier, entered=date(2025, 3, 6))
    e = c.person("Nadia", "Haddad", entered=date(2026, 1, 8))
    f = c.person("Yannick", "Kerhervé", *briand, entered=date(2023, 1, 5), left=date(2024, 6, 6), reason=ExitReason.OTHER)
    g = c.person("Sylvie", "Petit", entered=date(2025, 6, 5))
    h = c.person("Rachid", "Amrani", *texier, entered=date(2024, 11, 7))
    monique = add_user("monique", Role.VOLUNTEER, "motdepasse-test", display_name="Monique")
    jean_pierre = add_user("jeanpierre", Role.VOLUNTEER, "motdepasse-test", display_name="Jean-Pierre")
    kiosk = Device(name="Borne entrée", kind=DeviceKind.KIOSK)
    db.session.add(kiosk)
    db.session.flush()

    jan9, jan16, mar6, jun5 = date(2025, 1, 9), date(2025, 1, 16), date(2025, 3, 6), date(2025, 6, 5)
    c.came(a, date(2024, 12, 19), activity="Atelier cuisine")
    c.came(h, date(2024, 12, 19))
    for day, activity in ((jan9, "Atelier cuisine"), (jan16, "Gestion du stress")):
        c.came(a, day, 13, 50, activity=activity)
        c.came(b, day, 14, 5)
    for person, minute in ((a, 40), (cc, 45), (d, 55)):
        c.came(person, mar6, 13, minute, activity="Atelier cuisine")
    c.came(a, jun5, 13, 48, activity="Gestion du stress", device_id=kiosk.id)
    c.came(d, jun5, 14, 2)
    c.came(h, jun5, 14, 20, source=CheckInSource.HOST, recorded_by=monique)
    c.came(g, jun5, 23, 30)  # late evening, Paris time: still 5 June
    c.workshop(date(2025, 12, 18), "Atelier cuisine")  # planned, nobody came: not held
    c.came(e, date(2026, 1, 8), activity="Atelier cuisine")

    c.basket(a, date(2024, 12, 19), 1000, 500, 50)
    c.basket(a, jan9, 4250, 2340, 234, served_by=jean_pierre)
    c.basket(b, jan9, 2000, 1000, 100, served_by=monique)
    c.basket(d, mar6, 3125, 1555, 311)
    c.basket(cc, mar6, 5000, 5000, 500, cancelled=True)
    c.basket(a, jun5, 1500, 705, 71, served_by=jean_pierre)

    c.refused(datetime(2025, 6, 4, 23, 59, tzinfo=timezone.utc))  # 01:59 in Paris on 5 June: counts
    c.refused(paris(jun5, 13, 50))
    c.refused(paris(jun5, 23, 30), RefusalReason.REPLACED)
    c.refused(paris(jun5 + timedelta(days=1), 0, 15))  # 6 June in Paris: not that day
    db.session.commit()
    return SimpleNamespace(a=a, b=b, c=cc, d=d, e=e, f=f, g=g, h=h, jan9=jan9, jan16=jan16, mar6=mar6, jun5=jun5)
