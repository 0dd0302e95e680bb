"""Set-up shared by the épicerie's browser tests: households in the live database, the tablet open."""

from datetime import timedelta

from kiosk.platform.extensions import db
from kiosk.models import Basket
from kiosk.people.services import add_participant, open_epicerie_access
from kiosk.cards.services import issue_card
from kiosk.platform.timezone import local_day
from tests.browser.conftest import login


def add_household(live, first, last, until_days=60, size=1):
    """A participant with a card, and épicerie access for `until_days` (None: no access); -> (id, code)."""
    with live.app.app_context():
        participant = add_participant(first, last, household_size=size)
        if until_days is not None:
            open_epicerie_access(participant, local_day() + timedelta(days=until_days))
        _card, code = issue_card(participant)
        db.session.commit()
        return participant.id, code


def stored_baskets(live) -> list[dict]:
    """Every basket in the live database, oldest first, as plain values."""
    with live.app.app_context():
        baskets = db.session.scalars(db.select(Basket).order_by(Basket.id)).all()
        return [
            {"id": b.id, "participant_id": b.participant_id, "value_cents": b.value_cents,
             "paid_cents": b.paid_cents, "weight_g": b.weight_g, "cancelled": b.cancelled_at is not None,
             "served_by_id": b.served_by_id, "key": b.idempotency_key,
             "lines": [(l.category.code, l.quantity, l.weight_g, l.value_cents) for l in b.lines]}
            for b in baskets
        ]


def open_tablet(page, live, username=None):
    """Log in as a volunteer and open the tablet screen."""
    login(page, live, "volunteer", username=username, display_name="Monique")
    page.goto(live.url + "/tablet")
    page.locator("#tablet[data-ready]").wait_for(state="attached")


def choose(page, name_typed: str):
    """Search a household by name and pick the first match."""
    page.locator("#tablet[data-ready]").wait_for(state="attached")
    page.fill("#household-search", name_typed)
    page.locator(".result").first.click()
    page.locator("#household:not([hidden])").wait_for()


def fill_line(page, category, value, weight=None):
    row = page.locator(f'.line[data-category="{category}"]')
    row.locator(".line-value").fill(value)
    if weight is not None:
        row.locator(".line-weight").fill(weight)
