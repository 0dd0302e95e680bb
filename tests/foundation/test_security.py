"""Response headers, health, the OpenAPI document, and pages that stay French and inert."""

import re

from kiosk.models import Role


def test_security_headers_on_every_page(client):
    """Does a page carry a CSP without inline script, no framing, nosniff, a referrer policy, no-store?"""
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "no-store" in response.headers["Cache-Control"]


def test_static_files_may_be_cached(client):
    """Are static files left cacheable (no personal data in them)?"""
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_session_cookie_is_httponly_samesite_and_secure_over_https(client, make_user):
    """Is the session cookie HttpOnly and SameSite, and Secure when the request came over HTTPS?"""
    from tests.conftest import TEST_PASSWORD

    user = make_user(Role.COORDINATOR)
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD},
                           base_url="https://box.local")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    plain = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert "Secure" not in plain.headers["Set-Cookie"]


def test_healthz_ok(client):
    """Does /healthz answer 200 {"status": "ok"} when the database answers?"""
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_healthz_503_when_the_database_is_gone(tmp_path, app_config):
    """Does /healthz answer 503 when the database cannot be opened?"""
    from kiosk import create_app
    from tests.conftest import test_config

    broken = create_app(test_config(tmp_path / "no-such-dir" / "x.sqlite3"))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503


def test_openapi_describes_every_api_route(app, client):
    """Does /api/openapi.json list every /api/ route of the app, in OpenAPI 3?"""
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    shape = lambda path: re.sub(r"\{[^}]*\}|<[^>]*>", "{}", path)  # noqa: E731
    described = {shape(path): set(operations) for path, operations in document["paths"].items()}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            methods = {method.lower() for method in rule.methods - {"HEAD", "OPTIONS"}}
            assert shape(rule.rule) in described, f"{rule.rule} missing from /api/openapi.json"
            assert methods <= described[shape(rule.rule)], f"{rule.rule} {methods} not all described"


def test_typed_text_is_inert(client, make_user):
    """Is a username with HTML shown as text, not markup, when the login form comes back?"""
    response = client.post("/login", data={"username": "<script>alert(1)</script>", "password": "x"})
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
