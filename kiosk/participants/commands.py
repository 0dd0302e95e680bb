"""`kiosk participant ...`, `kiosk card ...` and `kiosk cards ...`."""

import os
import tempfile
from datetime import date

import click
from flask.cli import with_appcontext
from sqlalchemy.orm import selectinload

from kiosk.audit import record_audit
from kiosk.cli import CommandError, emit_json
from kiosk.platform.extensions import db
from kiosk.models import Participant
from kiosk.participants.importing import apply_import, plan_import
from kiosk.participants.queries import active_participants
from kiosk.participants.services import ParticipantError, enrol_participant, issue_card
from kiosk.participants.spreadsheets import SpreadsheetError
from kiosk.platform.numbers import ascii_int


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
        participant, code = enrol_participant(first_name, last_name, referrer_name, epicerie_until=epicerie_until)
    except ParticipantError as exc:
        raise CommandError(str(exc)) from exc
    record_audit("create", "participant", participant.id)
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
    participant = _participant(participant_id)
    _card, code = issue_card(participant)
    record_audit("card_replace", "participant", participant.id)
    db.session.commit()
    emit_json({"id": participant.id, "code": code})


def _participant(participant_id) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.anonymised_at is not None:
        raise CommandError(f"aucun participant n°{participant_id}")
    return participant


@participant_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would be imported; store nothing.")
@with_appcontext
def participant_import(file, dry_run):
    """Import participants from a CSV (French Excel) or XLSX file; the last line is JSON."""
    try:
        with open(file, "rb") as handle:
            data = handle.read()
        plan = plan_import(data)
    except OSError as exc:
        raise CommandError(f"impossible de lire {file} : {exc.strerror or exc}") from exc
    except SpreadsheetError as exc:
        raise CommandError(f"{file} : {exc}") from exc
    for error in plan.errors:
        click.echo(f"ligne {error['line']} refusée : {error['message']}")
    if dry_run:
        click.echo("Essai à blanc : rien n'a été enregistré.")
    else:
        apply_import(plan)
        record_audit("import", "participant", None, {"created": len(plan.to_create), "skipped": len(plan.skipped)})
        db.session.commit()
    emit_json(plan.summary())


@click.group("cards")
def cards_group():
    """Printed cards."""


@cards_group.command("pdf")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
@click.argument("participant_ids", nargs=-1)
@with_appcontext
def cards_pdf_command(out, participant_ids):
    """A4 sheets of cards, ten to a page: those named, or every active participant."""
    from kiosk.participants.printing import page_count, print_cards  # here, not at start: keeps the server small
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
    except ParticipantError as exc:
        raise CommandError(str(exc)) from exc
    _write_atomically(out, pdf)
    record_audit("card_print", "participant", None, {"cards": len(cards)})
    db.session.commit()
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
