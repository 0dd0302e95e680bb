"""The counts the database keeps per person and year and per workshop day (kiosk/models/figures.py),
against a recount of the records, through every path that writes check-ins and baskets."""

from datetime import date, datetime, timezone

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from kiosk.checkin.services import check_in_by_card, check_in_by_host, insert_checkin
from kiosk.models import Basket, CheckIn, DayAttendance, PersonYear, Role, WorkshopDay
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.programme.corrections import remove_checkin
from kiosk.reports.counts import count_differences
from kiosk.reports.figures import year_figures
from tests.epicerie.conftest import basket_body, categories, household, line, post_basket, volunteer_client  # noqa: F401  (fixtures)


def kept(participant_id: int, year: int | None = None) -> tuple[int, ...] | None:
    """(workshops, baskets, grams, value, paid) kept for this person's year (None: no row)."""
    db.session.expire_all()
    row = db.session.execute(select(PersonYear.workshops, PersonYear.baskets, PersonYear.weight_g,
                                    PersonYear.value_cents, PersonYear.paid_cents)
                             .where(PersonYear.participant_id == participant_id,
                                    PersonYear.year == (year or local_day().year))).first()
    return tuple(row) if row else None


def day_checkins() -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(select(DayAttendance.checkins)))


def test_checkins_by_card_and_host_then_one_taken_back_leave_the_recount(app, make_participant, make_user,
                                                                          workshop_today):
    """Do a card's check-in, a host's, a second scan the same day (nothing new) and a check-in taken
    back move the person's year and the day's count exactly as a recount of the check-ins says?"""
    awa, code = make_participant("Awa", "Traoré")
    leo, _ = make_participant("Léo", "Martin")
    coordinator = make_user(Role.COORDINATOR)
    check_in_by_card(code)
    check_in_by_card(code)  # the same day again: one check-in
    made = check_in_by_host(leo.id, coordinator.id)
    db.session.commit()
    assert kept(awa.id)[0] == 1 and kept(leo.id)[0] == 1
    assert day_checkins() == [2]
    assert count_differences() == []

    remove_checkin(db.session.get(CheckIn, made.checkin_id), coordinator, "test")
    db.session.commit()
    assert kept(leo.id) is None and day_checkins() == [1]  # a count back to zero is no row
    assert count_differences() == []
    figures = year_figures(local_day().year)
    assert (figures.workshop_days, figures.checkins, figures.people_came) == (1, 1, 1)


def test_a_basket_recorded_corrected_then_cancelled_leaves_the_recount(volunteer_client, household):
    """Do the person's kept baskets, kilos, value and contribution follow a basket recorded,
    corrected and cancelled, equal to a recount at each step?"""
    first = post_basket(volunteer_client, basket_body(household.id, [line("frais", 2, 1.5, "12.50")],
                                                      paid_eur="1.25")).json["id"]
    post_basket(volunteer_client, basket_body(household.id, [line("bebe", 1, 0.25, "4.20")], paid_eur="0.40"))
    assert kept(household.id) == (0, 2, 1750, 1670, 165)
    assert count_differences() == []

    correction = {"lines": [line("frais", 3, 2, "15.00")], "paid_eur": "1.70"}
    assert volunteer_client.put(f"/api/baskets/{first}", json=correction).status_code == 200
    assert kept(household.id) == (0, 2, 2250, 1920, 210)
    assert count_differences() == []

    assert volunteer_client.post(f"/api/baskets/{first}/cancel").status_code == 200
    assert volunteer_client.post(f"/api/baskets/{first}/cancel").status_code == 200  # again: nothing more
    assert kept(household.id) == (0, 1, 250, 420, 40)
    assert count_differences() == []
    figures = year_figures(local_day().year)
    assert (figures.baskets, figures.weight_g, figures.households_served) == (1, 250, 1)
    second = db.session.scalar(select(Basket.id).where(Basket.participant_id == household.id,
                                                       Basket.cancelled_at.is_(None)))
    assert volunteer_client.post(f"/api/baskets/{second}/cancel").status_code == 200
    assert kept(household.id) is None  # nothing left of the year: no row, as a recount makes none
    assert count_differences() == []


def test_figures_check_names_a_count_gone_wrong_and_rebuild_mends_it(runner, volunteer_client, household):
    """Does `kiosk figures check` pass, then fail naming the person's year of a kept count gone wrong,
    until `kiosk figures rebuild` recounts it?"""
    post_basket(volunteer_client, basket_body(household.id, [line("frais", 2, 1.5, "12.50")]))
    assert runner.invoke(args=["figures", "check"]).exit_code == 0
    db.session.execute(text("UPDATE person_year SET baskets = baskets + 2"))
    db.session.commit()
    failed = runner.invoke(args=["figures", "check"])
    assert failed.exit_code == 1
    assert f"{local_day().year}, participant {household.id}" in failed.output
    rebuilt = runner.invoke(args=["figures", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert runner.invoke(args=["figures", "check"]).exit_code == 0
    assert kept(household.id)[1] == 1


def test_the_migration_fills_the_counts_from_the_rows_there(app, make_participant):
    """Does upgrading a database that already holds check-ins and baskets fill the counts (31 December
    and 1 January in their own years, a cancelled basket left out), then keep them with the next rows?"""
    awa_id = make_participant("Awa", "Traoré")[0].id
    db.session.commit()
    db.session.remove()
    downgrade(revision="20f_basket_months")
    with db.engine.begin() as connection:
        for day_id, day in ((1, date(2024, 12, 31)), (2, date(2025, 1, 1))):
            connection.execute(text("INSERT INTO workshop_day (id, site_id, day, planned) VALUES (:id, 1, :day, false)"),
                               {"id": day_id, "day": day})
            connection.execute(text(
                "INSERT INTO check_in (site_id, participant_id, workshop_day_id, checked_in_at, received_at, source) "
                "VALUES (1, :p, :d, :at, :at, 'host')"), {"p": awa_id, "d": day_id, "at": datetime(day.year, day.month, day.day, 13)})
        for basket_id, day, cancelled in ((1, date(2025, 1, 1), None), (2, date(2025, 3, 6), None),
                                          (3, date(2025, 3, 13), datetime(2025, 3, 13))):
            connection.execute(text(
                "INSERT INTO basket (id, site_id, participant_id, served_on, served_at, idempotency_key, request_digest, "
                "value_cents, weight_g, paid_cents, cancelled_at) VALUES (:id, 1, :p, :day, :at, :key, 'x', 250, 1000, 25, :c)"),
                {"id": basket_id, "p": awa_id, "day": day, "at": datetime(day.year, day.month, day.day, 15),
                 "key": f"k{basket_id}", "c": cancelled})
    upgrade()
    db.session.remove()
    assert kept(awa_id, 2024) == (1, 0, 0, 0, 0)
    assert kept(awa_id, 2025) == (1, 2, 2000, 500, 50)
    assert sorted(day_checkins()) == [1, 1]
    assert count_differences() == []
    db.session.execute(text("UPDATE basket SET cancelled_at = NULL WHERE id = 3"))  # a raw write: the trigger moves it
    db.session.commit()
    assert kept(awa_id, 2025) == (1, 3, 3000, 750, 75)
    assert count_differences() == []


def test_the_triggers_are_there_at_the_last_migration(app):
    """Are the triggers that keep the counts in the database the migrations make (a later SQLite
    migration that rebuilds check_in or basket would drop them silently)?"""
    if db.engine.dialect.name == "postgresql":
        names = set(db.session.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
        assert {"check_in_counts", "basket_counts"} <= names
    else:
        names = set(db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        assert {f"{table}_counts_{event}" for table in ("check_in", "basket")
                for event in ("insert", "delete", "update")} <= names


def test_rows_moved_by_hand_across_a_new_year_move_their_counts(app, make_participant):
    """Does a check-in moved to another day (31 December to 2 January) or another person, a basket
    moved across the new year, and a check-in inserted twice on one day (the kiosk's INSERT … ON
    CONFLICT DO NOTHING) leave the counts equal to a recount?"""
    awa_id, leo_id = make_participant("Awa", "Traoré")[0].id, make_participant("Léo", "Martin")[0].id
    old, new = WorkshopDay(day=date(2024, 12, 31)), WorkshopDay(day=date(2025, 1, 2))
    db.session.add_all([old, new])
    db.session.flush()
    values = {"site_id": 1, "participant_id": awa_id, "workshop_day_id": old.id, "checked_in_at": datetime(2024, 12, 31, 13, tzinfo=timezone.utc),
              "received_at": datetime(2024, 12, 31, 13, tzinfo=timezone.utc), "source": "host", "card_id": None, "device_id": None,
              "recorded_by_id": None}
    statement = insert_checkin(db.engine.dialect.name)
    assert db.session.execute(statement, values).first() is not None
    assert db.session.execute(statement, values).first() is None  # the same day again: nothing written
    db.session.commit()
    assert kept(awa_id, 2024) == (1, 0, 0, 0, 0)
    db.session.execute(text("UPDATE check_in SET workshop_day_id = :new"), {"new": new.id})
    db.session.commit()
    assert kept(awa_id, 2024) is None and kept(awa_id, 2025) == (1, 0, 0, 0, 0)
    db.session.execute(text("UPDATE check_in SET participant_id = :leo"), {"leo": leo_id})
    db.session.execute(text(
        "INSERT INTO basket (site_id, participant_id, served_on, served_at, idempotency_key, request_digest, "
        "value_cents, weight_g, paid_cents) VALUES (1, :p, :day, :at, 'k', 'x', 300, 1000, 30)"),
        {"p": awa_id, "day": date(2025, 12, 31), "at": datetime(2025, 12, 31, 15)})
    db.session.execute(text("UPDATE basket SET served_on = :day"), {"day": date(2026, 1, 1)})
    db.session.commit()
    assert kept(awa_id, 2025) is None and kept(leo_id, 2025) == (1, 0, 0, 0, 0)
    assert kept(awa_id, 2026) == (0, 1, 1000, 300, 30)
    assert count_differences() == []
    assert sorted(day_checkins()) == [1]
