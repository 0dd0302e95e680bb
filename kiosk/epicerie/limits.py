"""The rules that hold: the monthly allowance and the visits a household may make.

Each rule is a warning or a limit, as the centre set it (`EpicerieRules.enforce`). A limit refuses
the basket unless a coordinator gives a reason to let it through. The check runs with the
household's row locked (PostgreSQL) or the database's write lock held (SQLite), so that baskets
arriving at the same moment are counted one after the other, never side by side.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _, ngettext
from sqlalchemy import func

from kiosk.epicerie.access import access_on, access_rows
from kiosk.epicerie.rules import monthly_allowance_cents
from kiosk.models import Basket, EpicerieRules, Participant
from kiosk.platform.extensions import db
from kiosk.platform.money import format_euros


@dataclass(frozen=True)
class Breach:
    """A rule this basket would go beyond: which one, and what to tell the volunteer."""

    code: str  # "allowance", "visits_week", "visits_month"
    message: str


def lock_household(participant: Participant) -> None:
    """Hold the household's row until the transaction ends: concurrent baskets wait their turn."""
    db.session.execute(db.select(Participant.id).where(Participant.id == participant.id).with_for_update())


def _baskets(participant_id: int, since: date, until: date, leave_out: int | None):
    query = db.select(func.count(Basket.id), func.coalesce(func.sum(Basket.value_cents), 0)).where(
        Basket.participant_id == participant_id, Basket.cancelled_at.is_(None),
        Basket.served_on >= since, Basket.served_on <= until)
    if leave_out is not None:
        query = query.where(Basket.id != leave_out)
    count, value = db.session.execute(query).one()
    return count, value


def breaches(participant: Participant, value_cents: int, day: date, rules: EpicerieRules,
             correcting: Basket | None = None) -> list[Breach]:
    """The rules a basket of that value on that day would go beyond (a correction: its new value)."""
    leave_out = correcting.id if correcting is not None else None
    month_start = day.replace(day=1)
    month_count, month_value = _baskets(participant.id, month_start, day, leave_out)
    found = []
    allowance = monthly_allowance_cents(participant, access_on(access_rows(participant.id), day), rules)
    # A correction that does not raise the basket's value is never refused for the allowance (it
    # may bring an over-allowance basket down, or change its lines at the same value).
    raises = correcting is None or value_cents > correcting.value_cents
    if month_value + value_cents > allowance and raises:
        found.append(Breach("allowance", _(
            "Ce panier dépasse le montant du mois : %(taken)s déjà pris sur %(allowance)s, "
            "il reste %(left)s et ce panier vaut %(value)s.",
            taken=format_euros(month_value), allowance=format_euros(allowance),
            left=format_euros(max(allowance - month_value, 0)), value=format_euros(value_cents))))
    if correcting is not None:
        return found  # a correction is the same visit
    week_count, _value = _baskets(participant.id, day - timedelta(days=day.weekday()), day, None)
    if week_count >= rules.visits_per_week:
        found.append(Breach("visits_week", ngettext(
            "Déjà servi cette semaine : la règle permet %(num)s passage par semaine.",
            "Déjà servi cette semaine : la règle permet %(num)s passages par semaine.", rules.visits_per_week)))
    if rules.visits_per_month is not None and month_count >= rules.visits_per_month:
        found.append(Breach("visits_month", ngettext(
            "Déjà servi ce mois-ci : la règle permet %(num)s passage par mois.",
            "Déjà servi ce mois-ci : la règle permet %(num)s passages par mois.", rules.visits_per_month)))
    return found


def refusal_message(found: list[Breach], correcting: bool = False) -> str:
    """What a volunteer reads when a limit refuses the basket (or its correction): the rules
    passed, and what to do."""
    if correcting:
        closing = _("Correction refusée : c'est une limite fixée par le centre. Seule la coordination "
                    "peut la passer, avec une raison. Le panier reste tel qu'il était.")
    else:
        closing = _("Panier refusé : c'est une limite fixée par le centre. Seule la coordination peut "
                    "la passer, avec une raison.")
    return " ".join([b.message for b in found] + [closing])
