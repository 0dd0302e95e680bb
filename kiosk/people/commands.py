"""`kiosk participant add` (the import is in kiosk/imports/commands.py)."""

from datetime import date

import click

from kiosk.people.services import ParticipantError, enrol_participant
from kiosk.platform.console import CommandError, emit_json
from kiosk.platform.unit_of_work import with_unit_of_work
from kiosk.sites.commands import site_option


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
@click.option("--phone", default=None, help="06 12 34 56 78, 0612345678, 06.12.34.56.78 or +33 6 12 34 56 78")
@click.option("--household-size", type=click.IntRange(1, 30), default=1)
@click.option("--sms-consent", is_flag=True, help="The person agrees to receive SMS (reminders, messages).")
@with_unit_of_work
@site_option()
def participant_add(first_name, last_name, referrer_name, epicerie_until, phone, household_size, sms_consent):
    """Create a participant with a card; the last line is JSON {"id", "code"}."""
    from kiosk.messages.consent import ConsentError, set_preference

    if sms_consent and not phone:
        raise CommandError("--sms-consent demande un numéro de portable (--phone)")
    try:
        participant, code = enrol_participant(first_name, last_name, referrer_name, phone=phone,
                                              household_size=household_size, epicerie_until=epicerie_until)
        if sms_consent:
            set_preference(participant, True, "sms", "fr", source="cli")
    except (ParticipantError, ConsentError) as exc:
        raise CommandError(str(exc)) from exc
    emit_json({"id": participant.id, "code": code})
