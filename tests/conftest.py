"""Fixtures as in the Flask tutorial: a fresh database per test, a client, a runner, and factories.

Each test gets its own SQLite file, copied from one built by the real migrations at session start.
"""

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="cepourmoi-tests-"))
os.environ["KIOSK_INSTANCE_PATH"] = str(_SESSION_DIR / "instance")
for _name in ("KIOSK_DATABASE_URL", "KIOSK_SECRET_KEY", "KIOSK_TIMEZONE"):
    os.environ.pop(_name, None)

from kiosk import create_app  # noqa: E402
from kiosk.auth.services import add_user  # noqa: E402
from kiosk.platform.extensions import db  # noqa: E402
from kiosk.models import DeviceKind, Role  # noqa: E402
from kiosk.people.services import add_participant, open_epicerie_access  # noqa: E402
from kiosk.cards.services import issue_card

TEST_PASSWORD = "motdepasse-test"
# Set by `make test-postgres` (scripts/with-postgres.sh): the whole suite then runs on PostgreSQL.
POSTGRES_URL = os.environ.get("KIOSK_TEST_POSTGRES_URL")
ON_POSTGRES = bool(POSTGRES_URL)
# One template database per pytest-xdist worker: they share the cluster.
TEMPLATE = "kiosk_template_" + os.environ.get("PYTEST_XDIST_WORKER", "main")
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="about SQLite itself (PRAGMA, file backup)")


def test_config(database: "Path | str", **overrides) -> dict:
    """The app's test configuration for a database URL (or an SQLite file path)."""
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
    }
    config.update(overrides)
    return config


def _postgres_url(name: str) -> str:
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


def _postgres_admin(statement: str) -> None:
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def migrated_template():
    """An empty database brought to the latest migration once, copied for each test
    (an SQLite file, or a PostgreSQL template database)."""
    from kiosk.platform.schema import upgrade_schema

    if ON_POSTGRES:
        _postgres_admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        _postgres_admin(f"CREATE DATABASE {TEMPLATE}")
        target = _postgres_url(TEMPLATE)
    else:
        target = _SESSION_DIR / "template.sqlite3"
    app = create_app(test_config(target))
    with app.app_context():
        upgrade_schema()
        db.engine.dispose()
    return target


@pytest.fixture
def database_url(tmp_path, migrated_template):
    """A fresh, migrated database for one test: its SQLAlchemy URL."""
    if not ON_POSTGRES:
        path = tmp_path / "cepourmoi.sqlite3"
        shutil.copy(migrated_template, path)
        yield f"sqlite:///{path}"
        return
    name = "t_" + uuid.uuid4().hex[:16]
    _postgres_admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield _postgres_url(name)
    _postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db_path(database_url) -> Path:
    """The SQLite file behind the test's database (tests about SQLite itself)."""
    if ON_POSTGRES:
        pytest.skip("about the SQLite file itself")
    return Path(database_url.removeprefix("sqlite:///"))


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(database_url, app_config):
    app = create_app(test_config(database_url, **app_config))
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
def plan_workshop(app):
    """Plan a workshop session: plan_workshop(day=None (today), activity="Atelier cuisine", capacity=None)."""
    from kiosk.platform.timezone import local_day
    from kiosk.programme.services import find_or_create_activity, plan_session

    def plan(day=None, activity="Atelier cuisine", capacity=None):
        row = plan_session(day or local_day(), find_or_create_activity(activity), capacity)
        db.session.commit()
        return row

    return plan


@pytest.fixture
def workshop_today(plan_workshop):
    """Today is a workshop day: check-ins made now are kept (whatever the weekday the suite runs on)."""
    return plan_workshop()


@pytest.fixture
def pattern_today(app):
    """Today is a day of the weekly pattern (no session written down yet): the first scan writes it."""
    from kiosk.platform.timezone import local_day
    from kiosk.settings import set_setting

    set_setting("workshop_weekday", str(local_day().weekday()))
    db.session.commit()


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
