"""`kiosk card issue` and `kiosk cards pdf`."""

import os
import tempfile

import click
from sqlalchemy.orm import selectinload

from kiosk.cards.queries import active_participants
from kiosk.cards.services import CardError, replace_card
from kiosk.models import Participant
from kiosk.platform.console import CommandError, emit_json
from kiosk.platform.extensions import db
from kiosk.platform.numbers import ascii_int
from kiosk.platform.unit_of_work import with_unit_of_work


@click.group("card")
def card_group():
    """Cards."""


@card_group.command("issue")
@click.argument("participant_id", type=int)
@with_unit_of_work
def card_issue(participant_id):
    """Issue a new card (the previous one stops working); the last line is JSON {"id", "code"}."""
    participant = _participant(participant_id)
    _card, code = replace_card(participant)
    emit_json({"id": participant.id, "code": code})


def _participant(participant_id) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.anonymised_at is not None:
        raise CommandError(f"aucun participant n°{participant_id}")
    return participant


@click.group("cards")
def cards_group():
    """Printed cards."""


@cards_group.command("pdf")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
@click.argument("participant_ids", nargs=-1)
@with_unit_of_work
def cards_pdf_command(out, participant_ids):
    """A4 sheets of cards, ten to a page: those named, or every active participant."""
    from kiosk.cards.printing import (  # here, not at start: keeps the server small
        page_count,
        print_cards,
    )
    if participant_ids:
        wanted = []
        for raw in dict.fromkeys(participant_ids):
            number = ascii_int(raw, max_digits=12)
            if number is None:
                raise CommandError(f"numéro de participant invalide : « {raw} »")
            wanted.append(number)
        named = db.select(Participant).where(Participant.id.in_(wanted)).options(selectinload(Participant.cards))
        found = {p.id: p for p in db.session.scalars(named)}
        unknown = [str(pid) for pid in wanted if pid not in found or found[pid].anonymised_at is not None]
        if unknown:
            raise CommandError(f"participant(s) inconnu(s) : {', '.join(unknown)} ; aucun fichier écrit")
        participants = [found[pid] for pid in wanted]
    else:
        participants = active_participants()
    if not participants:
        raise CommandError("aucun participant actif : rien à imprimer")
    try:
        pdf, cards = print_cards(participants)
    except CardError as exc:
        raise CommandError(str(exc)) from exc
    _write_atomically(out, pdf)
    click.echo(f"{len(cards)} carte(s) sur {page_count(len(cards))} page(s) : {out}")


def _write_atomically(path: str, content: bytes) -> None:
    """Write the whole file or nothing."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".cartes-", suffix=".pdf")
    except OSError as exc:
        raise CommandError(f"impossible d'écrire dans {folder} : {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        os.unlink(tmp)
        raise CommandError(f"impossible d'écrire {path} : {exc.strerror or exc}") from exc
