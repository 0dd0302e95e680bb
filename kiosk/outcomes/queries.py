"""What a person's path page reads."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.models import Milestone, MilestoneKind, Moment, Participant, SelfAssessment, Situation
from kiosk.platform.extensions import db


@dataclass
class Path:
    participant: Participant
    milestones: list[Milestone]
    assessments: dict[Moment, SelfAssessment]
    situations: dict[Moment, Situation]


def person_path(participant: Participant) -> Path:
    """The milestones (latest first), the self-assessments and situations by moment."""
    milestones = db.session.scalars(
        db.select(Milestone).where(Milestone.participant_id == participant.id)
        .order_by(Milestone.happened_on.desc(), Milestone.id.desc())
    ).all()
    assessments = {a.moment: a for a in db.session.scalars(
        db.select(SelfAssessment).where(SelfAssessment.participant_id == participant.id))}
    situations = {s.moment: s for s in db.session.scalars(
        db.select(Situation).where(Situation.participant_id == participant.id))}
    return Path(participant, list(milestones), assessments, situations)


def milestone_kinds(active_only: bool = True) -> list[MilestoneKind]:
    query = db.select(MilestoneKind).order_by(MilestoneKind.position, MilestoneKind.id)
    if active_only:
        query = query.where(MilestoneKind.active.is_(True))
    return list(db.session.scalars(query))
