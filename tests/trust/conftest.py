"""Helpers for the fault and load tests: a seeded live server, and devices talking to it."""

import re
import uuid
from datetime import timedelta

import pytest
import requests

from kiosk.devices.services import add_device
from kiosk.epicerie.categories import ensure_default_categories
from kiosk.platform.extensions import db
from kiosk.models import DeviceKind
from kiosk.people.services import add_participant, open_epicerie_access
from kiosk.cards.services import issue_card
from kiosk.platform.timezone import local_day
from kiosk.programme.services import find_or_create_activity, plan_session


def seed(app, count: int) -> list[str]:
    """`count` participants with a working card and open épicerie access, today's workshop planned; their codes."""
    codes = []
    with app.app_context():
        ensure_default_categories()
        plan_session(local_day(), find_or_create_activity("Atelier cuisine"))
        for n in range(count):
            participant = add_participant(f"Prénom{n}", f"Nom{n}")
            open_epicerie_access(participant, local_day() + timedelta(days=30))
            codes.append(issue_card(participant)[1])
        db.session.commit()
    return codes


class Device:
    """A kiosk or tablet browser: its cookies, its CSRF token, its requests."""

    def __init__(self, live, kind: DeviceKind):
        with live.app.app_context():
            _device, path = add_device(f"{kind} {uuid.uuid4().hex[:6]}", kind)
            db.session.commit()
        self.base = live.url
        self.http = requests.Session()
        screen = self.http.get(self.base + path, timeout=10)
        self.csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', screen.text).group(1)

    def post(self, path: str, body: dict, **headers):
        return self.http.post(self.base + path, json=body, timeout=15,
                              headers={"X-CSRFToken": self.csrf, **headers})

    def checkin(self, code: str):
        return self.post("/api/checkins", {"code": code})

    def basket(self, code: str, key: str | None = None):
        body = {"code": code, "paid_eur": "0.50",
                "lines": [{"category": "fruits_legumes", "quantity": 2, "weight_kg": 1.2, "value_eur": "5.00"}]}
        return self.post("/api/baskets", body, **{"Idempotency-Key": key or str(uuid.uuid4())})


@pytest.fixture
def device():
    return Device


@pytest.fixture
def openapi_schema(app):
    import schemathesis

    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


@pytest.fixture
def coordinator_cookie(app, client, auth, make_participant):
    """A coordinator's session cookie, and a participant with a card and access for realism."""
    from kiosk.models import Role

    make_participant(epicerie_until=local_day() + timedelta(days=30))
    auth.login(Role.COORDINATOR)
    return {"cepourmoi_session": client.get_cookie("cepourmoi_session").value}
