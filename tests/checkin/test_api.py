"""POST /api/checkins, as CONTRACT.md states it: every status code, every bad input."""

from datetime import datetime, time, timedelta, timezone

import pytest

from kiosk.platform.extensions import db
from kiosk.models import (
    CheckIn,
    CheckInSource,
    Device,
    DeviceKind,
    RefusalReason,
    RefusedScan,
    Role,
    WorkshopDay,
)
from kiosk.cards.services import issue_card, stop_cards
from kiosk.people.services import record_exit
from kiosk.privacy.services import anonymise_participant
from kiosk.platform.timezone import centre_zone, local_day, utcnow

pytestmark = pytest.mark.usefixtures("workshop_today")  # scans happen today: plan it


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None, "checked_in_at must carry its zone"
    return moment


@pytest.fixture
def kiosk(make_device):
    return make_device(DeviceKind.KIOSK)


def test_first_scan_of_the_day_checks_in_with_201(kiosk, make_participant):
    """Does a kiosk's first scan of the day answer 201 with the first name and the time, and store one card check-in?"""
    participant, code = make_participant("Fatima", "Benali")
    before = utcnow()
    response = kiosk.post("/api/checkins", json={"code": code})
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "checked_in"
    assert body["first_name"] == "Fatima"
    assert before - timedelta(seconds=1) <= parse_time(body["checked_in_at"]) <= utcnow() + timedelta(seconds=1)
    assert "Benali" not in response.get_data(as_text=True)
    checkin = db.session.scalars(db.select(CheckIn)).one()
    assert checkin.participant_id == participant.id
    assert checkin.source == CheckInSource.CARD
    assert checkin.card_id == participant.cards[0].id
    assert checkin.device_id == db.session.scalars(db.select(Device.id)).one()
    assert checkin.recorded_by_id is None
    assert checkin.workshop_day.day == local_day()


def test_second_scan_same_day_is_already_with_first_time(kiosk, make_participant):
    """Does a second scan the same day answer 200 "already" with the first check-in's time, storing nothing new?"""
    _participant, code = make_participant("Fatima")
    first = kiosk.post("/api/checkins", json={"code": code}).get_json()
    second = kiosk.post("/api/checkins", json={"code": code})
    assert second.status_code == 200
    assert second.get_json() == {**first, "status": "already"}
    assert count(CheckIn) == 1


def test_code_is_normalised_before_lookup(kiosk, make_participant):
    """Is a code with spaces around it and in lower case (a scanner with caps lock) still the card?"""
    _participant, code = make_participant("Fatima")
    assert kiosk.post("/api/checkins", json={"code": f"  {code.lower()}\n"}).status_code == 201
    assert kiosk.post("/api/checkins", json={"code": code}).status_code == 200


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.VOLUNTEER])
def test_coordinator_and_volunteer_may_check_in(client, auth, make_participant, role):
    """May a logged-in coordinator or volunteer check a card in (201)?"""
    _participant, code = make_participant("Fatima")
    auth.login(role)
    assert client.post("/api/checkins", json={"code": code}).status_code == 201


def test_without_credentials_401_whatever_the_body(client, make_participant):
    """Without a login or device cookie, is the answer 401, even for a body that is not JSON?"""
    _participant, code = make_participant("Fatima")
    assert client.post("/api/checkins", json={"code": code}).status_code == 401
    response = client.post("/api/checkins", data="pas du json", content_type="text/plain")
    assert response.status_code == 401
    assert "error" in response.get_json()
    assert count(CheckIn) == 0


def test_tablet_and_referent_are_refused_403(make_device, client, auth, make_participant):
    """Is a tablet device or a referent refused with 403?"""
    _participant, code = make_participant("Fatima")
    assert make_device(DeviceKind.TABLET).post("/api/checkins", json={"code": code}).status_code == 403
    auth.login(Role.REFERENT)
    assert client.post("/api/checkins", json={"code": code}).status_code == 403
    assert count(CheckIn) == 0


def db_bytes(app) -> bytes:
    path = db.engine.url.database
    data = b""
    for suffix in ("", "-wal"):
        try:
            with open(path + suffix, "rb") as handle:
                data += handle.read()
        except FileNotFoundError:
            pass
    return data


def test_unknown_code_404_recorded_without_the_code(app, kiosk):
    """Does an unknown code answer 404 and leave a refused scan that does not contain the code?"""
    code = "BCDEFGHIJKLNOPRSTUVXBCDEFGHIJK"
    response = kiosk.post("/api/checkins", json={"code": code})
    assert response.status_code == 404
    assert response.get_json()["error"]
    refused = db.session.scalars(db.select(RefusedScan)).one()
    assert refused.reason == RefusalReason.UNKNOWN
    assert refused.card_id is None
    assert refused.device_id is not None
    assert code.encode() not in db_bytes(app)
    assert count(CheckIn) == 0


def test_replaced_card_410_and_new_card_works(kiosk, make_participant):
    """Does the old card of someone given a new one answer 410 (recorded as replaced), and the new one 201?"""
    participant, old_code = make_participant("Fatima")
    old_card = participant.cards[0]
    _card, new_code = issue_card(participant)
    db.session.commit()
    response = kiosk.post("/api/checkins", json={"code": old_code})
    assert response.status_code == 410
    assert response.get_json()["error"]
    refused = db.session.scalars(db.select(RefusedScan)).one()
    assert (refused.reason, refused.card_id) == (RefusalReason.REPLACED, old_card.id)
    assert count(CheckIn) == 0
    assert kiosk.post("/api/checkins", json={"code": new_code}).status_code == 201


def test_revoked_card_410(kiosk, make_participant):
    """Does a card revoked without a replacement answer 410?"""
    participant, code = make_participant("Fatima")
    participant.cards[0].revoked_at = utcnow()
    db.session.commit()
    assert kiosk.post("/api/checkins", json={"code": code}).status_code == 410


BAD_BODIES = [
    pytest.param({"data": "pas du json", "content_type": "text/plain"}, id="not-json"),
    pytest.param({"data": "{\"code\": ", "content_type": "application/json"}, id="broken-json"),
    pytest.param({"json": ["BCDEF"]}, id="array"),
    pytest.param({"json": "BCDEF"}, id="string"),
    pytest.param({"json": {}}, id="code-missing"),
    pytest.param({"json": {"code": None}}, id="code-null"),
    pytest.param({"json": {"code": 12345}}, id="code-number"),
    pytest.param({"json": {"code": ["BCDEF"]}}, id="code-list"),
    pytest.param({"json": {"code": {"a": 1}}}, id="code-object"),
    pytest.param({"json": {"code": True}}, id="code-bool"),
    pytest.param({"json": {"code": "B" * 257}}, id="code-257-chars"),
]


@pytest.mark.parametrize("request_kwargs", BAD_BODIES)
def test_bad_bodies_are_400_and_store_nothing(kiosk, make_participant, request_kwargs):
    """Is every malformed body answered 400 with a JSON error, storing nothing?"""
    make_participant("Fatima")
    response = kiosk.post("/api/checkins", **request_kwargs)
    assert response.status_code == 400
    assert isinstance(response.get_json()["error"], str)
    assert count(CheckIn) == 0 and count(RefusedScan) == 0


def test_code_of_256_characters_is_read_not_refused(kiosk):
    """Is a 256-character code (the limit) looked up (404) rather than refused as too long?"""
    assert kiosk.post("/api/checkins", json={"code": "B" * 256}).status_code == 404


def test_empty_code_is_unknown(kiosk):
    """Is an empty or blank code an unknown card (404), not a server error?"""
    assert kiosk.post("/api/checkins", json={"code": "   "}).status_code == 404


# --- scanned_at: scans kept by a kiosk while the network was down -----------------------------


def test_scanned_at_becomes_the_check_in_time(kiosk, make_participant):
    """Is an offline scan's scanned_at kept as the check-in time (with its zone honoured)?"""
    _participant, code = make_participant("Fatima")
    now = utcnow()
    # 40 minutes ago, or less just after the centre's midnight (a scan of yesterday is another day).
    since_midnight = now.astimezone(centre_zone()) - now.astimezone(centre_zone()).replace(
        hour=0, minute=0, second=0, microsecond=0)
    scanned = (now - min(timedelta(minutes=40), since_midnight / 2)).replace(microsecond=0)
    in_paris = scanned.astimezone(centre_zone()).isoformat()
    response = kiosk.post("/api/checkins", json={"code": code, "scanned_at": in_paris})
    assert response.status_code == 201
    assert parse_time(response.get_json()["checked_in_at"]) == scanned
    assert db.session.scalars(db.select(CheckIn)).one().checked_in_at == scanned


def test_scanned_at_z_suffix_and_null(kiosk, make_participant):
    """Are a JavaScript toISOString() time (…Z) and an explicit null both accepted?"""
    _p1, code1 = make_participant("Fatima")
    _p2, code2 = make_participant("Karim", "Haddad")
    stamp = (utcnow() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S.123Z")
    assert kiosk.post("/api/checkins", json={"code": code1, "scanned_at": stamp}).status_code == 201
    assert kiosk.post("/api/checkins", json={"code": code2, "scanned_at": None}).status_code == 201


def test_scanned_at_decides_the_day(kiosk, make_participant, plan_workshop):
    """Does an offline scan from three days ago count for that day, so today's scan is a new check-in?"""
    _participant, code = make_participant("Fatima")
    three_days_ago = utcnow() - timedelta(days=3)
    plan_workshop(local_day(three_days_ago))
    old = kiosk.post("/api/checkins", json={"code": code, "scanned_at": three_days_ago.isoformat()})
    assert old.status_code == 201
    assert kiosk.post("/api/checkins", json={"code": code}).status_code == 201
    days = sorted(db.session.scalars(db.select(WorkshopDay.day)))
    assert days == [local_day(three_days_ago), local_day()]


def test_day_is_the_centres_calendar_day(kiosk, make_participant, plan_workshop):
    """Are 23:30 and 00:30 in Paris two days, though the same UTC day in winter or summer alike?"""
    _participant, code = make_participant("Fatima")
    day = local_day() - timedelta(days=3)
    plan_workshop(day)
    plan_workshop(day + timedelta(days=1))
    late = datetime.combine(day, time(23, 30), tzinfo=centre_zone())
    after_midnight = datetime.combine(day + timedelta(days=1), time(0, 30), tzinfo=centre_zone())
    assert late.astimezone(timezone.utc).date() == after_midnight.astimezone(timezone.utc).date()
    for moment in (late, after_midnight):
        response = kiosk.post("/api/checkins", json={"code": code, "scanned_at": moment.isoformat()})
        assert response.status_code == 201
    assert count(CheckIn) == 2
    same_evening = datetime.combine(day, time(21, 0), tzinfo=centre_zone())
    again = kiosk.post("/api/checkins", json={"code": code, "scanned_at": same_evening.isoformat()})
    assert again.status_code == 200
    assert parse_time(again.get_json()["checked_in_at"]) == late


def test_small_clock_skew_counts_as_now(kiosk, make_participant):
    """Is a scanned_at one minute ahead (a kiosk clock a little fast) taken as now rather than refused?"""
    _participant, code = make_participant("Fatima")
    ahead = utcnow() + timedelta(minutes=1)
    response = kiosk.post("/api/checkins", json={"code": code, "scanned_at": ahead.isoformat()})
    assert response.status_code == 201
    assert parse_time(response.get_json()["checked_in_at"]) <= utcnow()


@pytest.mark.parametrize(
    "scanned_at",
    [
        pytest.param(lambda: "hier à 14 h", id="not-a-date"),
        pytest.param(lambda: "2026-13-45T10:00:00+01:00", id="impossible-date"),
        pytest.param(lambda: utcnow().replace(tzinfo=None).isoformat(), id="no-zone"),
        pytest.param(lambda: (utcnow() + timedelta(hours=1)).isoformat(), id="future"),
        pytest.param(lambda: (utcnow() - timedelta(days=8)).isoformat(), id="over-7-days"),
        pytest.param(lambda: 1700000000, id="number"),
        pytest.param(lambda: ["2026-01-01T10:00:00Z"], id="list"),
        pytest.param(lambda: "2026-01-01T10:00:00+01:00" + " " * 80, id="too-long"),
    ],
)
def test_bad_scanned_at_is_422(kiosk, make_participant, scanned_at):
    """Is a scanned_at that is not a zoned ISO-8601 time of the last 7 days refused with 422 on the
    field scanned_at (CONTRACT.md, "Workshops"), storing nothing?"""
    _participant, code = make_participant("Fatima")
    response = kiosk.post("/api/checkins", json={"code": code, "scanned_at": scanned_at()})
    assert response.status_code == 422
    assert "scanned_at" in response.get_json()["errors"]
    assert count(CheckIn) == 0 and count(WorkshopDay) == 1  # only the day the fixture planned


# --- Workshop days -------------------------------------------------------------------------------


def test_planned_day_gives_its_activity(kiosk, make_participant, workshop_today):
    """Does a check-in join the day's planned workshop and answer with its activity?"""
    planned = workshop_today
    _participant, code = make_participant("Fatima")
    response = kiosk.post("/api/checkins", json={"code": code})
    assert response.get_json()["activity"] == "Atelier cuisine"
    assert db.session.scalars(db.select(CheckIn)).one().workshop_day_id == planned.id
    assert count(WorkshopDay) == 1


# --- CSRF ------------------------------------------------------------------------------------------


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_kiosk_needs_the_page_token(self, kiosk, make_participant):
        """With CSRF on, is a scan without the page's token refused (400), and accepted with it?"""
        _participant, code = make_participant("Fatima")
        assert kiosk.post("/api/checkins", json={"code": code}).status_code == 400
        page = kiosk.get("/kiosk").get_data(as_text=True)
        token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
        response = kiosk.post("/api/checkins", json={"code": code}, headers={"X-CSRFToken": token})
        assert response.status_code == 201

    def test_credentials_come_before_csrf(self, client):
        """With CSRF on, does a request without credentials or token still get 401, not 400?"""
        assert client.post("/api/checkins", json={"code": "BCDEF"}).status_code == 401


def test_openapi_describes_checkins(client):
    """Does /api/openapi.json describe POST /api/checkins, its statuses and the optional scanned_at?"""
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"]["/api/checkins"]["post"]
    assert set(operation["responses"]) == {"200", "201", "400", "401", "403", "404", "410"}
    request_schema = document["components"]["schemas"]["CheckInRequest"]
    assert request_schema["required"] == ["code"]
    assert request_schema["properties"]["scanned_at"]["format"] == "date-time"
    assert set(document["components"]["schemas"]["CheckIn"]["required"]) == {"status", "first_name", "checked_in_at"}


@pytest.mark.parametrize("why, reason", [
    ("replaced", RefusalReason.REPLACED), ("stopped", RefusalReason.REVOKED),
    ("left", RefusalReason.EXITED), ("anonymised", RefusalReason.ANONYMISED),
])
def test_each_refusal_says_the_true_thing(kiosk, make_participant, why, reason):
    """Does a card of ours that checks no one in answer 410 with the true reason, in words that say it,
    recorded as such, and never "a new card was made" when none was?"""
    participant, code = make_participant("Fatima")
    {"replaced": lambda: issue_card(participant), "stopped": lambda: stop_cards(participant),
     "left": lambda: record_exit(participant, local_day(), "work"),
     "anonymised": lambda: anonymise_participant(participant, "erasure")}[why]()
    db.session.commit()
    response = kiosk.post("/api/checkins", json={"code": code})
    body = response.get_json()
    assert (response.status_code, body["reason"]) == (410, reason.value)
    assert ("nouvelle carte" in body["error"]) == (reason == RefusalReason.REPLACED)
    assert "Fatima" not in response.get_data(as_text=True)
    assert db.session.scalars(db.select(RefusedScan.reason)).all() == [reason]
    assert count(CheckIn) == 0
