"""`kiosk workshop plan|cancel` (CONTRACT.md, "Workshops")."""

import click

from kiosk.platform.console import CommandError, emit_json
from kiosk.platform.timezone import parse_iso_date
from kiosk.platform.unit_of_work import with_unit_of_work
from kiosk.programme.services import ProgrammeError, cancel_session, find_or_create_activity, plan_session
from kiosk.sites.commands import site_option


def _iso_date(_ctx, _param, value):
    day = parse_iso_date(value)
    if day is None:
        raise click.BadParameter(f"date attendue au format AAAA-MM-JJ, pas « {value} »")
    return day


@click.group("workshop")
def workshop_group():
    """The workshop's calendar."""


@workshop_group.command("plan")
@click.option("--date", "day", required=True, callback=_iso_date)
@click.option("--activity", required=True)
@click.option("--capacity", type=int, default=None)
@with_unit_of_work
@site_option()
def workshop_plan(day, activity, capacity):
    """Plan a session that day with that activity; the last line is JSON {"id", "date"}."""
    try:
        row = plan_session(day, find_or_create_activity(activity), capacity)
    except ProgrammeError as exc:
        raise CommandError(str(exc)) from exc
    emit_json({"id": row.id, "date": row.day.isoformat()})


@workshop_group.command("cancel")
@click.option("--date", "day", required=True, callback=_iso_date)
@click.option("--reason", default=None)
@with_unit_of_work
@site_option()
def workshop_cancel(day, reason):
    """Cancel that day's session, planned or from the weekly pattern."""
    try:
        row = cancel_session(day, reason, confirmed=True)
    except ProgrammeError as exc:
        raise CommandError(str(exc)) from exc
    emit_json({"id": row.id, "date": row.day.isoformat()})
