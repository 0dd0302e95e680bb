"""Helpers shared by the stock tests: the épicerie's fixtures, an arrival poster, stored counts."""

import uuid

import pytest

from kiosk.models import AuditEvent, StockArrival, StockArrivalLine
from kiosk.platform.extensions import db
from tests.epicerie.conftest import categories, household, volunteer_client  # noqa: F401  (fixtures)


def arrival_body(source="banque_alimentaire", lines=None):
    return {"source": source, "lines": lines if lines is not None else [
        {"category": "frais", "weight_kg": 10, "value_eur": "30.00"}]}


def post_arrival(client, body, key=None):
    """POST /api/stock/arrivals with a fresh (or given) Idempotency-Key."""
    return client.post("/api/stock/arrivals", json=body, headers={"Idempotency-Key": key or str(uuid.uuid4())})


def stored() -> tuple[int, int, int]:
    """How many arrivals, arrival lines and stock audit events the database holds."""
    db.session.expire_all()
    count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
    audits = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                               .where(AuditEvent.entity == "stock_arrival"))
    found = count(StockArrival), count(StockArrivalLine), audits
    db.session.rollback()  # end the test's own transaction: it must not hold SQLite's lock for the next request
    return found


@pytest.fixture
def coordinator_client(client, auth):
    auth.login()
    return client
