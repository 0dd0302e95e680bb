"""Fixtures for messages: a fake Android phone on loopback, people with consent, days held."""

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from kiosk.messages.consent import set_preference
from kiosk.models import CheckIn, CheckInSource, WorkshopDay
from kiosk.platform.extensions import db
from tests.messages.gateway_server import FakePhone

PARIS = ZoneInfo("Europe/Paris")


def at(text: str) -> datetime:
    """A Paris wall-clock time as an aware UTC datetime: at("2026-10-14 10:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=PARIS).astimezone(timezone.utc)


@pytest.fixture
def phone():
    fake = FakePhone()
    yield fake
    fake.down()


@pytest.fixture
def app_config(phone):
    return {"SMS_URL": phone.url, "SMS_TIMEOUT_SECONDS": 2, "MESSAGES_STUCK_SECONDS": 0}


@pytest.fixture
def person(make_participant):
    """A person in the programme since a Thursday, with a mobile and SMS consent: person("Fatima", ...)."""

    def make(first_name="Fatima", last_name="Benali", phone="06 12 34 56 78", consent=True,
             entered_on=date(2026, 10, 1), channel="sms", language="fr", referrer_name=None):
        participant, _code = make_participant(first_name, last_name, phone=phone, entered_on=entered_on,
                                              referrer_name=referrer_name)
        if consent is not None:
            set_preference(participant, consent, channel, language, source="cli")
            db.session.commit()
        return participant

    return make


@pytest.fixture
def came(app):
    """Record that people came on a workshop day (the day's row made if needed): came(day, *people)."""

    def record(day: date, *people):
        row = db.session.scalar(db.select(WorkshopDay).where(WorkshopDay.day == day))
        if row is None:
            row = WorkshopDay(day=day)
            db.session.add(row)
            db.session.flush()
        for participant in people:
            moment = datetime.combine(day, time(14, 5), PARIS).astimezone(timezone.utc)
            db.session.add(CheckIn(participant_id=participant.id, workshop_day_id=row.id, checked_in_at=moment,
                                   received_at=moment, source=CheckInSource.HOST))
        db.session.commit()
        return row

    return record
