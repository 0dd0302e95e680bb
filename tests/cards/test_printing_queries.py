"""Printing many cards costs a bounded number of queries, not one (or more) per participant."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from kiosk.platform.extensions import db
from kiosk.models import Role
from kiosk.cards.printing import print_cards
from kiosk.cards.queries import active_participants, unprinted_participants
from kiosk.people.services import add_participant
from kiosk.cards.services import issue_card

PEOPLE = 30
BOUND = 12  # the participants, their cards, the centre's name, the printed marks: whatever the count


@contextmanager
def counted():
    """Count the SQL statements sent to the database inside the block."""
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture
def thirty(app):
    for n in range(PEOPLE):
        issue_card(add_participant(f"Prénom{n:02d}", f"Nom{n:02d}"))
    db.session.commit()
    db.session.expire_all()


@pytest.mark.parametrize("query", [unprinted_participants, active_participants])
def test_printing_thirty_cards_is_a_few_queries(thirty, query):
    """Do the printing queries load each participant's cards with them (30 cards, a dozen queries at most)?"""
    with counted() as statements:
        pdf, cards = print_cards(query())
    assert len(cards) == PEOPLE and pdf.startswith(b"%PDF")
    print("QUERIES", len(statements))
    assert len(statements) <= BOUND, "\n".join(statements)


def test_print_page_is_a_few_queries(client, auth, thirty):
    """Does the "print every new card" button cost the same few queries for thirty people?"""
    auth.login(Role.COORDINATOR)
    db.session.expire_all()
    with counted() as statements:
        response = client.post("/participants/cards/print")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert len(statements) <= BOUND + 10, "\n".join(statements)  # the login session and the audit come on top
