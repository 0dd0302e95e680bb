"""`kiosk messages send-due [--now ISO-8601]`."""

from datetime import datetime, timezone

import click
from flask.cli import with_appcontext

from kiosk.messages.sender import send_due
from kiosk.platform.console import emit_json


def _moment(_ctx, _param, value):
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"date et heure attendues au format ISO 8601 (2026-12-09T10:00+01:00), pas « {value} »") from exc
    if moment.tzinfo is None:
        from kiosk.platform.timezone import centre_zone

        moment = moment.replace(tzinfo=centre_zone())
    return moment.astimezone(timezone.utc)


@click.group("messages")
def messages_group():
    """SMS and letters."""


@messages_group.command("send-due")
@click.option("--now", "now", callback=_moment, default=None, help="The moment to act at (ISO 8601).")
@with_appcontext  # not one unit of work: the sender commits each message's steps itself (sender.py)
def send_due_command(now):
    """Send what is due now (or at --now); the last line is JSON {"sms", "letters", "failed"}."""
    result = send_due(now)
    for error in dict.fromkeys(result.errors):
        click.echo(f"Attention : {error}", err=True)
    emit_json(result.as_json())
