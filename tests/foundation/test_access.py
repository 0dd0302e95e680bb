"""Who may do what: credentials first (401), then role or device (403), then CSRF."""

import pytest

from kiosk.models import DeviceKind, Role


def test_api_without_credentials_is_401_json(client):
    """Does an /api/ route answer 401 JSON without a login or device, CSRF or not?"""
    response = client.post("/api/checkins", data="not json")
    assert response.status_code == 401
    assert set(response.get_json()) == {"error"}


def test_page_without_credentials_redirects_to_login(client):
    """Does a page redirect to /login when nobody is logged in?"""
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    ("role", "path", "expected"),
    [
        (Role.VOLUNTEER, "/dashboard", 403),
        (Role.REFERENT, "/dashboard", 403),
        (Role.REFERENT, "/tablet", 403),
        (Role.VOLUNTEER, "/tablet", 200),
        (Role.REFERENT, "/referent", 200),
        (Role.COORDINATOR, "/referent", 403),
    ],
)
def test_roles_see_only_their_screens(client, auth, role, path, expected):
    """Does each role reach its own screens and get 403 elsewhere?"""
    auth.login(role)
    assert client.get(path).status_code == expected


def test_kiosk_device_cannot_open_the_tablet(make_device):
    """Does an enrolled kiosk get 403 on the tablet screen and reach its own?"""
    kiosk = make_device(DeviceKind.KIOSK)
    assert kiosk.get("/kiosk").status_code == 200
    assert kiosk.get("/tablet").status_code == 403
    assert kiosk.get("/dashboard").status_code == 403


def test_unknown_route_is_404_in_french(client, auth):
    """Is an unknown page answered with a French page, and an unknown API route with JSON
    (401 first without credentials, as CONTRACT.md orders)?"""
    page = client.get("/nulle-part")
    assert page.status_code == 404
    assert "Page introuvable" in page.get_data(as_text=True)
    assert client.get("/api/nulle-part").status_code == 401
    auth.login(Role.COORDINATOR)
    api = client.get("/api/nulle-part")
    assert api.status_code == 404
    assert "error" in api.get_json()


def test_wrong_method_is_405(client, auth):
    """Is a GET on a POST-only route 405 (no state change on GET)?"""
    auth.login(Role.COORDINATOR)
    assert client.get("/logout").status_code == 405
