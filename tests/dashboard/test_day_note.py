"""Issue 14, point 8: the day view's note (kept per date, editable, printed) and its list of people
who were expected and did not come."""

from datetime import timedelta

import pytest

from kiosk.models import AuditEvent, CheckIn, CheckInSource, DayNote, Role
from kiosk.platform.extensions import db
from kiosk.platform.timezone import day_bounds_utc, local_day


def note_section(html: str) -> str:
    return html[html.index('id="day-note"') - 60:html.index("</section>", html.index('id="day-note"'))]


def test_a_note_is_written_kept_per_date_changed_and_cleared(client, auth):
    """Is a day's note shown on that day only, changed in place, and removed when emptied (audited)?"""
    auth.login(Role.COORDINATOR, display_name="Claire")
    day, other = local_day(), local_day() - timedelta(days=7)
    assert "Écrire une note pour ce jour" in client.get("/dashboard").get_data(as_text=True)

    answer = client.post(f"/dashboard/note/{day.isoformat()}", data={"text": "  Livraison de la Banque alimentaire.\nFour en panne.  "})
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/dashboard?date={day.isoformat()}#day-note")
    html = client.get(f"/dashboard?date={day.isoformat()}").get_data(as_text=True)
    section = note_section(html)
    assert "Livraison de la Banque alimentaire.\nFour en panne." in section and "Écrite par Claire" in section
    assert "no-print" not in section.split(">", 1)[0]  # the note itself is printed with the day
    assert "Livraison" not in client.get(f"/dashboard?date={other.isoformat()}").get_data(as_text=True)

    client.post(f"/dashboard/note/{day.isoformat()}", data={"text": "Four réparé."})
    assert [n.text for n in db.session.scalars(db.select(DayNote))] == ["Four réparé."]
    assert "Four réparé." in client.get("/dashboard").get_data(as_text=True)

    client.post(f"/dashboard/note/{day.isoformat()}", data={"text": "   "})
    assert db.session.scalar(db.select(db.func.count(DayNote.id))) == 0
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent).where(AuditEvent.entity == "day_note"))]
    assert actions == ["create", "update", "delete"]


def test_a_too_long_note_is_refused_next_to_its_field(client, auth):
    """Is a note over 2,000 characters refused with a plain message, the text kept, nothing stored?"""
    auth.login(Role.COORDINATOR)
    answer = client.post(f"/dashboard/note/{local_day().isoformat()}", data={"text": "x" * 2001})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "La note est trop longue : 2000 caractères au plus." in html and 'aria-invalid="true"' in html
    assert db.session.scalar(db.select(db.func.count(DayNote.id))) == 0


@pytest.mark.parametrize("day", ["2026-13-01", "demain", "²０２6-01-01"])
def test_a_bad_date_is_not_found(client, auth, day):
    auth.login(Role.COORDINATOR)
    assert client.post(f"/dashboard/note/{day}", data={"text": "x"}).status_code == 404


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.REFERENT])
def test_only_the_coordinator_writes_the_note(client, auth, role):
    auth.login(role)
    assert client.post(f"/dashboard/note/{local_day().isoformat()}", data={"text": "x"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count(DayNote.id))) == 0


def test_the_day_lists_who_was_expected_and_did_not_come(app, client, auth, make_participant, plan_workshop, make_user):
    """Are the registered people who did not check in listed (with their phone), not those who came,
    nor those on the waiting list?"""
    from kiosk.models import Registration
    from kiosk.programme.registrations import register

    past = local_day() - timedelta(days=7)
    row = plan_workshop(day=past)
    coordinator = make_user(Role.COORDINATOR)
    came, _code = make_participant("Fatima", "Benali")
    absent, _code = make_participant("Loïc", "Moreau", phone="0612345678")
    waiting, _code = make_participant("Awa", "Diallo")
    for person in (came, absent, waiting):
        register(past, person, coordinator)
    db.session.scalar(db.select(Registration).where(Registration.participant_id == waiting.id)).waiting = True
    db.session.commit()
    db.session.add(CheckIn(participant_id=came.id, workshop_day_id=row.id, source=CheckInSource.HOST,
                           checked_in_at=day_bounds_utc(past)[0] + timedelta(hours=14)))
    db.session.commit()
    auth.login(Role.COORDINATOR)
    html = client.get(f"/dashboard?date={past.isoformat()}").get_data(as_text=True)
    section = html[html.index('id="missing-title"'):html.index("</section>", html.index('id="missing-title"'))]
    assert "Attendus, pas venus" in section
    assert "Loïc Moreau" in section and "06 12 34 56 78" in section and f"/participants/{absent.id}" in section
    assert "Fatima" not in section and "Awa" not in section
