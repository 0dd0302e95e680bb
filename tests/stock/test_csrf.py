"""The stock's form and API with CSRF switched on, as in production."""

import uuid

import pytest

from kiosk.models import Role
from tests.dashboard.test_csrf import Browser
from tests.stock.conftest import arrival_body, stored


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_an_arrival_needs_the_pages_token(app, make_user, categories):
    """Is an arrival without the CSRF token refused (form and API), and accepted with it?"""
    browser = Browser(app)
    make_user(Role.VOLUNTEER, username="vol-csrf")
    browser.post("/login", data={"username": "vol-csrf", "password": "motdepasse-test",
                                 "csrf_token": browser.token("/login")})
    form = {"source": "don", "key": "k-1", "weight_1": "2"}
    assert browser.post("/stock/arrivage", data=form).status_code in (400, 422)
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    with app.app_context():
        assert browser.client.post("/api/stock/arrivals", json=arrival_body(), headers=headers).status_code == 400
    assert stored() == (0, 0, 0)
    token = browser.token("/stock/arrivage")
    assert browser.post("/stock/arrivage", data={**form, "csrf_token": token}).status_code == 303
    with app.app_context():
        response = browser.client.post("/api/stock/arrivals", json=arrival_body(),
                                       headers={**headers, "X-CSRFToken": token})
    assert response.status_code == 201
    assert stored()[0] == 2
