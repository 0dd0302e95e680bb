"""Fixtures as in the Flask tutorial: a fresh database per test, a client, a runner, and factories.

Each test gets its own SQLite file, copied from one built by the real migrations at session start.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="cepourmoi-tests-"))
os.environ["KIOSK_INSTANCE_PATH"] = str(_SESSION_DIR / "instance")
for _name in ("KIOSK_DATABASE_URL", "KIOSK_SECRET_KEY", "KIOSK_TIMEZONE"):
    os.environ.pop(_name, None)

from kiosk import create_app  # noqa: E402
from kiosk.auth.services import add_user  # noqa: E402
from kiosk.extensions import db  # noqa: E402
from kiosk.models import DeviceKind, Role  # noqa: E402
from kiosk.participants.services import add_participant, issue_card, open_epicerie_access  # noqa: E402

TEST_PASSWORD = "motdepasse-test"


def test_config(db_path: Path, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
        "WTF_CSRF_ENABLED": False,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def migrated_template() -> Path:
    """An empty database brought to the latest migration once, copied for each test."""
    path = _SESSION_DIR / "template.sqlite3"
    app = create_app(test_config(path))
    with app.app_context():
        from kiosk.schema import upgrade_schema

        upgrade_schema()
        db.engine.dispose()
    return path


@pytest.fixture
def db_path(tmp_path, migrated_template) -> Path:
    path = tmp_path / "cepourmoi.sqlite3"
    shutil.copy(migrated_template, path)
    return path


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(db_path, app_config):
    app = create_app(test_config(db_path, **app_config))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a login: make_user(Role.VOLUNTEER, username=..., referrer_name=...)."""
    counter = iter(range(1, 10_000))

    def make(role=Role.COORDINATOR, username=None, password=TEST_PASSWORD, referrer_name=None, display_name=None):
        if role == Role.REFERENT and referrer_name is None:
            referrer_name = "Mme Briand"
        user = add_user(username or f"{role}{next(counter)}", role, password, referrer_name, display_name)
        db.session.commit()
        return user

    return make


class AuthActions:
    def __init__(self, client, make_user):
        self._client = client
        self._make_user = make_user

    def login(self, role=Role.COORDINATOR, **kwargs):
        """Create a user with that role and log the test client in as them."""
        user = self._make_user(role, **kwargs)
        response = self._client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
        assert response.status_code in (302, 303), response.status_code
        return user

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client, make_user):
    return AuthActions(client, make_user)


@pytest.fixture
def make_participant(app):
    """Create a participant with a working card: make_participant("Fatima", epicerie_until=...) -> (p, code)."""

    def make(first_name="Fatima", last_name="Benali", referrer_name=None, epicerie_until=None, **kwargs):
        participant = add_participant(first_name, last_name, referrer_name=referrer_name, **kwargs)
        if epicerie_until:
            open_epicerie_access(participant, epicerie_until)
        _card, code = issue_card(participant)
        db.session.commit()
        return participant, code

    return make


@pytest.fixture
def make_device(app):
    """Create and enrol a device; returns a test client carrying its cookie."""
    from kiosk.devices.services import add_device

    def make(kind=DeviceKind.KIOSK, name=None):
        _device, path = add_device(name or f"{kind} {os.urandom(3).hex()}", kind)
        db.session.commit()
        device_client = app.test_client()
        response = device_client.get(path)
        assert response.status_code in (302, 303)
        return device_client

    return make
