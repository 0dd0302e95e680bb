"""Retention: exactly the people without contact for N years are anonymised; the audit trail keeps a year."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from kiosk.audit import record_audit
from kiosk.platform.extensions import db
from kiosk.models import AuditEvent, ExitReason, Participant
from kiosk.people.services import add_participant
from kiosk.privacy.retention import participants_without_contact, run_retention, years_before
from kiosk.privacy.services import anonymise_participant
from kiosk.settings import set_setting
from tests.privacy.conftest import noon_utc

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=timezone.utc)  # two years before: 15 June 2023, noon UTC


def person(first: str, created: date, entered: date | None = None, left: date | None = None) -> Participant:
    participant = add_participant(first, "Test", entered_on=entered or created)
    participant.created_at = noon_utc(created)
    if left:
        participant.periods[0].left_on = left
        participant.periods[0].exit_reason = ExitReason.WORK
    db.session.flush()
    return participant


@pytest.fixture
def population(app, history):
    """One person per rule, each named after what keeps them (or not)."""
    old = date(2020, 3, 5)
    people = {
        "quiet": person("Quiet", old, left=date(2021, 1, 7)),
        "quiet_open_period": person("Open", old),
        "last_seen_just_before": person("Before", old),
        "checkin_after": person("Checkin", old),
        "basket_after": person("Basket", old),
        "call_after": person("Call", old),
        "left_after": person("Left", old, left=date(2023, 9, 1)),
        "entered_after": person("Entered", date(2023, 6, 1), entered=date(2023, 7, 6)),
        "created_after": person("Created", date(2024, 2, 1), entered=date(2023, 1, 5)),
        "already_anonymised": person("Gone", old),
    }
    history.checkin(people["quiet"], date(2020, 12, 3))
    history.basket(people["quiet"], date(2020, 12, 3))
    history.checkin(people["last_seen_just_before"], date(2023, 6, 14))
    history.checkin(people["checkin_after"], date(2023, 6, 16))
    history.basket(people["basket_after"], date(2024, 11, 7))
    history.call(people["call_after"], date(2025, 1, 10), note="rappel")
    anonymise_participant(people["already_anonymised"], "request", now=noon_utc(date(2022, 1, 1)))
    db.session.commit()
    return people


def test_retention_picks_exactly_those_without_contact(population):
    """With 2 years, are exactly the people with no check-in, basket, period or call since then picked?"""
    due = {p.id for p in participants_without_contact(years_before(NOW, 2))}
    expected = {population[name].id for name in ("quiet", "quiet_open_period", "last_seen_just_before")}
    assert due == expected


def test_retention_anonymises_them_and_closes_at_last_contact(population):
    """Does the run anonymise those people only, closing an open period on the day of last contact?"""
    result = run_retention(NOW)
    db.session.commit()
    assert sorted(result.anonymised) == sorted(
        population[name].id for name in ("quiet", "quiet_open_period", "last_seen_just_before"))
    assert db.session.scalar(select(func.count()).where(Participant.anonymised_at.is_not(None))) == 4
    before = population["last_seen_just_before"]
    assert before.first_name == "Anonyme" and before.periods[0].left_on == date(2023, 6, 14)
    assert population["quiet_open_period"].periods[0].left_on == date(2020, 3, 5)
    assert population["quiet"].periods[0].left_on == date(2021, 1, 7)  # already closed: kept
    assert population["checkin_after"].first_name == "Checkin"
    assert run_retention(NOW).anonymised == []


def test_the_setting_moves_the_cutoff(population):
    """With the setting at 3 years, is the person last seen two years ago kept, and at 1 year more are picked?"""
    set_setting("retention_years", "3")
    assert {p.first_name for p in participants_without_contact(years_before(NOW, 3))} == {"Quiet", "Open"}
    assert run_retention(NOW, dry_run=True).anonymised == [population["quiet"].id, population["quiet_open_period"].id]
    set_setting("retention_years", "1")
    assert "Checkin" in {p.first_name for p in participants_without_contact(years_before(NOW, 1))}


def test_dry_run_changes_nothing(population):
    """Does a dry run list the people but leave them as they were?"""
    result = run_retention(NOW, dry_run=True)
    db.session.rollback()
    assert len(result.anonymised) == 3
    assert db.session.scalar(select(func.count()).where(Participant.anonymised_at.is_not(None))) == 1


def test_audit_events_are_kept_one_year(app):
    """Are audit events older than a year deleted, and younger ones kept?"""
    for days in (400, 366, 364, 1):
        event = record_audit("view", "participant", days)
        event.at = NOW - timedelta(days=days)
    db.session.commit()
    result = run_retention(NOW)
    db.session.commit()
    assert result.audit_deleted == 2
    assert sorted(db.session.scalars(select(AuditEvent.entity_id))) == [1, 364]


def test_29_february_counts_back_to_28(app):
    """Does counting years back from 29 February land on the 28th rather than fail?"""
    leap_day = datetime(2024, 2, 29, 10, tzinfo=timezone.utc)
    assert years_before(leap_day, 2) == datetime(2022, 2, 28, 10, tzinfo=timezone.utc)


def test_cli_retention(app, runner, history):
    """Does `kiosk retention` anonymise a person silent for three years and keep one seen last month?"""
    today = datetime.now(timezone.utc).date()
    silent = person("Silent", today - timedelta(days=3 * 365), left=today - timedelta(days=3 * 365 - 30))
    seen = person("Seen", today - timedelta(days=3 * 365))
    history.checkin(seen, today - timedelta(days=30))
    db.session.commit()
    dry = runner.invoke(args=["retention", "--dry-run"])
    assert dry.exit_code == 0 and "Simulation : 1 personne(s)" in dry.output and str(silent.id) in dry.output
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 personne(s) sans contact depuis le")
    db.session.expire_all()
    assert db.session.get(Participant, silent.id).anonymised_at is not None
    assert db.session.get(Participant, seen.id).anonymised_at is None


@pytest.mark.parametrize("args", [["--years", "0"], ["--years", "11"], ["--years", "3", "--dry-run"]])
def test_cli_retention_refuses_bad_input(app, runner, args):
    """Is a bad --years refused with one line and a non-zero exit, the setting unchanged?"""
    result = runner.invoke(args=["retention", *args])
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1
    from kiosk.settings import get_setting

    assert get_setting("retention_years") == "2"
