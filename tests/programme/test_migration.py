"""The programme's migration: every day that already holds check-ins becomes a planned session."""

from datetime import date, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from kiosk.platform.extensions import db
from kiosk.programme.calendar import workshop_day_for
from kiosk.settings import set_setting

BEFORE = "18a1"  # the revision just before the programme's (22a1c0a7e5b1)


def test_days_with_checkins_become_planned_sessions_without_loss(app, make_participant):
    """Is a Friday that held check-ins before the upgrade still a workshop day after it, its check-ins intact?"""
    participant_id = make_participant("Fatima")[0].id
    db.session.remove()
    downgrade(revision=BEFORE)
    friday = date(2026, 11, 27)
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO activity (name, pictogram, active) VALUES ('Cuisine', 'cooking', :t)"),
                           {"t": True})
        connection.execute(text("INSERT INTO workshop_day (day, activity_id) VALUES (:day, 1)"), {"day": friday})
        connection.execute(text(
            "INSERT INTO check_in (participant_id, workshop_day_id, checked_in_at, received_at, source) "
            "VALUES (:p, 1, :at, :at, 'card')"), {"p": participant_id, "at": datetime(2026, 11, 27, 13, 0)})
    upgrade()
    db.session.remove()
    set_setting("workshop_weekday", "")  # no weekly pattern: the day stands on its own
    row = db.session.execute(text("SELECT planned, cancelled_at FROM workshop_day WHERE id = 1")).one()
    assert bool(row.planned) is True and row.cancelled_at is None
    assert db.session.scalar(text("SELECT count(*) FROM check_in")) == 1
    session = workshop_day_for(friday)
    assert session is not None and session.activity == "Cuisine"
