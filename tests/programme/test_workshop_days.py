"""Which days hold check-ins: planned sessions and the weekly pattern, never a cancelled day."""

from datetime import timedelta

from kiosk.models import CheckIn, RefusedScan, WorkshopDay
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.programme.calendar import next_workshop_after, workshop_day_for
from kiosk.programme.services import cancel_session
from kiosk.settings import set_setting


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def no_pattern():
    set_setting("workshop_weekday", "")
    db.session.commit()


def test_scan_on_a_day_without_workshop_is_409_with_the_next_and_stores_nothing(make_device, make_participant,
                                                                                  plan_workshop):
    """Does a card scanned on a day without a workshop answer 409 with the next workshop, storing nothing?"""
    no_pattern()
    _participant, code = make_participant("Fatima")
    following = plan_workshop(local_day() + timedelta(days=6), "Cuisine")
    kiosk = make_device()
    response = kiosk.post("/api/checkins", json={"code": code})
    assert response.status_code == 409
    body = response.get_json()
    assert body["next_workshop"] == following.day.isoformat()
    assert body["error"].startswith("Pas d'atelier aujourd'hui. Prochain atelier : ")
    assert body["error"].endswith(", Cuisine")
    assert count(CheckIn) == 0 and count(WorkshopDay) == 1


def test_unknown_card_on_a_closed_day_stores_no_refusal(make_device):
    """Is even an unknown card's refusal left unstored on a day without a workshop (nothing stored)?"""
    no_pattern()
    response = make_device().post("/api/checkins", json={"code": "NOT-A-CARD"})
    assert response.status_code == 409
    assert response.get_json()["next_workshop"] is None
    assert count(RefusedScan) == 0


def test_pattern_day_is_written_once_by_the_first_scans(make_device, make_participant, pattern_today):
    """Is a day of the weekly pattern written down by its first scan, and shared by the next people?"""
    codes = [make_participant(name, "Test")[1] for name in ("Fatima", "Karim", "Maëlle")]
    kiosk = make_device()
    for code in codes:
        assert kiosk.post("/api/checkins", json={"code": code}).status_code == 201
    assert count(WorkshopDay) == 1 and count(CheckIn) == 3


def test_cancelled_pattern_day_refuses_scans(make_device, make_participant, pattern_today):
    """After today's pattern session is cancelled, does a scan get 409 and store nothing?"""
    cancel_session(local_day(), "Formation de l'équipe")
    db.session.commit()
    _participant, code = make_participant("Fatima")
    response = make_device().post("/api/checkins", json={"code": code})
    assert response.status_code == 409
    assert response.get_json()["next_workshop"] == (local_day() + timedelta(weeks=1)).isoformat()
    assert count(CheckIn) == 0


def test_scanned_at_on_a_closed_day_is_409(make_device, make_participant, workshop_today):
    """Does an offline scan dated on a day without a workshop get 409 even though today has one?"""
    no_pattern()
    _participant, code = make_participant("Fatima")
    yesterday_noon = (local_day() - timedelta(days=1)).isoformat() + "T12:00:00+01:00"
    response = make_device().post("/api/checkins", json={"code": code, "scanned_at": yesterday_noon})
    assert response.status_code == 409
    assert response.get_json()["next_workshop"] == local_day().isoformat()
    assert count(CheckIn) == 0


def test_host_desk_refuses_on_a_closed_day(client, auth, make_participant):
    """Does the host's desk refuse to mark someone present on a day without a workshop, and say why?"""
    no_pattern()
    participant, _code = make_participant("Fatima")
    auth.login()
    response = client.post(f"/accueil/{participant.id}/present", follow_redirects=True)
    assert "Pas d&#39;atelier aujourd&#39;hui." in response.get_data(as_text=True)
    assert count(CheckIn) == 0


def test_next_workshop_skips_cancelled_days(app):
    """Is the next workshop the first pattern day that is not cancelled, and none without a pattern?"""
    today = local_day()
    first = today + timedelta(days=(3 - today.weekday()) % 7 or 7)
    cancel_session(first)
    assert next_workshop_after(today).day == first + timedelta(weeks=1)
    assert workshop_day_for(first) is None
    no_pattern()
    assert next_workshop_after(today) is None


def test_host_desk_says_there_is_no_workshop_today(client, auth, plan_workshop):
    """Does the host's desk say, before any tap, that there is no workshop today and when the next one is?"""
    no_pattern()
    plan_workshop(local_day() + timedelta(days=6), "Cuisine")
    auth.login(role="volunteer")
    page = client.get("/accueil").get_data(as_text=True).replace("&#39;", "'")
    assert "Pas d'atelier aujourd'hui. Prochain atelier : " in page and ", Cuisine" in page
    assert "pictograms/cooking.svg" in page
