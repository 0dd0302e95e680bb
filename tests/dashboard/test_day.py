"""The day: GET /api/days (CONTRACT.md) and the coordinator's day page, against hand-computed figures."""

import re

import pytest

from kiosk.models import Role


def test_api_day_figures_match_the_hand_count(client, auth, year_2025):
    """Does /api/days give exactly the day's distinct people, baskets, kilos, value and payments?"""
    auth.login(Role.COORDINATOR)
    response = client.get("/api/days/2025-03-06")
    assert response.status_code == 200
    assert response.get_json() == {
        "date": "2025-03-06", "checkins": 3, "baskets": 1, "weight_kg": 3.125,
        "value_eur": "15.55", "paid_eur": "3.11",
    }
    assert client.get("/api/days/2025-01-09").get_json() == {
        "date": "2025-01-09", "checkins": 2, "baskets": 2, "weight_kg": 6.25,
        "value_eur": "33.40", "paid_eur": "3.34",
    }


def test_api_day_counts_a_late_evening_checkin_for_its_paris_day(client, auth, year_2025):
    """Is a check-in at 23:30 Paris time (21:30 UTC) counted for that day, not the next?"""
    auth.login(Role.COORDINATOR)
    assert client.get("/api/days/2025-06-05").get_json()["checkins"] == 4
    assert client.get("/api/days/2025-06-06").get_json()["checkins"] == 0


def test_api_day_with_nothing_is_zeros(client, auth, year_2025):
    """Does a day with nothing (or a planned day nobody came to) answer zeros, with money as "0.00"?"""
    auth.login(Role.COORDINATOR)
    assert client.get("/api/days/2025-12-18").get_json() == {
        "date": "2025-12-18", "checkins": 0, "baskets": 0, "weight_kg": 0, "value_eur": "0.00", "paid_eur": "0.00",
    }


def test_cancelled_baskets_do_not_count(client, auth, centre):
    """Does a day whose only basket was cancelled show no basket and no money?"""
    from datetime import date

    from kiosk.platform.extensions import db

    person = centre.person("Awa", "Traoré", entered=date(2025, 1, 1))
    centre.basket(person, date(2025, 3, 6), 5000, 5000, 500, cancelled=True)
    db.session.commit()
    auth.login(Role.COORDINATOR)
    figures = client.get("/api/days/2025-03-06").get_json()
    assert (figures["baskets"], figures["weight_kg"], figures["value_eur"], figures["paid_eur"]) == (0, 0, "0.00", "0.00")


@pytest.mark.parametrize("bad", ["2025-02-30", "2025-6-05", "05-06-2025", "hier", "2025-06-05x", "９９９９-01-01"])
def test_api_day_malformed_date_is_400(client, auth, bad):
    """Is a malformed date refused with 400 and a JSON error in French?"""
    auth.login(Role.COORDINATOR)
    response = client.get(f"/api/days/{bad}")
    assert response.status_code == 400
    assert "Date invalide" in response.get_json()["error"]


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.REFERENT])
def test_api_day_is_for_coordinators_only(client, auth, role):
    """Do a volunteer and a referent get 403 from /api/days?"""
    auth.login(role)
    response = client.get("/api/days/2025-06-05")
    assert response.status_code == 403
    assert "error" in response.get_json()


def test_api_day_refuses_devices_and_strangers(client, make_device):
    """Does /api/days answer 401 without credentials and 403 to a kiosk or tablet?"""
    from flask import g

    from kiosk.models import DeviceKind

    assert client.get("/api/days/2025-06-05").status_code == 401
    assert client.get("/api/days/nonsense").status_code == 401
    for kind in (DeviceKind.KIOSK, DeviceKind.TABLET):
        device_client = make_device(kind)
        g.pop("device", None)  # the test app context outlives requests; forget the last one's device
        assert device_client.get("/api/days/2025-06-05").status_code == 403


def test_openapi_describes_the_day_route(client):
    """Does /api/openapi.json describe GET /api/days/{date} with its keys?"""
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"]["/api/days/{date}"]["get"]
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    keys = document["components"]["schemas"]["DaySummary"]["required"]
    assert keys == ["date", "checkins", "baskets", "weight_kg", "value_eur", "paid_eur"]


def _figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, name
    return match.group(1).replace("\u202f", " ").replace("\u00a0", " ")


def test_day_page_shows_the_days_figures(client, auth, year_2025):
    """Does the day page show the hand-counted figures: people, first-timers, returners, baskets, money, refusals?"""
    auth.login(Role.COORDINATOR)
    html = client.get("/dashboard?date=2025-06-05").get_data(as_text=True)
    assert _figure(html, "checkins") == "4"
    assert _figure(html, "first-timers") == "1"  # Sylvie
    assert _figure(html, "returners") == "1"  # Rachid, after missing 9/1, 16/1 and 6/3
    assert _figure(html, "baskets") == "1"
    assert _figure(html, "kilos") == "1,5 kg"
    assert _figure(html, "value") == "7,05 €"
    assert _figure(html, "paid") == "0,71 €"
    assert _figure(html, "refused") == "3"
    assert "10,1\u00a0%" in html  # 0.71 / 7.05


def test_day_page_lists_arrivals_with_local_times_and_marks(client, auth, year_2025):
    """Are arrivals listed in order with Paris times, the first-timer and the returner marked?"""
    auth.login(Role.COORDINATOR)
    html = client.get("/dashboard?date=2025-06-05").get_data(as_text=True)
    order = [html.index(name) for name in ("Fatima Benali", "Kevin Martin", "Rachid Amrani", "Sylvie Petit")]
    assert order == sorted(order)
    assert "23:30" in html and "13:48" in html
    sylvie = html[html.index("Sylvie Petit"):]
    assert "Première fois" in sylvie[:400]
    rachid = html[html.index("Rachid Amrani"):]
    assert "De retour" in rachid[:400] and "19/12/2024" in rachid[:400]
    assert "De retour" not in html[html.index("Fatima Benali"):html.index("Kevin Martin")]
    assert "Gestion du stress" in html


def test_day_page_shows_the_team_and_refused_cards(client, auth, year_2025):
    """Does the day page show who served baskets or recorded check-ins, and refused cards by reason with times?"""
    auth.login(Role.COORDINATOR)
    html = client.get("/dashboard?date=2025-06-05").get_data(as_text=True)
    team = html[html.index("L'équipe du jour"):html.index("Cartes refusées par la borne")]
    assert "Jean-Pierre" in team and "1 panier" in team
    assert "Monique" in team and "1 accueil" in team
    assert "Borne entrée" in team
    refused = html[html.index("Cartes refusées par la borne"):]
    assert "Carte inconnue : 2" in refused and "01:59" in refused and "13:50" in refused
    assert "Carte remplacée par une nouvelle : 1" in refused and "23:30" in refused
    assert "00:15" not in refused


def test_day_page_first_visit_and_cancelled_basket(client, auth, year_2025):
    """On 6 March, are Awa and Kevin first-timers, Fatima not, and the cancelled basket left out but mentioned?"""
    auth.login(Role.COORDINATOR)
    html = client.get("/dashboard?date=2025-03-06").get_data(as_text=True)
    assert _figure(html, "first-timers") == "2"
    assert _figure(html, "returners") == "0"
    assert _figure(html, "baskets") == "1"
    assert "Paniers annulés, non comptés : 1" in html


def test_day_page_steps_between_held_days(client, auth, year_2025):
    """Does the day page link to the previous and next workshop days that were held (not the planned one)?"""
    auth.login(Role.COORDINATOR)
    html = client.get("/dashboard?date=2025-06-05").get_data(as_text=True)
    assert "date=2025-03-06" in html
    assert "date=2026-01-08" in html and "date=2025-12-18" not in html


def test_day_page_bad_date_says_so(client, auth):
    """Does a malformed ?date= give a clear French message rather than an error page?"""
    auth.login(Role.COORDINATOR)
    response = client.get("/dashboard?date=2025-13-45")
    assert response.status_code == 400
    assert "Date invalide" in response.get_data(as_text=True)


def test_day_page_defaults_to_today(client, auth):
    """Does /dashboard without a date show today?"""
    from kiosk.platform.timezone import local_day

    auth.login(Role.COORDINATOR)
    html = client.get("/dashboard").get_data(as_text=True)
    assert f'value="{local_day().isoformat()}"' in html
    assert "Aujourd&#39;hui" in html or "Aujourd'hui" in html
