"""What the coordinator's rules screen shows: the rules and their history, categories, households."""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import aliased, selectinload

from wtforms import SelectChoice

from kiosk.epicerie.categories import all_categories
from kiosk.epicerie.duty import servers_to_pick
from kiosk.epicerie.forms import CategoryForm, RulesForm, ServerPinForm
from kiosk.epicerie.pins import users_with_pin
from kiosk.epicerie.queries import find_households
from kiosk.epicerie.rules import current_rules, rules_history
from kiosk.platform.extensions import db
from kiosk.models import EpicerieAccess, Participant, User, active_participants_filter
from kiosk.platform.money import format_cents
from kiosk.platform.timezone import local_day

ENDING_WITHIN_DAYS = 21


def _rules_form() -> RulesForm:
    rules = current_rules()
    form = RulesForm(formdata=None)
    form.contribution_percent.data = rules.contribution_percent
    form.visits_per_week.data = rules.visits_per_week
    form.allowance_base.data = format_cents(rules.allowance_base_cents).replace(".", ",")
    form.allowance_per_person.data = format_cents(rules.allowance_per_person_cents).replace(".", ",")
    form.visits_per_month.data = rules.visits_per_month
    form.banque_alimentaire_percent.data = rules.banque_alimentaire_percent
    form.enforce.data = rules.enforce or "warning"
    return form


def accesses_ending_soon(days: int = ENDING_WITHIN_DAYS) -> list[EpicerieAccess]:
    """Access periods ending within a few weeks that no later period follows: to renew."""
    today = local_day()
    renewal = aliased(EpicerieAccess)
    later = db.select(renewal.id).where(
        renewal.participant_id == Participant.id,
        renewal.ends_on > today + timedelta(days=days),
    ).exists()
    rows = db.session.scalars(
        db.select(EpicerieAccess).join(Participant)
        .where(EpicerieAccess.ends_on >= today, EpicerieAccess.ends_on <= today + timedelta(days=days),
               Participant.anonymised_at.is_(None), active_participants_filter(), ~later)
        .options(selectinload(EpicerieAccess.participant))
        .order_by(EpicerieAccess.ends_on)
    ).all()
    seen, unique = set(), []
    for row in rows:
        if row.participant_id not in seen:
            seen.add(row.participant_id)
            unique.append(row)
    return unique


def settings_context(query: str, rules_form: RulesForm | None = None,
                     category_form: CategoryForm | None = None) -> dict:
    """The template's variables for /epicerie/regles."""
    history = rules_history()
    authors = {u.id: u.name for u in db.session.scalars(
        db.select(User).where(User.id.in_({r.changed_by_id for r in history if r.changed_by_id})))}
    query = query.strip()[:100]
    return {
        "rules": current_rules(),
        "rules_form": rules_form or _rules_form(),
        "history": history,
        "authors": authors,
        "categories": all_categories(),
        "category_form": category_form or CategoryForm(formdata=None),
        "query": query,
        "results": find_households(query, limit=20) if query else [],
        "ending": accesses_ending_soon(),
        "pin_form": _pin_form(),
        "servers": servers_to_pick(),
    }


def _pin_form() -> ServerPinForm:
    form = ServerPinForm(formdata=None)
    servers = servers_to_pick()
    with_pin = users_with_pin(u.id for u in servers)
    form.user_id.choices = [SelectChoice(u.id, u.name + ("" if u.id in with_pin else " " + _("(pas encore de code)")))
                            for u in servers]
    return form
