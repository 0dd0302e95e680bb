"""What the tablet and the coordinator read: a household at a glance, today's baskets, searches."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_date, gettext as _, ngettext
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from kiosk.epicerie.access import TABLET_GRACE_DAYS, access_on, access_rows, no_access_message, open_until
from kiosk.epicerie.rules import current_rules, monthly_allowance_cents
from kiosk.platform.extensions import db
from kiosk.models import Basket, BasketLine, EpicerieAccess, Participant
from kiosk.platform.money import format_cents, format_euros
from kiosk.people.namesakes import namesake, shared_names
from kiosk.people.search import search_participants
from kiosk.platform.timezone import local_day

ENDS_SOON_DAYS = 14


@dataclass
class Notice:
    code: str
    level: str  # "danger" (the basket cannot be recorded), "warning", "info"
    message: str


@dataclass
class HouseholdSummary:
    """A household at a glance, as the volunteer needs it before recording a basket."""

    participant: Participant
    day: date
    access_until: date | None
    household_size: int
    allowance_cents: int
    taken_month_cents: int
    last_visit: date | None
    visits_this_week: int
    visits_per_week: int
    contribution_percent: int
    enforce: str = "warning"
    visits_this_month: int = 0
    visits_per_month: int | None = None
    banque_alimentaire_percent: int | None = None
    notices: list[Notice] = field(default_factory=list)

    @property
    def can_record(self) -> bool:
        return self.access_until is not None

    @property
    def remaining_cents(self) -> int:
        return max(self.allowance_cents - self.taken_month_cents, 0)

    def _day_label(self, day: date | None) -> str | None:
        if day is None:
            return None
        return _("aujourd'hui") if day == self.day else format_date(day, "full")

    def as_json(self) -> dict:
        p = self.participant
        return {
            "id": p.id, "first_name": p.first_name, "last_name": p.last_name,
            "household_size": self.household_size,
            "access": {"open": self.can_record,
                       "until": self.access_until.isoformat() if self.access_until else None,
                       "until_label": format_date(self.access_until, "long") if self.access_until else None},
            "allowance_eur": format_cents(self.allowance_cents),
            "taken_month_eur": format_cents(self.taken_month_cents),
            "remaining_eur": format_cents(self.remaining_cents),
            "last_visit": self.last_visit.isoformat() if self.last_visit else None,
            "last_visit_label": self._day_label(self.last_visit),
            "visits_this_week": self.visits_this_week, "visits_per_week": self.visits_per_week,
            "contribution_percent": self.contribution_percent,
            "banque_alimentaire_percent": self.banque_alimentaire_percent,
            "visits_this_month": self.visits_this_month, "visits_per_month": self.visits_per_month,
            "rules_are_limits": self.enforce == "limit",
            "can_record": self.can_record,
            "warnings": [{"code": n.code, "level": n.level, "message": n.message} for n in self.notices],
        }


def _served(participant_id: int):
    return db.select(Basket).where(Basket.participant_id == participant_id, Basket.cancelled_at.is_(None))


def household_summary(participant: Participant, day: date | None = None) -> HouseholdSummary:
    """Access, allowance used this month, last visit and the warnings for one household."""
    day = day or local_day()
    rules = current_rules()
    rows = access_rows(participant.id)
    access = access_on(rows, day)
    month_start = day.replace(day=1)
    week_start = day - timedelta(days=day.weekday())
    taken = db.session.scalar(
        db.select(func.coalesce(func.sum(Basket.value_cents), 0)).where(
            Basket.participant_id == participant.id, Basket.cancelled_at.is_(None),
            Basket.served_on >= month_start, Basket.served_on <= day)
    )
    week = db.session.scalar(
        db.select(func.count(Basket.id)).where(
            Basket.participant_id == participant.id, Basket.cancelled_at.is_(None),
            Basket.served_on >= week_start, Basket.served_on <= day)
    )
    month_visits = db.session.scalar(
        db.select(func.count(Basket.id)).where(
            Basket.participant_id == participant.id, Basket.cancelled_at.is_(None),
            Basket.served_on >= month_start, Basket.served_on <= day)
    )
    last_visit = db.session.scalar(
        db.select(func.max(Basket.served_on)).where(
            Basket.participant_id == participant.id, Basket.cancelled_at.is_(None))
    )
    summary = HouseholdSummary(
        participant=participant, day=day, access_until=open_until(rows, day),
        household_size=participant.household_size,
        allowance_cents=monthly_allowance_cents(participant, access, rules),
        taken_month_cents=taken, last_visit=last_visit, visits_this_week=week,
        visits_per_week=rules.visits_per_week, contribution_percent=rules.contribution_percent,
        enforce=rules.enforce or "warning", visits_this_month=month_visits, visits_per_month=rules.visits_per_month,
        banque_alimentaire_percent=rules.banque_alimentaire_percent,
    )
    summary.notices = _notices(summary, rows)
    return summary


def _notices(summary: HouseholdSummary, rows: list[EpicerieAccess]) -> list[Notice]:
    notices = []
    day = summary.day
    if summary.access_until is None:
        ended = max((row.ends_on for row in rows if row.ends_on < day), default=None)
        detail = _("L'accès a pris fin le %(day)s.", day=format_date(ended, "long")) if ended else \
            _("Ce foyer n'a pas d'accès à l'épicerie.")
        notices.append(Notice("no_access", "danger", f"{detail} {no_access_message()}"))
    elif (summary.access_until - day).days <= ENDS_SOON_DAYS:
        notices.append(Notice("access_ends_soon", "info", _(
            "L'accès se termine le %(day)s : pensez à le faire renouveler.",
            day=format_date(summary.access_until, "long"))))
    # A limit refuses the basket (unless the coordination passes it): said as such, in red.
    level, then = ("danger", " " + _("C'est une limite : seule la coordination peut la passer.")) \
        if summary.enforce == "limit" else ("warning", "")
    if summary.taken_month_cents >= summary.allowance_cents:
        notices.append(Notice("allowance_reached", level, _(
            "Plafond du mois atteint : %(taken)s pris sur %(allowance)s.",
            taken=format_euros(summary.taken_month_cents), allowance=format_euros(summary.allowance_cents)) + then))
    if summary.visits_this_week >= summary.visits_per_week:
        notices.append(Notice("served_this_week", level, ngettext(
            "Déjà servi cette semaine (%(num)s passage permis par semaine).",
            "Déjà servi cette semaine (%(num)s passages permis par semaine).", summary.visits_per_week) + then))
    if summary.visits_per_month is not None and summary.visits_this_month >= summary.visits_per_month:
        notices.append(Notice("served_this_month", level, ngettext(
            "Déjà servi ce mois-ci (%(num)s passage permis par mois).",
            "Déjà servi ce mois-ci (%(num)s passages permis par mois).", summary.visits_per_month) + then))
    return notices


def find_households(text: str, limit: int = 12, open_only: bool = False) -> list[dict]:
    """Households whose name matches what was typed, with whether their access is open today
    (with `open_only`, what a tablet may see: access open, or ended within TABLET_GRACE_DAYS)."""
    participants = search_participants(text, limit=limit * 5 if open_only else limit,
                                       active_only=False) if text.strip() else []
    day = local_day()
    rows = db.session.execute(
        db.select(EpicerieAccess.participant_id, EpicerieAccess.ends_on).where(
            EpicerieAccess.participant_id.in_([p.id for p in participants]),
            EpicerieAccess.starts_on <= day, EpicerieAccess.ends_on >= day - timedelta(days=TABLET_GRACE_DAYS))
    ).all() if participants else []
    open_ids = {pid for pid, ends_on in rows if ends_on >= day}
    visible = {pid for pid, _ends_on in rows}
    shown = [p for p in participants if p.id in visible or not open_only][:limit]
    shared = shared_names(shown)
    return [
        {"id": p.id, "first_name": p.first_name, "last_name": p.last_name,
         "household_size": p.household_size, "access_open": p.id in open_ids,
         "tell_apart": tell_apart(namesake(p)) if p.id in shared else None}
        for p in shown
    ]


def tell_apart(n) -> str:
    """What tells a person from another of the same name, in a line: referrer, household, card."""
    parts = [n.referrer or _("sans orienteur"),
             ngettext("%(num)d personne au foyer", "%(num)d personnes au foyer", n.household_size)]
    if n.card_tail:
        parts.append(_("carte …%(tail)s", tail=n.card_tail))
    return " · ".join(parts)


def todays_baskets(day: date | None = None) -> list[Basket]:
    """Today's baskets, latest first, with what the list shows loaded in one go."""
    return db.session.scalars(
        db.select(Basket).where(Basket.served_on == (day or local_day()))
        .options(selectinload(Basket.lines).selectinload(BasketLine.category),
                 selectinload(Basket.participant), selectinload(Basket.served_by))
        .order_by(Basket.served_at.desc(), Basket.id.desc())
    ).all()


def household_baskets(participant_id: int, limit: int = 20) -> list[Basket]:
    """A household's latest baskets (the coordinator's page)."""
    return db.session.scalars(
        _served(participant_id).order_by(Basket.served_on.desc(), Basket.id.desc()).limit(limit)
    ).all()
