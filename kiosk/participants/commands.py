"""`kiosk participant ...`, `kiosk card ...` and `kiosk cards ...`."""

from datetime import date

import click
from flask.cli import with_appcontext

from kiosk.cli import CommandError, emit_json
from kiosk.extensions import db
from kiosk.models import Participant
from kiosk.participants.services import (
    ParticipantError,
    add_participant,
    issue_card,
    open_epicerie_access,
)


def _iso_date(_ctx, _param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"date attendue au format AAAA-MM-JJ, pas « {value} »") from exc


@click.group("participant")
def participant_group():
    """Participants."""


@participant_group.command("add")
@click.option("--first-name", required=True)
@click.option("--last-name", required=True)
@click.option("--referrer", "referrer_name", default=None)
@click.option("--epicerie-until", callback=_iso_date, default=None)
@with_appcontext
def participant_add(first_name, last_name, referrer_name, epicerie_until):
    """Create a participant with a card; the last line is JSON {"id", "code"}."""
    try:
        participant = add_participant(first_name, last_name, referrer_name=referrer_name)
        if epicerie_until:
            open_epicerie_access(participant, epicerie_until)
        _card, code = issue_card(participant)
    except ParticipantError as exc:
        raise CommandError(str(exc)) from exc
    db.session.commit()
    emit_json({"id": participant.id, "code": code})


@click.group("card")
def card_group():
    """Cards."""


@card_group.command("issue")
@click.argument("participant_id", type=int)
@with_appcontext
def card_issue(participant_id):
    """Issue a new card (the previous one stops working); the last line is JSON {"id", "code"}."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.anonymised_at is not None:
        raise CommandError(f"aucun participant n°{participant_id}")
    _card, code = issue_card(participant)
    db.session.commit()
    emit_json({"id": participant.id, "code": code})


@click.group("cards")
def cards_group():
    """Printed cards."""
