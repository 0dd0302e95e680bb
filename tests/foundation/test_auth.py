"""Logins, sessions held on the server, and the attempt limit of CONTRACT.md."""

from kiosk.auth.services import disable_user
from kiosk.platform.extensions import db
from kiosk.models import LoginAttempt, Role, UserSession
from tests.conftest import TEST_PASSWORD


def test_login_page_has_the_contract_fields(client):
    """Does GET /login show a form with username, password and a hidden csrf_token?"""
    html = client.get("/login").get_data(as_text=True)
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert 'name="csrf_token"' in html
    assert '<meta name="csrf-token" content="' in html


def test_good_login_redirects_to_the_role_screen(client, make_user):
    """Does a coordinator's login answer 303 and lead to the dashboard?"""
    user = make_user(Role.COORDINATOR)
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code in (302, 303)
    assert client.get("/").headers["Location"].endswith("/dashboard")


def test_wrong_password_is_refused_with_a_message(client, make_user):
    """Does a wrong password answer 401 with a French message, and is the attempt logged?"""
    user = make_user(Role.VOLUNTEER)
    response = client.post("/login", data={"username": user.username, "password": "nope-nope"})
    assert response.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in response.get_data(as_text=True)
    attempts = db.session.scalars(db.select(LoginAttempt)).all()
    assert [(a.username, a.succeeded) for a in attempts] == [(user.username, False)]


def test_sixth_failure_within_fifteen_minutes_is_429(client, make_user):
    """Is the 6th failed attempt for one username answered 429, and does it then stay locked?"""
    user = make_user(Role.VOLUNTEER)
    codes = [
        client.post("/login", data={"username": user.username, "password": f"wrong{i}"}).status_code
        for i in range(6)
    ]
    assert codes == [401] * 5 + [429]
    # Even the right password waits for the window to pass: no guessing through the lock.
    locked = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert locked.status_code == 429


def test_failures_of_one_user_do_not_lock_another(client, make_user):
    """Do five failures for one username leave another username free to log in?"""
    victim, other = make_user(Role.VOLUNTEER), make_user(Role.VOLUNTEER)
    for i in range(6):
        client.post("/login", data={"username": victim.username, "password": f"wrong{i}"})
    response = client.post("/login", data={"username": other.username, "password": TEST_PASSWORD})
    assert response.status_code == 303


def test_logout_ends_the_session_on_the_server(client, auth):
    """After POST /logout, does a copy of the old session cookie stop working?"""
    auth.login(Role.COORDINATOR)
    old_cookie = client.get_cookie("cepourmoi_session").value
    assert client.get("/dashboard").status_code == 200
    response = auth.logout()
    assert response.status_code in (302, 303)
    assert db.session.scalar(db.select(db.func.count(UserSession.id))) == 0
    client.set_cookie("cepourmoi_session", old_cookie)
    assert client.get("/dashboard").status_code == 302


def test_a_response_that_changes_nothing_in_the_session_sends_no_cookie(client, auth):
    """Does a page or a picture leave the session cookie alone, so that a request in flight cannot
    put back the session as it was before a change made meanwhile (the language, a logout)?"""
    auth.login(Role.COORDINATOR)
    assert client.get("/dashboard").status_code == 200
    for path in ("/dashboard", "/static/img/favicon.svg"):
        with client.get(path) as response:
            assert response.status_code == 200
            assert "cepourmoi_session" not in response.headers.get("Set-Cookie", ""), path
    switched = client.post("/langue/en", data={"next": "/dashboard"})
    assert "cepourmoi_session" in switched.headers.get("Set-Cookie", "")


def test_login_renews_the_session(app, client, make_user):
    """Does logging in replace whatever session the browser had (no session fixation)?"""
    user = make_user(Role.COORDINATOR)
    client.get("/login")
    before = client.get_cookie("cepourmoi_session").value
    client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    after = client.get_cookie("cepourmoi_session").value
    assert before != after
    planted = app.test_client()
    planted.set_cookie("cepourmoi_session", before)
    assert planted.get("/dashboard").status_code == 302
    stolen = app.test_client()
    stolen.set_cookie("cepourmoi_session", after)
    assert stolen.get("/dashboard").status_code == 200


def test_disabled_user_loses_their_session_at_once(client, auth):
    """Does disabling a user end their open session on the next request?"""
    user = auth.login(Role.COORDINATOR)
    assert client.get("/dashboard").status_code == 200
    disable_user(user)
    db.session.commit()
    assert client.get("/dashboard").status_code == 302


def test_next_parameter_never_leads_off_the_box(client, make_user):
    """Is a ?next= pointing at another site ignored after login?"""
    user = make_user(Role.COORDINATOR)
    response = client.post(
        "/login?next=//evil.example/x", data={"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.headers["Location"] == "/"
