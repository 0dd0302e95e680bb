"""Bad input found by review: each must be refused plainly, never a 500 and never a way off the box."""

from datetime import timedelta

import pytest

from kiosk.auth.services import change_password
from kiosk.platform.extensions import db
from kiosk.models import LoginAttempt, Role, UserSession
from kiosk.platform.timezone import utcnow
from tests.conftest import TEST_PASSWORD


@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0A/x", "/%5Cevil.example", "//evil.example",
                                    "https://evil.example/", "/%0D%0ASet-Cookie:x=1"])
def test_login_next_never_leaves_the_box(client, make_user, target):
    """After a good login, does any crafted ?next= lead home rather than away (or to a 500)?"""
    user = make_user(Role.COORDINATOR)
    response = client.post(f"/login?next={target}", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_login_next_keeps_a_local_page(client, make_user):
    """Does a plain local ?next= still lead back to that page?"""
    user = make_user(Role.COORDINATOR)
    response = client.post("/login?next=/participants?statut=tous",
                           data={"username": user.username, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/participants?statut=tous"


def test_language_switch_next_is_checked_too(client):
    """Is the language switch's return path held to the same rule?"""
    response = client.post("/langue/en", data={"next": "/\n/evil.example"})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_huge_ids_are_404_not_500(client, auth):
    """Is a 40-digit id in a URL a 404, not a crash?"""
    auth.login(Role.COORDINATOR)
    huge = "9" * 40
    assert client.post(f"/comptes/utilisateurs/{huge}/desactiver").status_code == 404
    assert client.get(f"/participants/{huge}").status_code == 404
    assert client.get(f"/confidentialite/journal?avant={huge}&participant=²").status_code == 200
    assert client.get("/confidentialite/gestion?q=²").status_code == 200


@pytest.mark.parametrize("day", ["2026-W47-4", "2026-11-19T00:00", "0001-01-01", "9999-12-31", "２０２６-11-19"])
def test_odd_dates_are_400_on_the_day_api(client, auth, day):
    """Are week dates, times, far years and non-ASCII digits refused with 400?"""
    auth.login(Role.COORDINATOR)
    response = client.get(f"/api/days/{day}")
    assert response.status_code == 400 and "error" in response.get_json()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_far_dates_on_the_dashboard_do_not_crash(client, auth, day):
    """Does the day page answer plainly for a far-away date?"""
    auth.login(Role.COORDINATOR)
    assert client.get(f"/dashboard?date={day}").status_code in (200, 400)


def test_unknown_or_wrong_method_api_without_credentials_is_401(client):
    """Is a wrong method on an /api/ route still 401 without credentials (credentials first)?"""
    assert client.post("/api/days/2026-11-19").status_code == 401
    assert client.delete("/api/categories").status_code == 401


def test_logout_without_a_session_just_redirects(app):
    """Does POST /logout with no session at all redirect (nothing to end, nothing to forge)?"""
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().post("/logout")
    assert response.status_code in (302, 303)


def test_healthz_503_on_an_empty_database_file(tmp_path):
    """Does /healthz refuse to say ok when the file has no schema (a wrong path, a lost file)?"""
    from kiosk import create_app
    from tests.conftest import test_config

    empty = create_app(test_config(tmp_path / "empty.sqlite3"))
    assert empty.test_client().get("/healthz").status_code == 503


def test_password_change_ends_sessions(client, auth):
    """Does a new password end the sessions opened with the old one?"""
    user = auth.login(Role.COORDINATOR)
    assert client.get("/dashboard").status_code == 200
    change_password(user, "un-nouveau-mot-de-passe")
    db.session.commit()
    assert client.get("/dashboard").status_code == 302


def test_coordinator_resets_a_password_from_the_screen(app, client, auth, make_user):
    """Can the coordinator give a volunteer a new password, which then works (and the old one not)?"""
    auth.login(Role.COORDINATOR)
    volunteer = make_user(Role.VOLUNTEER)
    response = client.post(f"/comptes/utilisateurs/{volunteer.id}/mot-de-passe", data={"password": "nouveau-secret"})
    assert response.status_code == 303
    other = app.test_client()
    assert other.post("/login", data={"username": volunteer.username, "password": TEST_PASSWORD}).status_code == 401
    assert other.post("/login", data={"username": volunteer.username, "password": "nouveau-secret"}).status_code == 303
    short = client.post(f"/comptes/utilisateurs/{volunteer.id}/mot-de-passe", data={"password": "court"})
    assert short.status_code == 303
    assert other.get("/tablet").status_code == 200  # a refused change leaves the session alone


def test_retention_forgets_old_login_attempts_and_sessions(app, make_user):
    """Are login attempts older than a year and expired sessions deleted by the retention run?"""
    from kiosk.privacy.retention import run_retention

    user = make_user(Role.VOLUNTEER)
    long_ago = utcnow() - timedelta(days=400)
    db.session.add_all([
        LoginAttempt(username="someone", succeeded=False, attempted_at=long_ago),
        LoginAttempt(username="someone", succeeded=False),
        UserSession(id="old", user_id=user.id, created_at=long_ago),
        UserSession(id="new", user_id=user.id),
    ])
    db.session.commit()
    run_retention()
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(LoginAttempt.id))) == 1
    assert db.session.scalars(db.select(UserSession.id)).all() == ["new"]
