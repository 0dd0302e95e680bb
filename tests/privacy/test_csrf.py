"""The privacy forms with CSRF checked, as in production.

These tests build their own app and push no app context around the requests: the shared `app`
fixture keeps one open for the whole test, so Flask reuses it (and its `g`, where Flask-WTF caches
the token) for every request, which production never does.
"""

import re

import pytest

from kiosk import create_app
from kiosk.auth.services import add_user
from kiosk.platform.extensions import db
from kiosk.models import Participant, Role
from kiosk.people.services import add_participant
from kiosk.settings import get_setting
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_config as config_for


@pytest.fixture
def csrf_app(db_path):
    app = create_app(config_for(db_path, WTF_CSRF_ENABLED=True))
    with app.app_context():
        add_user("coord", Role.COORDINATOR, TEST_PASSWORD)
        person = add_participant("Awa", "Diallo")
        db.session.commit()
        app.person_id = person.id
    yield app
    with app.app_context():
        db.engine.dispose()


def token_of(client, url) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


@pytest.fixture
def coordinator(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "coord", "password": TEST_PASSWORD,
                                           "csrf_token": token_of(client, "/login")})
    assert response.status_code in (302, 303)
    return client


def anonymised(csrf_app) -> bool:
    with csrf_app.app_context():
        return db.session.get(Participant, csrf_app.person_id).anonymised_at is not None


def test_anonymise_without_token_changes_nothing(csrf_app, coordinator):
    """Is an anonymisation POST without the CSRF token refused (400) and the person left as they were?"""
    url = f"/confidentialite/participants/{csrf_app.person_id}/anonymiser"
    assert coordinator.post(url, data={"confirm": "y"}).status_code == 400
    assert not anonymised(csrf_app)


def test_anonymise_with_token_works(csrf_app, coordinator):
    """With the page's token, does the same POST go through?"""
    page = f"/confidentialite/participants/{csrf_app.person_id}"
    response = coordinator.post(page + "/anonymiser", data={"confirm": "y", "csrf_token": token_of(coordinator, page)})
    assert response.status_code == 303
    assert anonymised(csrf_app)


def test_retention_setting_without_token_is_refused(csrf_app, coordinator):
    """Is a change of the retention period without the token refused and not stored?"""
    assert coordinator.post("/confidentialite/conservation", data={"years": "4"}).status_code == 400
    with csrf_app.app_context():
        assert get_setting("retention_years") == "2"
