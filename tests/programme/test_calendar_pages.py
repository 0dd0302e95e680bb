"""The calendar's pages: planning one session, a term, the pattern, activities; bad input answered in French."""

import html
from datetime import timedelta

from kiosk.models import Activity, AuditEvent, WorkshopDay
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.programme.services import save_activity


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def activities(*names) -> list[Activity]:
    made = [save_activity(None, name, "cooking") for name in names]
    db.session.commit()
    return made


def planned_days() -> list:
    return list(db.session.scalars(db.select(WorkshopDay.day).where(WorkshopDay.planned.is_(True)).order_by(WorkshopDay.day)))


def test_coordinator_plans_a_session_and_sees_it(client, auth):
    """Does planning a session from the calendar store it and show it with its activity?"""
    auth.login()
    (cooking,) = activities("Cuisine")
    day = local_day() + timedelta(days=9)
    response = client.post("/programme/seances", data={"day": day.isoformat(), "activity": cooking.id,
                                                       "capacity": "10", "room": "Salle 2"})
    assert response.status_code == 303
    assert planned_days() == [day]
    page = text(client.get(response.headers["Location"]))
    assert "Cuisine" in page and "Salle 2" in page


def test_bad_sessions_are_refused_in_french_storing_nothing(client, auth):
    """Are capacity 0, a date over a year away and a date planned twice refused with French words (422)?"""
    auth.login()
    (cooking,) = activities("Cuisine")
    day = local_day() + timedelta(days=9)
    cases = [
        ({"day": day.isoformat(), "activity": cooking.id, "capacity": "0"}, "au moins 1 place"),
        ({"day": (local_day() + timedelta(days=400)).isoformat(), "activity": cooking.id}, "plus d'un an"),
    ]
    for data, words in cases:
        response = client.post("/programme/seances", data=data)
        assert response.status_code == 422 and words in text(response)
    assert planned_days() == []
    client.post("/programme/seances", data={"day": day.isoformat(), "activity": cooking.id})
    twice = client.post("/programme/seances", data={"day": day.isoformat(), "activity": cooking.id})
    assert twice.status_code == 422 and "déjà planifié" in text(twice)
    assert planned_days() == [day]


def test_a_term_rotates_the_activities_all_or_nothing(client, auth):
    """Does a 6-week term plan the next six Thursdays in rotation, and a second overlapping term store nothing?"""
    auth.login()
    cooking, relax = activities("Cuisine", "Gestion du stress")
    start = local_day() + timedelta(days=1)
    response = client.post("/programme/trimestre", data={"start": start.isoformat(), "weeks": "6",
                                                         "activities": [cooking.id, relax.id]})
    assert response.status_code == 303
    rows = db.session.scalars(db.select(WorkshopDay).order_by(WorkshopDay.day)).all()
    assert len(rows) == 6 and {row.day.weekday() for row in rows} == {3}
    assert [row.activity.name for row in rows[:3]] == ["Cuisine", "Gestion du stress", "Cuisine"]
    again = client.post("/programme/trimestre", data={"start": (start - timedelta(weeks=1)).isoformat(),
                                                      "weeks": "3", "activities": [relax.id]})
    assert again.status_code == 422 and "Rien n'a été enregistré" in text(again)
    assert len(planned_days()) == 6


def test_the_weekly_pattern_can_move_to_wednesday(client, auth):
    """Does changing the pattern to Wednesday make the calendar list Wednesdays?"""
    auth.login()
    response = client.post("/programme/rythme", data={"weekday": "2", "starts": "09:30", "ends": "12:00"})
    assert response.status_code == 303
    page = text(client.get("/programme"))
    assert "Chaque mercredi, de 09:30 à 12:00" in page and "mercredi" in page


def test_the_centre_adds_its_own_activity_with_a_pictogram(client, auth):
    """Can the coordinator add an activity with a pictogram, and is a same-name activity refused?"""
    auth.login()
    assert client.post("/programme/activites", data={"name": "Jardinage", "pictogram": "garden"}).status_code == 303
    again = client.post("/programme/activites", data={"name": "jardinage", "pictogram": "garden"})
    assert again.status_code == 422 and "existe déjà" in text(again)
    activity = db.session.scalars(db.select(Activity)).one()
    assert (activity.name, activity.pictogram) == ("Jardinage", "garden")
    assert db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.entity == "activity")).all() == ["create"]


def test_calendar_is_for_the_coordinator_only(client, auth):
    """Is the calendar closed to a volunteer, and in the coordinator's menu?"""
    auth.login()
    assert 'href="/programme"' in client.get("/programme/activites").get_data(as_text=True)
    auth.logout()
    auth.login(role="volunteer")
    assert client.get("/programme").status_code == 403


def test_kiosk_idle_screen_shows_todays_activity(client, auth, workshop_today):
    """Does the kiosk's idle screen show today's activity and its pictogram?"""
    auth.login()
    page = text(client.get("/kiosk"))
    assert "Atelier cuisine" in page and "pictograms/" in page and 'id="kiosk-words"' in page


def test_session_page_edits_the_session_it_shows(client, auth, plan_workshop):
    """Does a session's edit form start from its own activity and capacity, and save a change?"""
    auth.login()
    other = activities("Relooking")[0]
    row = plan_workshop(local_day() + timedelta(days=3), "Atelier cuisine", capacity=8)
    page = client.get(f"/programme/seance/{row.day.isoformat()}").get_data(as_text=True)
    assert f'<option selected value="{row.activity_id}">' in page and 'value="8"' in page
    response = client.post(f"/programme/seance/{row.day.isoformat()}/modifier",
                           data={"day": row.day.isoformat(), "activity": other.id, "capacity": "12",
                                 "room": "Salle 1"})
    assert response.status_code == 303
    db.session.expire_all()
    assert (row.activity.name, row.capacity, row.room) == ("Relooking", 12, "Salle 1")
