"""Read-only queries for the participants screens: the filtered list, referrers, look-alikes, épicerie."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

from flask import abort
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from kiosk.models import (
    EpicerieAccess,
    Participant,
    Referrer,
    active_participants_filter,
)
from kiosk.people.search import name_conditions, search_key
from kiosk.platform.extensions import db
from kiosk.platform.numbers import ascii_int

STATUSES = ("active", "left", "all")
PER_PAGE = 50


@dataclass(frozen=True)
class ListFilter:
    """What the coordinator asked the list for: words of a name, active or left, one referrer."""

    text: str = ""
    status: str = "active"
    referrer_id: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> ListFilter:
        """Read the filter from a query string, ignoring anything malformed."""
        status = args.get("status", "active")
        referrer = args.get("referrer", "")
        page = args.get("page", "1")
        return cls(
            text=(args.get("q") or "").strip()[:100],
            status=status if status in STATUSES else "active",
            referrer_id=ascii_int(referrer, max_digits=9),
            page=ascii_int(page, max_digits=5) or 1,
        )

    def as_args(self, **changes) -> dict:
        """The query-string arguments of this filter (with changes), for links."""
        f = replace(self, **changes)
        args = {"q": f.text, "status": f.status, "referrer": f.referrer_id or "", "page": f.page}
        return {key: value for key, value in args.items() if value not in ("", None) and (key, value) != ("page", 1)}


@dataclass
class Page:
    items: list
    total: int
    page: int
    pages: int


def filtered_query(f: ListFilter):
    """The SELECT of participants matching a filter, in alphabetical order."""
    query = db.select(Participant).where(Participant.anonymised_at.is_(None), *name_conditions(f.text))
    if f.status == "active":
        query = query.where(active_participants_filter())
    elif f.status == "left":
        query = query.where(~active_participants_filter())
    if f.referrer_id is not None:
        query = query.where(Participant.referrer_id == f.referrer_id)
    return query.order_by(Participant.search_name, Participant.id)


def list_participants(f: ListFilter, per_page: int = PER_PAGE) -> Page:
    """One page of the filtered list, with what each row shows already loaded."""
    query = filtered_query(f)
    total = db.session.scalar(db.select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, math.ceil(total / per_page))
    page = min(f.page, pages)
    items = db.session.scalars(
        query.options(
            selectinload(Participant.periods), selectinload(Participant.referrer), selectinload(Participant.cards)
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), total=total, page=page, pages=pages)


def export_participants(f: ListFilter) -> list[Participant]:
    """Every participant matching the filter (no paging), ready for a spreadsheet."""
    query = filtered_query(f).options(selectinload(Participant.periods), selectinload(Participant.referrer))
    return list(db.session.scalars(query).all())


def referrers() -> list[Referrer]:
    """Every referrer, by name (for the filter and the forms' suggestions)."""
    return list(db.session.scalars(db.select(Referrer).order_by(Referrer.name)).all())


def person_key(first_name: str, last_name: str, referrer_name: str | None) -> tuple[str, str, str]:
    """What makes two rows the same person: names and referrer, ignoring case, accents and spacing."""
    return search_key(first_name), search_key(last_name), search_key(referrer_name or "")


def known_person_keys() -> set[tuple[str, str, str]]:
    """The person keys of everyone already recorded (for the import's duplicate check)."""
    rows = db.session.execute(
        db.select(Participant.first_name, Participant.last_name, Referrer.name)
        .outerjoin(Referrer, Participant.referrer_id == Referrer.id)
        .where(Participant.anonymised_at.is_(None))
    )
    return {person_key(first, last, referrer) for first, last, referrer in rows}


def same_person(first_name: str, last_name: str, referrer_name: str | None) -> Participant | None:
    """A participant already recorded with these names and this referrer, if any."""
    key = person_key(first_name, last_name, referrer_name)
    candidates = db.session.scalars(
        db.select(Participant).where(
            Participant.anonymised_at.is_(None),
            Participant.search_name == search_key(f"{last_name} {first_name}"),
        )
    )
    for participant in candidates:
        referrer = participant.referrer.name if participant.referrer else None
        if person_key(participant.first_name, participant.last_name, referrer) == key:
            return participant
    return None


def epicerie_accesses(participant: Participant) -> list[EpicerieAccess]:
    """A household's épicerie access periods, latest first."""
    return list(
        db.session.scalars(
            db.select(EpicerieAccess)
            .where(EpicerieAccess.participant_id == participant.id)
            .order_by(EpicerieAccess.ends_on.desc(), EpicerieAccess.id.desc())
        ).all()
    )


def epicerie_ends(participant_ids: list[int]) -> dict[int, date]:
    """The last day of each participant's latest épicerie access."""
    ends = {}
    for start in range(0, len(participant_ids), 500):
        chunk = participant_ids[start:start + 500]
        rows = db.session.execute(
            db.select(EpicerieAccess.participant_id, func.max(EpicerieAccess.ends_on))
            .where(EpicerieAccess.participant_id.in_(chunk))
            .group_by(EpicerieAccess.participant_id)
        )
        ends.update({pid: ends_on for pid, ends_on in rows})
    return ends


def get_participant(participant_id: int) -> Participant:
    """The participant, or 404 (an anonymised record is gone for these screens)."""
    participant = db.get_or_404(Participant, participant_id)
    if participant.anonymised_at is not None:
        abort(404)
    return participant
