"""The one-check-in-a-day rule under concurrency, and input that must never give a 500."""

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.checkin import services
from kiosk.platform.extensions import db
from kiosk.models import CheckIn, CheckInSource, DeviceKind, WorkshopDay
from kiosk.platform.timezone import local_day, utcnow

pytestmark = pytest.mark.usefixtures("pattern_today")  # scans happen today: a pattern day


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_race_on_the_check_in_reads_back_the_first(app, make_participant):
    """When another request inserted the day's check-in after our read, do we answer "already" instead of failing?"""
    participant, code = make_participant("Fatima")
    day = local_day()
    stale = services.find_arrival(day, code=code)  # read before the other scan's insert
    db.session.commit()
    first = services.check_in_by_card(code)
    db.session.commit()
    result = services.record_checkin(stale, CheckInSource.CARD, utcnow())
    db.session.commit()
    assert stale.checkin_id is None
    assert result.created is False
    assert result.checkin_id == first.checkin_id
    assert result.checked_in_at == first.checked_in_at
    assert count(CheckIn) == 1


def test_race_on_a_card_check_in_reads_back_the_first(app, make_participant):
    """On a day already open, when another scan inserted the check-in after our read, does the
    INSERT answer "already" with the first check-in?"""
    participant, code = make_participant("Fatima")
    db.session.add(WorkshopDay(day=local_day()))
    db.session.commit()
    stale = services.find_arrival(local_day(), code=code)
    db.session.commit()
    first = services.check_in_by_card(code)
    result = services.record_checkin(stale, CheckInSource.CARD, utcnow())
    assert stale.checkin_id is None and stale.day_id is not None
    assert first.created is True
    assert result.created is False
    assert (result.checkin_id, result.checked_in_at) == (first.checkin_id, first.checked_in_at)
    assert count(CheckIn) == 1


def test_race_on_opening_the_day_reads_back_the_day(app, make_participant):
    """When two first scans open the same unplanned day at once, is the second one put in the first's day?"""
    fatima, fatima_code = make_participant("Fatima")
    _karim, karim_code = make_participant("Karim", "Haddad")
    day = local_day()
    stale = services.find_arrival(day, code=karim_code)  # read before the day was opened
    db.session.commit()
    opened = services.check_in_by_card(fatima_code)
    db.session.commit()
    result = services.record_checkin(stale, CheckInSource.CARD, utcnow())
    db.session.commit()
    assert stale.day_id is None
    assert result.created is True
    assert count(WorkshopDay) == 1
    days = db.session.scalars(db.select(CheckIn.workshop_day_id)).all()
    assert len(days) == 2 and days[0] == days[1], (opened, result)


def test_simultaneous_scans_give_one_201_and_one_200(app, make_participant, make_device):
    """Do two scans of the same card at the same instant give exactly one 201 and one 200, never a 500?"""
    pairs = [make_participant(f"Personne{i}", "Test")[1] for i in range(6)]
    kiosks = [make_device(DeviceKind.KIOSK), make_device(DeviceKind.KIOSK)]
    db.session.close()  # this thread's session must not hold the database while the two scans run
    for code in pairs:
        barrier = threading.Barrier(2)
        statuses = []

        def scan(client, code=code, barrier=barrier, statuses=statuses):
            with app.app_context():
                barrier.wait()
                statuses.append(client.post("/api/checkins", json={"code": code}).status_code)

        threads = [threading.Thread(target=scan, args=(kiosk,)) for kiosk in kiosks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(statuses) == [200, 201]
    db.session.expire_all()
    assert count(CheckIn) == len(pairs)
    assert count(WorkshopDay) == 1


def test_host_and_card_share_the_rule(app, make_participant, make_user):
    """Is someone checked in by the host "already" there when their card is scanned later?"""
    participant, code = make_participant("Fatima")
    host = make_user()
    by_host = services.check_in_by_host(participant.id, host.id)
    db.session.commit()
    by_card = services.check_in_by_card(code)
    assert by_host.created and not by_card.created
    assert by_card.checkin_id == by_host.checkin_id
    assert db.session.get(CheckIn, by_card.checkin_id).recorded_by_id == host.id


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=300),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    payload=st.one_of(
        json_values,
        st.fixed_dictionaries({"code": json_values}),
        st.fixed_dictionaries({"code": st.text(max_size=300), "scanned_at": json_values | st.text(max_size=40)}),
    )
)
def test_no_input_gives_a_500(make_device, payload):
    """Whatever JSON a client sends, is the answer one of the contract's statuses, never a 500?"""
    kiosk = make_device(DeviceKind.KIOSK)
    response = kiosk.post("/api/checkins", json=payload)
    assert response.status_code in (200, 201, 400, 404, 410, 422), (payload, response.status_code)
    assert response.is_json


@pytest.mark.parametrize("path", ["/kiosk", "/accueil"])
def test_pages_redirect_strangers_to_login(client, path):
    """Are the kiosk screen and the host's desk closed to a browser with no login and no device?"""
    response = client.get(path)
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
