"""The coordinator's rules for the épicerie: contribution rate, visits per week, monthly allowance.

Rules are kept as history: a change adds a row, the one in force is the latest `effective_from`.
Before the coordinator has saved any, the model's defaults apply (10 %, one visit a week,
30 € + 20 € per person and per month).
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from kiosk.audit import AuditAction, record_audit
from kiosk.platform.extensions import db
from kiosk.models import EpicerieAccess, EpicerieRules, Participant
from kiosk.platform.timezone import utcnow

MAX_VISITS_PER_WEEK = 7
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


def change_rules(change: RulesChange, by=None) -> EpicerieRules:
    """Put new rules in force from now; the previous ones stay in the history."""
    if not 0 <= change.contribution_percent <= 100:
        raise RulesError("contribution_percent", _("Le taux est un nombre entre 0 et 100."))
    if not 1 <= change.visits_per_week <= MAX_VISITS_PER_WEEK:
        raise RulesError("visits_per_week", _("Entre 1 et 7 passages par semaine."))
    for field in ("allowance_base_cents", "allowance_per_person_cents"):
        if not 0 <= getattr(change, field) <= MAX_ALLOWANCE_CENTS:
            raise RulesError(field, _("Montant entre 0 et 9 999,99 €."))
    before = current_rules()
    rules = EpicerieRules(
        effective_from=utcnow(),
        contribution_percent=change.contribution_percent,
        visits_per_week=change.visits_per_week,
        allowance_base_cents=change.allowance_base_cents,
        allowance_per_person_cents=change.allowance_per_person_cents,
        changed_by_id=getattr(by, "id", None),
    )
    db.session.add(rules)
    db.session.flush()
    record_audit(AuditAction.UPDATE, "epicerie_rules", rules.id, {"before": {
        "contribution_percent": before.contribution_percent,
        "visits_per_week": before.visits_per_week,
        "allowance_base_cents": before.allowance_base_cents,
        "allowance_per_person_cents": before.allowance_per_person_cents,
    }}, user=by)
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


def participant_share_cents(value_cents: int, rules: EpicerieRules) -> int:
    """What the household is asked to pay for goods of that value (rounded to the cent)."""
    return (value_cents * rules.contribution_percent + 50) // 100
