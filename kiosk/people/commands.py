"""`kiosk participant add` (the import is in kiosk/imports/commands.py)."""

from datetime import date

import click
from flask.cli import with_appcontext

from kiosk.audit import record_audit
from kiosk.people.services import ParticipantError, enrol_participant
from kiosk.platform.console import CommandError, emit_json
from kiosk.platform.extensions import db


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
@click.option("--household-size", type=int, default=1, show_default=True)
@click.option("--phone", default=None, help="A French number: 06 12 34 56 78, +33 6 12 34 56 78...")
@click.option("--sms-consent", is_flag=True, help="The person agrees to receive SMS (reminders, messages).")
@with_appcontext
def participant_add(first_name, last_name, referrer_name, epicerie_until, household_size, phone, sms_consent):
    """Create a participant with a card; the last line is JSON {"id", "code"}."""
    from kiosk.messages.consent import ConsentError, set_preference
    from kiosk.people.phone import normalise_phone

    if sms_consent and not phone:
        raise CommandError("--sms-consent demande un numéro de portable (--phone)")
    try:
        phone = normalise_phone(phone) if phone is not None else None
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    try:
        participant, code = enrol_participant(first_name, last_name, referrer_name, phone=phone,
                                              household_size=household_size, epicerie_until=epicerie_until)
        if sms_consent:
            set_preference(participant, True, "sms", "fr", source="cli")
    except (ParticipantError, ConsentError) as exc:
        raise CommandError(str(exc)) from exc
    record_audit("create", "participant", participant.id)
    db.session.commit()
    emit_json({"id": participant.id, "code": code})
