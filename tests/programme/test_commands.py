"""`kiosk workshop plan|cancel` as CONTRACT.md promises them: a JSON last line, one-line refusals."""

import json
from datetime import timedelta

from kiosk.models import Activity, WorkshopDay
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day


def last_json(result) -> dict:
    return json.loads(result.output.strip().splitlines()[-1])


def rows() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(WorkshopDay))


def test_plan_answers_id_and_date_and_creates_the_activity(runner):
    """Does `workshop plan` store the session with its new activity and capacity, and print {"id", "date"}?"""
    day = local_day() + timedelta(days=10)
    result = runner.invoke(args=["workshop", "plan", "--date", day.isoformat(), "--activity", "Cuisine",
                                 "--capacity", "12"])
    assert result.exit_code == 0, result.output
    answer = last_json(result)
    row = db.session.get(WorkshopDay, answer["id"])
    assert answer["date"] == day.isoformat() and row.planned and row.capacity == 12
    assert row.activity.name == "Cuisine" and row.activity.pictogram == "cooking"


def test_plan_refuses_bad_input_storing_nothing(runner):
    """Are a date planned twice, a capacity of 0 and a date over a year away refused, nothing half-stored?"""
    day = local_day() + timedelta(days=10)
    assert runner.invoke(args=["workshop", "plan", "--date", day.isoformat(), "--activity", "Cuisine"]).exit_code == 0
    again = runner.invoke(args=["workshop", "plan", "--date", day.isoformat(), "--activity", "Relooking"])
    zero = runner.invoke(args=["workshop", "plan", "--date", (day + timedelta(days=1)).isoformat(),
                               "--activity", "Sport", "--capacity", "0"])
    far = runner.invoke(args=["workshop", "plan", "--date", (local_day() + timedelta(days=400)).isoformat(),
                              "--activity", "Jardin"])
    for refused in (again, zero, far):
        assert refused.exit_code != 0
    assert "déjà planifié" in again.output and "au moins 1 place" in zero.output and "plus d'un an" in far.output
    assert rows() == 1
    assert [a.name for a in db.session.scalars(db.select(Activity))] == ["Cuisine"]


def test_plan_gives_a_pattern_day_its_activity(runner, pattern_today, make_participant, make_device):
    """May a day of the weekly pattern be planned, which gives it its activity, even after a scan wrote it?"""
    _participant, code = make_participant("Fatima")
    assert make_device().post("/api/checkins", json={"code": code}).status_code == 201
    result = runner.invoke(args=["workshop", "plan", "--date", local_day().isoformat(), "--activity", "Cuisine"])
    assert result.exit_code == 0, result.output
    assert rows() == 1 and db.session.scalars(db.select(WorkshopDay)).one().activity.name == "Cuisine"


def test_cancel_a_pattern_day_and_refuse_a_day_without_session(runner):
    """Does `workshop cancel` cancel a pattern Thursday, and refuse a Friday that holds no session?"""
    today = local_day()
    thursday = today + timedelta(days=(3 - today.weekday()) % 7 or 7)
    done = runner.invoke(args=["workshop", "cancel", "--date", thursday.isoformat(), "--reason", "Grève"])
    assert done.exit_code == 0, done.output
    row = db.session.scalars(db.select(WorkshopDay)).one()
    assert row.cancelled_at is not None and row.cancel_reason == "Grève"
    friday = runner.invoke(args=["workshop", "cancel", "--date", (thursday + timedelta(days=1)).isoformat()])
    assert friday.exit_code != 0 and "Aucun atelier" in friday.output
    assert rows() == 1
