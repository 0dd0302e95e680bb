"""A person's path: demographics, milestones, self-assessments, situations (add and flush, never commit)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from flask_babel import gettext as _

from kiosk.audit import AuditAction, record_audit
from kiosk.models import AREAS, Milestone, MilestoneKind, Moment, Participant, SelfAssessment, Situation
from kiosk.platform.extensions import db

EARLIEST_DAY = date(2000, 1, 1)


class OutcomeError(ValueError):
    """A refusal in plain French, tied to a form field when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check_day(day: date | None, today: date, field: str) -> date:
    if day is None:
        raise OutcomeError(_("Indiquez la date (JJ/MM/AAAA)."), field)
    if day > today or day < EARLIEST_DAY:
        raise OutcomeError(_("La date doit être passée ou d'aujourd'hui."), field)
    return day


def set_demographics(participant: Participant, birth_year, sex, adults, children, today: date) -> None:
    """The optional figures the funders ask for; each may stay empty."""
    if birth_year is not None and not today.year - 100 <= birth_year <= today.year - 15:
        raise OutcomeError(_("Année de naissance entre %(a)d et %(b)d.", a=today.year - 100, b=today.year - 15),
                           "birth_year")
    if adults is not None and not 1 <= adults <= 30:
        raise OutcomeError(_("Entre 1 et 30 adultes."), "adults")
    if children is not None and not 0 <= children <= 30:
        raise OutcomeError(_("Entre 0 et 30 enfants."), "children")
    participant.birth_year, participant.sex = birth_year, sex or None
    participant.adults, participant.children = adults, children
    if adults is not None:
        participant.household_size = adults + (children or 0)
    record_audit(AuditAction.UPDATE, "participant", participant.id, {"fields": ["birth_year", "sex", "adults", "children"]})
    db.session.flush()


def record_milestone(participant: Participant, kind_id: int, happened_on: date | None, result: str | None,
                     today: date, user=None) -> Milestone:
    """A dated step on the person's path."""
    kind = db.session.get(MilestoneKind, kind_id) if kind_id else None
    if kind is None or not kind.active:
        raise OutcomeError(_("Choisissez une étape dans la liste."), "kind")
    milestone = Milestone(participant_id=participant.id, kind=kind, result=(result or "").strip()[:200] or None,
                          happened_on=_check_day(happened_on, today, "happened_on"),
                          recorded_by_id=getattr(user, "id", None))
    db.session.add(milestone)
    db.session.flush()
    record_audit(AuditAction.CREATE, "milestone", milestone.id)
    return milestone


def delete_milestone(participant: Participant, milestone_id: int) -> None:
    """Remove a milestone entered by mistake."""
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.participant_id != participant.id:
        raise OutcomeError(_("Cette étape n'existe plus."))
    db.session.delete(milestone)
    record_audit(AuditAction.DELETE, "milestone", milestone_id)
    db.session.flush()


def _code(label: str) -> str:
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return "custom_" + (re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:30] or "step")


def add_milestone_kind(label: str) -> MilestoneKind:
    """A step of the centre's own, added to the list."""
    label = " ".join((label or "").split())
    if not 2 <= len(label) <= 80:
        raise OutcomeError(_("Le nom de l'étape : de 2 à 80 caractères."), "label")
    if db.session.scalar(db.select(MilestoneKind).where(db.func.lower(MilestoneKind.label) == label.lower())):
        raise OutcomeError(_("Cette étape est déjà dans la liste."), "label")
    code, n = _code(label), 1
    while db.session.scalar(db.select(MilestoneKind.id).where(MilestoneKind.code == code)):
        n += 1
        code = f"{_code(label)[:36]}_{n}"
    position = (db.session.scalar(db.select(db.func.max(MilestoneKind.position))) or 0) + 10
    kind = MilestoneKind(code=code, label=label, position=position)
    db.session.add(kind)
    db.session.flush()
    record_audit(AuditAction.CREATE, "milestone_kind", kind.id)
    return kind


def save_assessment(participant: Participant, moment: Moment, scores: dict[str, int | None], today: date) -> None:
    """The person's own rating of the five areas at this moment (a new rating replaces the old)."""
    if all(scores.get(area) is None for area in AREAS):
        raise OutcomeError(_("Choisissez au moins une réponse."))
    if any(scores.get(area) not in (None, 1, 2, 3, 4) for area in AREAS):
        raise OutcomeError(_("Une réponse n'est pas dans l'échelle."))
    row = db.session.scalar(db.select(SelfAssessment).filter_by(participant_id=participant.id, moment=moment))
    if row is None:
        row = SelfAssessment(participant_id=participant.id, moment=moment)
        db.session.add(row)
    row.assessed_on = today
    for area in AREAS:
        setattr(row, area, scores.get(area))
    db.session.flush()
    record_audit(AuditAction.UPDATE, "self_assessment", row.id, {"moment": str(moment)})


def save_situation(participant: Participant, moment: Moment, recorded_on: date | None, employment, in_training,
                   resources, today: date) -> None:
    """Employment, training and resources at entry or exit (a new record replaces the old)."""
    if moment not in (Moment.ENTRY, Moment.EXIT):
        raise OutcomeError(_("À l'entrée ou à la sortie."), "moment")
    day = _check_day(recorded_on, today, "recorded_on")
    row = db.session.scalar(db.select(Situation).filter_by(participant_id=participant.id, moment=moment))
    if row is None:
        row = Situation(participant_id=participant.id, moment=moment)
        db.session.add(row)
    row.recorded_on, row.employment, row.in_training, row.resources = day, employment, in_training, resources
    db.session.flush()
    record_audit(AuditAction.UPDATE, "situation", row.id, {"moment": str(moment)})
