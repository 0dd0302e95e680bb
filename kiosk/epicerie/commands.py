"""`kiosk epicerie rules` (CONTRACT.md, "The épicerie's stock and limits") and `kiosk epicerie pin`."""

from dataclasses import replace

import click

from kiosk.epicerie.pins import PinError, set_pin
from kiosk.epicerie.rules import RulesError, change_rules, current_rules, rules_as_change
from kiosk.models import User
from kiosk.platform.console import CommandError, emit_json
from kiosk.platform.extensions import db
from kiosk.platform.money import MoneyError, format_cents, parse_cents
from kiosk.platform.unit_of_work import with_unit_of_work


def _euros(_ctx, param, value):
    if value is None:
        return None
    try:
        return parse_cents(value)
    except MoneyError:
        raise click.BadParameter(f"montant en euros attendu (par exemple 30 ou 12.50), pas « {value} »") from None


@click.group("epicerie")
def epicerie_group():
    """The épicerie's rules and the tablet's codes."""


@epicerie_group.command("rules")
@click.option("--visits-per-week", type=click.IntRange(1, 7), default=None)
@click.option("--visits-per-month", type=click.IntRange(0, 31), default=None, help="0: no monthly count.")
@click.option("--allowance-base", callback=_euros, default=None, help="EUR")
@click.option("--allowance-per-person", callback=_euros, default=None, help="EUR")
@click.option("--share-percent", type=click.IntRange(0, 100), default=None)
@click.option("--banque-alimentaire-percent", type=click.IntRange(-1, 100), default=None,
              help="The share's cap on Banque Alimentaire products (-1: none).")
@click.option("--enforce", type=click.Choice(["warning", "limit"]), default=None)
@with_unit_of_work
def epicerie_rules(visits_per_week, visits_per_month, allowance_base, allowance_per_person, share_percent,
                   banque_alimentaire_percent, enforce):
    """Put the rules in force from now (what is not given stays as it was); with no option, only
    show them (nothing written). Last line: the rules as JSON."""
    rules = current_rules()
    change = rules_as_change(rules)
    given = {
        "visits_per_week": visits_per_week, "allowance_base_cents": allowance_base,
        "allowance_per_person_cents": allowance_per_person, "contribution_percent": share_percent,
        "enforce": enforce,
    }
    change = replace(change, **{key: value for key, value in given.items() if value is not None})
    if visits_per_month is not None:
        change = replace(change, visits_per_month=visits_per_month or None)
    if banque_alimentaire_percent is not None:
        change = replace(change, banque_alimentaire_percent=None if banque_alimentaire_percent < 0
                         else banque_alimentaire_percent)
    asked = any(value is not None for value in (*given.values(), visits_per_month, banque_alimentaire_percent))
    if asked:
        try:
            rules = change_rules(change)
        except RulesError as exc:
            raise CommandError(str(exc)) from exc
    emit_json({
        "visits_per_week": rules.visits_per_week, "visits_per_month": rules.visits_per_month,
        "allowance_base_eur": format_cents(rules.allowance_base_cents),
        "allowance_per_person_eur": format_cents(rules.allowance_per_person_cents),
        "share_percent": rules.contribution_percent,
        "banque_alimentaire_percent": rules.banque_alimentaire_percent, "enforce": rules.enforce,
    })


@epicerie_group.command("pin")
@click.argument("username")
@click.option("--pin", default=None, help="4 to 6 digits (asked, hidden, when left out: it stays out of shell history).")
@with_unit_of_work
def epicerie_pin(username, pin):
    """Give a volunteer or the coordinator their code for the tablet."""
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        raise CommandError(f"compte inconnu : {username}")
    if pin is None:
        pin = click.prompt("Code tablette (4 à 6 chiffres)", hide_input=True, confirmation_prompt=True)
    try:
        set_pin(user, pin)
    except PinError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"Code tablette enregistré pour {user.name}.")
