"""Issue 20, point 5: the PostgreSQL bench's network builder makes what it says, on a tiny scale
(2 sites × 1 year). Nothing is timed here; `make bench` measures."""

import pytest
from sqlalchemy import text

from kiosk.bench.network import Network, fill_network
from kiosk.cards.codes import seal_code
from kiosk.checkin.services import CardRefused, check_in_by_card
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.sites.scope import scoped_to
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="the bench's builder writes PostgreSQL (make test-postgres)")

TINY = Network(sites=2, years=1, participants=40, checkins_per_day=10, baskets_per_day=4, reserved=6)


def scalar(sql: str):
    return db.session.execute(text(sql)).scalar()


def test_two_sites_one_year_hold_what_the_builder_says(app, database_url):
    db.session.remove()  # the builder writes through its own connection
    made = fill_network(database_url, Network(**{**TINY.__dict__, "today": local_day()}), seal_code)
    days = 52
    assert made["rows"] == {"site": 2, "participant": 80, "programme_period": 80, "card": 80, "workshop_day": 2 * days,
                            "check_in": 2 * days * 10, "basket": 2 * days * 4, "basket_line": 2 * days * 4 * 3}
    assert {site: len(codes) for site, codes in made["codes"].items()} == {1: 6, 2: 6}
    # Every row belongs to its site, and so does what it points to.
    for child, parent, column in [("check_in", "participant", "participant_id"),
                                  ("check_in", "workshop_day", "workshop_day_id"),
                                  ("card", "participant", "participant_id"),
                                  ("basket", "participant", "participant_id"),
                                  ("basket_line", "basket", "basket_id"),
                                  ("basket_line", "category", "category_id"),
                                  ("workshop_day", "activity", "activity_id")]:
        assert scalar(f"SELECT count(*) FROM {child} c JOIN {parent} p ON p.id = c.{column} "
                      f"WHERE p.site_id <> c.site_id") == 0, (child, parent)
    assert scalar("SELECT count(DISTINCT site_id) FROM check_in") == 2
    # Weekly Thursdays, ten check-ins each; a basket's totals are its lines'; no one the load
    # scans was checked in before, nor has left.
    assert scalar("SELECT count(*) FROM workshop_day WHERE extract(isodow FROM day) <> 4") == 0
    assert scalar("SELECT max(n) FROM (SELECT count(*) n FROM check_in GROUP BY workshop_day_id) d") == 10
    assert scalar("SELECT count(*) FROM basket b WHERE value_cents <> "
                  "(SELECT sum(value_cents) FROM basket_line l WHERE l.basket_id = b.id)") == 0
    # The baskets' stored figures (by site, month and category) are the lines' recount.
    from kiosk.epicerie.month_figures import month_differences

    assert scalar("SELECT sum(lines) FROM basket_month") == 2 * days * 4 * 3
    assert month_differences() == []
    assert scalar("SELECT count(*) FROM check_in c JOIN participant p ON p.id = c.participant_id "
                  "WHERE (p.id - 1) % 40 >= 34") == 0
    assert scalar("SELECT count(*) FROM programme_period WHERE left_on IS NOT NULL") > 0
    assert scalar("SELECT count(*) FROM programme_period WHERE left_on IS NOT NULL AND (participant_id - 1) % 40 >= 34") == 0
    # A reserved code checks its holder in today on its own site, and is unknown on the other.
    code = made["codes"][2][0]
    with scoped_to(1), pytest.raises(CardRefused):
        check_in_by_card(code)
    db.session.rollback()
    with scoped_to(2):
        result = check_in_by_card(code)
    assert result.created and result.participant_id == 2 * 40 - 6 + 1
    # The indexes dropped for the load are back.
    assert {"ix_check_in_day_time", "ix_basket_site_day", "ix_basket_line_basket_id", "ix_workshop_day_site_id"} <= set(
        db.session.execute(text("SELECT indexname FROM pg_indexes")).scalars())
    # The sequences follow the rows: the app's next row gets a fresh id.
    assert scalar("SELECT nextval(pg_get_serial_sequence('check_in', 'id'))") > 2 * days * 10
