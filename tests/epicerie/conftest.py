"""Helpers shared by the épicerie tests: a household with open access, a valid body, a poster."""

import uuid
from datetime import timedelta

import pytest

from kiosk.epicerie.categories import ensure_default_categories
from kiosk.platform.extensions import db
from kiosk.models import Basket, Role
from kiosk.platform.timezone import local_day


def line(category="frais", quantity=2, weight_kg=1.5, value_eur="12.50"):
    return {"category": category, "quantity": quantity, "weight_kg": weight_kg, "value_eur": value_eur}


def basket_body(participant_id, lines=None, paid_eur="1.25"):
    return {"participant_id": participant_id, "lines": lines or [line()], "paid_eur": paid_eur}


def basket_count() -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(Basket.id)))


@pytest.fixture
def categories(app):
    """The six default categories."""
    created = ensure_default_categories()
    db.session.commit()
    return created


@pytest.fixture
def household(make_participant, categories):
    """A participant whose épicerie access is open for two months."""
    participant, _code = make_participant("Fatima", "Benali", epicerie_until=local_day() + timedelta(days=60))
    return participant


@pytest.fixture
def volunteer_client(client, auth):
    """The test client logged in as a volunteer."""
    auth.login(Role.VOLUNTEER, display_name="Monique")
    return client


def post_basket(client, body, key=None, headers=None):
    """POST /api/baskets with a fresh (or given) Idempotency-Key."""
    all_headers = {"Idempotency-Key": key or str(uuid.uuid4()), **(headers or {})}
    return client.post("/api/baskets", json=body, headers=all_headers)


def identify(tablet, user, pin="2580"):
    """The volunteer says who serves on an enrolled tablet: their name and PIN (set here first)."""
    from kiosk.epicerie.pins import has_pin, set_pin

    if not has_pin(user):
        set_pin(user, pin)
        db.session.commit()
    return tablet.post("/tablet/service", data={"server_id": user.id, "pin": pin})
