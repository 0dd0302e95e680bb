"""Who to call back: the absent list, recording calls, the threshold, returns after a call, printed lists."""

import subprocess
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from kiosk.dashboard.followup import absent_participants, returns_after_calls
from kiosk.platform.extensions import db
from kiosk.models import AuditEvent, CallChannel, CallOutcome, ExitReason, FollowUpCall, Role
from kiosk.settings import get_setting
from kiosk.platform.timezone import local_day
from tests.dashboard.conftest import paris


@pytest.fixture
def absences(app, centre):
    """The last four Thursdays before today, T1 (oldest) to T4, and who came to them.

    Jordan came to T1 only (missed 3: listed); Sandrine came to all (not listed); Océane never came
    (listed); Laëtitia entered on T3 (in the programme for 2 days only: not listed); Aminata left on
    T2 (not listed); Brigitte came to T2 (missed 2: listed only when the threshold is 2); Rachid came
    to T1, was called the day after T2 and came back on T3. A day planned between T3 and T4 that
    nobody came to does not count as a missed workshop.
    """
    today = local_day()
    last = today - timedelta(days=(today.weekday() - 3) % 7 or 7)
    t1, t2, t3, t4 = (last - timedelta(weeks=n) for n in (3, 2, 1, 0))
    before = t1 - timedelta(weeks=4)
    c = centre
    jordan = c.person("Jordan", "Durand", "Mme Briand", "CDAS Rennes Sud", entered=before, phone="06 29 10 50 95")
    sandrine = c.person("Sandrine", "Guillou", "Mme Briand", entered=before)
    oceane = c.person("Océane", "Le Roux", "M. Texier", "CCAS Vern-sur-Seiche", entered=before, phone="06 99 68 96 70")
    laetitia = c.person("Laëtitia", "Jégou", "M. Texier", entered=t3)
    aminata = c.person("Aminata", "Diallo", "M. Texier", entered=before, left=t2, reason=ExitReason.MOVED)
    brigitte = c.person("Brigitte", "Petit", entered=before)
    rachid = c.person("Rachid", "Amrani", "M. Texier", entered=before)
    for day in (t1, t2, t3, t4):
        c.came(sandrine, day)
    c.came(jordan, t1)
    c.came(aminata, t1)
    c.came(brigitte, t2)
    c.came(rachid, t1)
    c.came(rachid, t3)
    c.workshop(t3 + timedelta(days=2))  # planned, nobody came
    db.session.add(FollowUpCall(participant=rachid, called_at=paris(t2 + timedelta(days=1), 10),
                                channel=CallChannel.CALL, outcome=CallOutcome.WILL_COME))
    db.session.add(FollowUpCall(participant=jordan, called_at=paris(t3 + timedelta(days=1), 11),
                                channel=CallChannel.TEXT, outcome=CallOutcome.NO_ANSWER, note="Rappeler lundi"))
    db.session.commit()
    return SimpleNamespace(**locals())


def test_absent_after_three_missed_workshops(absences):
    """Are exactly Jordan and Océane listed after three missed workshops, never-came first, with their facts?"""
    people = absent_participants(local_day(), 3)
    assert [(p.first_name, p.last_visit) for p in people] == [("Océane", None), ("Jordan", absences.t1)]
    oceane, jordan = people
    assert (oceane.phone, oceane.referrer, oceane.structure) == ("06 99 68 96 70", "M. Texier", "CCAS Vern-sur-Seiche")
    assert jordan.last_call.channel == CallChannel.TEXT and jordan.last_call.note == "Rappeler lundi"
    assert jordan.calls == 1 and oceane.last_call is None


def test_threshold_two_adds_brigitte_and_laetitia(absences):
    """With a threshold of two workshops, are Brigitte (last seen on T2) and Laëtitia (entered T3, never came) listed too?"""
    names = [p.first_name for p in absent_participants(local_day(), 2)]
    assert sorted(names) == ["Brigitte", "Jordan", "Laëtitia", "Océane"]


def test_returns_after_calls(absences):
    """Of the two people called, is Rachid counted as back (on T3) and the rate 50 %?"""
    stats = returns_after_calls()
    assert stats.called == 2
    assert [(r.first_name, r.returned_at) for r in stats.returned] == [("Rachid", paris(absences.t3, 14))]
    assert stats.rate_percent == 50


def test_followup_page_lists_and_explains(client, auth, absences):
    """Does the page list the people to call with phone, referrer and last visit, and the rate of returns?"""
    auth.login(Role.COORDINATOR)
    html = client.get("/dashboard/rappels").get_data(as_text=True)
    assert "2 personnes à rappeler" in html
    for text in ("Jordan Durand", "06 29 10 50 95", "tel:0629105095", "Mme Briand", "Océane Le Roux", "jamais venu·e",
                 "Rappeler lundi", "Pas de réponse"):
        assert text in html
    for absent in ("Sandrine", "Laëtitia", "Aminata", "Brigitte"):
        assert absent not in html
    assert "1 sur 2 personnes appelées" in html and "50,0\u00a0%" in html
    assert "Rachid Amrani" in html


def test_recording_a_call(client, auth, absences):
    """Does the row's form record a call with who, how, what came of it and the note, then come back to the row?"""
    user = auth.login(Role.COORDINATOR)
    oceane = absences.oceane
    response = client.post(f"/dashboard/rappels/{oceane.id}/appels",
                           data={"channel": "referrer", "outcome": "will_come", "note": "  Vient jeudi  "})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/dashboard/rappels#p{oceane.id}")
    call = db.session.scalar(db.select(FollowUpCall).where(FollowUpCall.participant_id == oceane.id))
    assert (call.channel, call.outcome, call.note, call.caller_id) == (
        CallChannel.REFERRER, CallOutcome.WILL_COME, "Vient jeudi", user.id)
    audit = db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity == "follow_up_call"))
    assert audit.entity_id == call.id and "Vient" not in str(audit.details)
    html = client.get("/dashboard/rappels").get_data(as_text=True)
    assert "Essai noté." in html and "Par l&#39;orienteur" in html


@pytest.mark.parametrize("data", [
    {"channel": "pigeon", "outcome": "reached"},
    {"channel": "call", "outcome": ""},
    {"channel": "call", "outcome": "reached", "note": "x" * 201},
])
def test_bad_call_is_not_stored(client, auth, absences, data):
    """Is a call with an unknown channel, no outcome or a too-long note refused with a message, nothing stored?"""
    auth.login(Role.COORDINATOR)
    before = db.session.scalar(db.select(db.func.count(FollowUpCall.id)))
    response = client.post(f"/dashboard/rappels/{absences.oceane.id}/appels", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "L&#39;essai n&#39;a pas été noté" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(FollowUpCall.id))) == before


def test_call_for_unknown_participant_is_404(client, auth):
    """Is a call for a participant who does not exist a 404, not a 500?"""
    auth.login(Role.COORDINATOR)
    assert client.post("/dashboard/rappels/999999/appels", data={"channel": "call", "outcome": "reached"}).status_code == 404


def test_call_for_anonymised_participant_is_404(client, auth, absences):
    """Is a call posted for an anonymised participant a 404, nothing stored?"""
    from kiosk.privacy.services import anonymise_participant

    anonymise_participant(absences.oceane, "request")
    db.session.commit()
    auth.login(Role.COORDINATOR)
    before = db.session.scalar(db.select(db.func.count(FollowUpCall.id)))
    response = client.post(f"/dashboard/rappels/{absences.oceane.id}/appels", data={"channel": "call", "outcome": "reached"})
    assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count(FollowUpCall.id))) == before


def test_call_flash_carries_no_name(client, auth, absences):
    """Does the "call noted" message (kept in the session cookie until shown) hold no name?"""
    auth.login(Role.COORDINATOR)
    client.post(f"/dashboard/rappels/{absences.jordan.id}/appels", data={"channel": "call", "outcome": "reached"})
    with client.session_transaction() as session:
        flashes = " ".join(message for _category, message in session.get("_flashes", []))
    assert "Essai noté" in flashes
    assert "Jordan" not in flashes and "Durand" not in flashes


def test_changing_the_threshold(client, auth, absences):
    """Does the threshold form change the setting and the list, and refuse nonsense?"""
    auth.login(Role.COORDINATOR)
    assert client.post("/dashboard/rappels/seuil", data={"absent_days": "2"}).status_code == 303
    assert get_setting("followup_absent_days") == "2"
    assert "Brigitte Petit" in client.get("/dashboard/rappels").get_data(as_text=True)
    for bad in ("0", "27", "deux", ""):
        response = client.post("/dashboard/rappels/seuil", data={"absent_days": bad}, follow_redirects=True)
        assert "entre 1 et 26" in response.get_data(as_text=True)
        assert get_setting("followup_absent_days") == "2"


def test_printable_list_per_referrer(client, auth, absences):
    """Is the printable list grouped by referrer, and filtered to one referrer on demand?"""
    auth.login(Role.COORDINATOR)
    html = client.get("/dashboard/rappels/imprimer").get_data(as_text=True)
    assert html.index("À rappeler — M. Texier") < html.index("À rappeler — Mme Briand")  # alphabetical
    assert "print-group" in html and "data-print" in html
    texier = absences.oceane.referrer_id
    only = client.get(f"/dashboard/rappels/imprimer?orienteur={texier}").get_data(as_text=True)
    assert "Océane" in only and "Jordan" not in only


def test_followup_pdf(client, auth, absences, tmp_path):
    """Does the call-back PDF render, one referrer after another, with names and phones?"""
    auth.login(Role.COORDINATOR)
    response = client.get("/dashboard/rappels.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "rappels.pdf"
    path.write_bytes(response.data)
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(path), str(tmp_path / "page")], check=True, timeout=60)
    assert len(list(tmp_path.glob("page*.png"))) == 2  # one page per referrer
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Mme Briand" in text and "Durand" in text and "06 29 10 50 95" in text
    assert "M. Texier" in text and "Le Roux" in text and "Guillou" not in text


def test_followup_with_nobody_to_call(client, auth, tmp_path):
    """With no data at all, do the page, the print list and the PDF say there is nobody to call?"""
    auth.login(Role.COORDINATOR)
    assert "Personne à rappeler" in client.get("/dashboard/rappels").get_data(as_text=True)
    assert "Personne à rappeler" in client.get("/dashboard/rappels/imprimer").get_data(as_text=True)
    assert client.get("/dashboard/rappels.pdf").status_code == 200


def test_volunteer_cannot_record_calls(client, auth, absences):
    """Is the call-back list closed to volunteers (403), and nothing recorded?"""
    auth.login(Role.VOLUNTEER)
    assert client.get("/dashboard/rappels").status_code == 403
    assert client.post(f"/dashboard/rappels/{absences.oceane.id}/appels",
                       data={"channel": "call", "outcome": "reached"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count(FollowUpCall.id))) == 2


def test_absence_ignores_the_day_of_entry_gap(centre):
    """Is someone who entered after the oldest of the last N workshop days left out (not yet absent N times)?"""
    day = date(2025, 6, 5)
    old = centre.person("Ana", "Old", entered=date(2025, 1, 1))
    new = centre.person("Bea", "New", entered=date(2025, 5, 29))
    other = centre.person("Cy", "Other", entered=date(2025, 1, 1))
    for n in range(3):
        centre.came(other, day - timedelta(weeks=n))
    db.session.commit()
    assert [p.first_name for p in absent_participants(day, 3)] == ["Ana"]
    assert old.id and new.id
