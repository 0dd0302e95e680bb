"""Issue 20, point 5: the network's yearly report counted with fewer passes (kiosk/reports/figures.py),
on the cases where the old and the new queries could differ."""

from datetime import date, datetime, timezone

from kiosk.models import Basket, CheckIn, CheckInSource, WorkshopDay
from kiosk.people.services import add_participant
from kiosk.platform.extensions import db
from kiosk.reports.figures import year_figures, year_report
from kiosk.sites.scope import every_site, scoped_to, set_scope
from kiosk.sites.services import add_site

DAY = date(2025, 3, 6)


def came(person_id: int, session: WorkshopDay) -> None:
    db.session.add(CheckIn(participant_id=person_id, workshop_day=session, source=CheckInSource.HOST,
                           checked_in_at=datetime(2025, 3, 6, 13, tzinfo=timezone.utc)))


def basket(person_id: int, day: date, key: str, cancelled: bool = False) -> None:
    db.session.add(Basket(participant_id=person_id, served_on=day, idempotency_key=key, request_digest="t",
                          weight_g=1000, value_cents=100,
                          cancelled_at=datetime(2025, 3, 6, 15, tzinfo=timezone.utc) if cancelled else None))


def test_a_person_at_two_sites_workshops_on_one_date_came_to_two_workshops(app):
    """Does someone checked in at two centres' workshops on the same date count two check-ins and two
    workshop days attended in the network's year (each site's day is its own workshop, as
    `workshop_days` counts them), as the year's detail counts them?"""
    b = add_site("Centre B").id
    awa, leo = add_participant("Awa", "Traoré").id, add_participant("Léo", "Martin").id
    here = WorkshopDay(day=DAY)
    db.session.add(here)
    came(awa, here)
    came(leo, here)
    db.session.flush()
    with scoped_to(b):  # a row no screen makes (a check-in takes the card's own site): written here
        there = WorkshopDay(day=DAY)
        db.session.add(there)
        came(awa, there)
        db.session.flush()
    db.session.commit()
    with every_site():
        report = year_report(2025)
    c = report.current
    assert (c.workshop_days, c.checkins, c.people_came, c.average_attendance) == (2, 3, 2, 1.5)
    assert c.regularity == {(1, 1): 1, (2, 5): 1, (6, 11): 0, (12, None): 0}
    assert (report.detail.workshop_days, report.detail.checkins, report.detail.came) == (2, 3, 2)


def test_households_served_keep_the_year_and_leave_cancelled_baskets_out(app):
    """Are the households served those with a kept basket in the year (31 December and 1 January on
    either side), once each however many baskets, with their household sizes; a cancelled basket,
    nobody; and the households by month each month's own?"""
    awa, leo, zoe = (add_participant(first, "Test") for first in ("Awa", "Léo", "Zoé"))
    awa.household_size, leo.household_size, zoe.household_size = 4, 2, 3
    awa.adults, awa.children = 1, 3
    for person, day, key, cancelled in ((awa, date(2024, 12, 31), "a0", False), (awa, date(2025, 1, 1), "a1", False),
                                        (awa, date(2025, 1, 9), "a2", False), (awa, date(2025, 3, 6), "a3", False),
                                        (leo, date(2025, 12, 31), "l1", False), (leo, date(2026, 1, 1), "l2", False),
                                        (zoe, date(2025, 3, 6), "z1", True)):
        basket(person.id, day, key, cancelled)
    db.session.commit()
    c, before = year_figures(2025), year_figures(2024)
    assert (c.households_served, c.people_in_households_served, c.adults, c.children, c.household_known) == (2, 6, 1, 3, 1)
    assert c.baskets == 4 and c.households_by_month == {1: 1, 3: 1, 12: 1}
    assert (before.households_served, before.people_in_households_served, before.baskets) == (1, 4, 1)


def test_the_page_reads_what_the_files_read_without_their_detail(app):
    """Does the page's report (no detail) give the same figures as the files' one, leaving out only the
    period's detail and the households by month, which only the files show?"""
    awa = add_participant("Awa", "Traoré")
    session = WorkshopDay(day=DAY)
    db.session.add(session)
    came(awa.id, session)
    basket(awa.id, DAY, "a1")
    db.session.commit()
    files, page = year_report(2025), year_report(2025, detail=False)
    assert page.detail is None and files.detail is not None
    assert files.current.households_by_month == {3: 1} and page.current.households_by_month is None
    assert files.previous.households_by_month is None  # no document shows last year's
    for figures in (files, page):
        figures.current.households_by_month = None
    assert page.current == files.current and page.previous == files.previous


def test_each_sites_year_is_its_own_and_the_network_their_sum(app):
    """Does each centre's year (from the counts kept per person and year) count only its own people's
    check-ins and baskets, the network's the two added, and a reader of both centres the same sum?"""
    b = add_site("Centre B").id
    awa, leo = add_participant("Awa", "Traoré").id, add_participant("Léo", "Martin").id
    here = WorkshopDay(day=DAY)
    db.session.add(here)
    came(awa, here)
    came(leo, here)
    basket(awa, DAY, "a1")
    db.session.flush()
    with scoped_to(b):
        zoe = add_participant("Zoé", "Petit").id
        there, later = WorkshopDay(day=DAY), WorkshopDay(day=date(2025, 3, 13))
        db.session.add_all([there, later])
        came(zoe, there)
        came(zoe, later)
        basket(zoe, DAY, "z1")
        basket(zoe, date(2025, 3, 13), "z2")
        basket(zoe, date(2025, 3, 13), "z3", cancelled=True)
        db.session.flush()
    db.session.commit()

    def figures():
        f = year_figures(2025)
        return f.workshop_days, f.checkins, f.people_came, f.baskets, f.weight_g, f.households_served

    with scoped_to(1):
        assert figures() == (1, 2, 2, 1, 1000, 1)
    with scoped_to(b):
        assert figures() == (2, 2, 1, 2, 2000, 1)
    with every_site():
        assert figures() == (3, 4, 3, 3, 3000, 2)
    set_scope((1, b), 1)  # a referent who refers people to both centres reads both
    assert figures() == (3, 4, 3, 3, 3000, 2)
