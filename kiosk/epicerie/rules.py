"""The coordinator's rules for the épicerie: contribution rate, visits, monthly allowance, and
whether they warn or limit.

Rules are kept as history: a change adds a row, the one in force is the latest `effective_from`.
Before the coordinator has saved any, the model's defaults apply (10 %, one visit a week,
30 € + 20 € per person and per month, no monthly count, warnings only).
"""

from dataclasses import asdict, dataclass

from flask_babel import gettext as _

from kiosk.audit import AuditAction, record_audit
from kiosk.platform.extensions import db
from kiosk.models import EpicerieAccess, EpicerieRules, Participant
from kiosk.platform.timezone import utcnow

MAX_VISITS_PER_WEEK = 7
MAX_VISITS_PER_MONTH = 31
ENFORCEMENTS = ("warning", "limit")
MAX_ALLOWANCE_CENTS = 999_999


class RulesError(ValueError):
    """Rules that cannot be recorded; `field` says which one, the message is for people."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def default_rules() -> EpicerieRules:
    """The rules in force before any were saved (not added to the session)."""
    return EpicerieRules(
        contribution_percent=10,
        visits_per_week=1,
        allowance_base_cents=3000,
        allowance_per_person_cents=2000,
        visits_per_month=None,
        banque_alimentaire_percent=None,
        enforce="warning",
    )


def current_rules() -> EpicerieRules:
    """The rules in force now: the latest row, or the defaults."""
    rules = db.session.scalar(
        db.select(EpicerieRules)
        .where(EpicerieRules.effective_from <= utcnow())
        .order_by(EpicerieRules.effective_from.desc(), EpicerieRules.id.desc())
        .limit(1)
    )
    return rules or default_rules()


def rules_history(limit: int = 20) -> list[EpicerieRules]:
    """The rules as they were changed, latest first."""
    return db.session.scalars(
        db.select(EpicerieRules)
        .order_by(EpicerieRules.effective_from.desc(), EpicerieRules.id.desc())
        .limit(limit)
    ).all()


@dataclass(frozen=True)
class RulesChange:
    contribution_percent: int
    visits_per_week: int
    allowance_base_cents: int
    allowance_per_person_cents: int
    visits_per_month: int | None = None
    banque_alimentaire_percent: int | None = None
    enforce: str = "warning"


def rules_as_change(rules: EpicerieRules) -> RulesChange:
    """The rules in force as a change to start from (the CLI sets only what it is given)."""
    return RulesChange(rules.contribution_percent, rules.visits_per_week, rules.allowance_base_cents,
                       rules.allowance_per_person_cents, rules.visits_per_month,
                       rules.banque_alimentaire_percent, rules.enforce or "warning")


def _check(change: RulesChange) -> None:
    if not 0 <= change.contribution_percent <= 100:
        raise RulesError("contribution_percent", _("Le taux est un nombre entre 0 et 100."))
    if not 1 <= change.visits_per_week <= MAX_VISITS_PER_WEEK:
        raise RulesError("visits_per_week", _("Entre 1 et 7 passages par semaine."))
    if change.visits_per_month is not None and not 1 <= change.visits_per_month <= MAX_VISITS_PER_MONTH:
        raise RulesError("visits_per_month", _("Entre 1 et 31 passages par mois, ou rien."))
    if change.banque_alimentaire_percent is not None and not 0 <= change.banque_alimentaire_percent <= 100:
        raise RulesError("banque_alimentaire_percent", _("Le taux est un nombre entre 0 et 100."))
    if change.enforce not in ENFORCEMENTS:
        raise RulesError("enforce", _("Choisissez « avertir » ou « limiter »."))
    for field in ("allowance_base_cents", "allowance_per_person_cents"):
        if not 0 <= getattr(change, field) <= MAX_ALLOWANCE_CENTS:
            raise RulesError(field, _("Montant entre 0 et 9 999,99 €."))


def change_rules(change: RulesChange, by=None) -> EpicerieRules:
    """Put new rules in force from now; the previous ones stay in the history."""
    _check(change)
    before = rules_as_change(current_rules())
    rules = EpicerieRules(effective_from=utcnow(), changed_by_id=getattr(by, "id", None), **asdict(change))
    db.session.add(rules)
    db.session.flush()
    record_audit(AuditAction.UPDATE, "epicerie_rules", rules.id, {"before": asdict(before)}, user=by)
    return rules


def computed_allowance_cents(rules: EpicerieRules, household_size: int) -> int:
    """The monthly allowance the rules give a household of that size."""
    return rules.allowance_base_cents + rules.allowance_per_person_cents * max(household_size, 1)


def monthly_allowance_cents(participant: Participant, access: EpicerieAccess | None,
                            rules: EpicerieRules) -> int:
    """The access's own allowance when the coordinator set one, else the rules' for the household."""
    if access is not None and access.monthly_allowance_cents is not None:
        return access.monthly_allowance_cents
    return computed_allowance_cents(rules, participant.household_size)


def participant_share_cents(value_cents: int, rules: EpicerieRules, banque_alimentaire_cents: int = 0) -> int:
    """What the household is asked to pay for goods of that value; the part from Banque Alimentaire
    products at the lower rate the centre set for them, if any.

    The other goods' part is rounded to the nearest cent (half up); the Banque Alimentaire part is
    rounded *down*, as the cap is checked (`basket_request._check_paid`): the box's own share never
    goes beyond the cap (19 999 cents at a 10 % cap: 1 999, not 2 000). static/js/epicerie-basket.js
    computes the same."""
    rate = rules.contribution_percent
    ba_rate = min(rate, ba_cap_percent(rules))
    other = value_cents - banque_alimentaire_cents
    return (other * rate + 50) // 100 + (banque_alimentaire_cents * ba_rate) // 100


def ba_cap_percent(rules: EpicerieRules) -> int:
    """The most a household may be asked for Banque Alimentaire products, in % of their value."""
    return rules.banque_alimentaire_percent if rules.banque_alimentaire_percent is not None else 100
