"""The JSON file a person can be given: everything held about them, in plain keys (no card codes).

Self-assessment answers are on the scale of the tablet: 1 "ça va mal" to 4 "ça va bien".
"""

from kiosk.models import AREAS, PostalAddress
from kiosk.outcomes.labels import kind_label
from kiosk.people.phone import display_phone
from kiosk.platform.extensions import db
from kiosk.platform.money import format_cents
from kiosk.privacy.services import ParticipantRecord
from kiosk.settings import get_setting
from kiosk.platform.timezone import to_local, utcnow


def postal_address_of(person) -> str | None:
    """The postal address kept for letters (kiosk/messages), if any."""
    address = db.session.get(PostalAddress, person.id)
    return address.lines if address else None


def _time(moment) -> str | None:
    return to_local(moment).isoformat(timespec="seconds") if moment is not None else None


def _day(day) -> str | None:
    return day.isoformat() if day is not None else None


def _kg(grams: int) -> float:
    return round(grams / 1000, 3)


def personal_data(record: ParticipantRecord) -> dict:
    """The record as JSON-ready data; times in the centre's zone, money as "12.50", weights in kg."""
    person = record.participant
    referrer = person.referrer
    return {
        "generated_at": _time(utcnow()),
        "centre": get_setting("centre_name"),
        "participant": {
            "id": person.id,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "phone": display_phone(person.phone) or None,
            "postal_address": postal_address_of(person),
            "household_size": person.household_size,
            # Optional, each given only if the person agreed to say it (see the privacy notice).
            "birth_year": person.birth_year,
            "sex": person.sex,
            "adults": person.adults,
            "children": person.children,
            "referrer": {"name": referrer.name, "structure": referrer.structure} if referrer else None,
            "created_at": _time(person.created_at),
            "anonymised_at": _time(person.anonymised_at),
        },
        "last_contact": _day(record.last_contact),
        "periods": [
            {"entered_on": _day(p.entered_on), "left_on": _day(p.left_on),
             "exit_reason": str(p.exit_reason) if p.exit_reason else None}
            for p in record.periods
        ],
        "cards": [
            {"id": c.id, "issued_at": _time(c.issued_at), "printed_at": _time(c.printed_at),
             "revoked_at": _time(c.revoked_at), "working": c.is_working}
            for c in record.cards
        ],
        "checkins": [
            {"date": _day(c.workshop_day.day), "checked_in_at": _time(c.checked_in_at), "source": str(c.source),
             "activity": c.workshop_day.activity.name if c.workshop_day.activity else None}
            for c in record.checkins
        ],
        "baskets": [_basket(b) for b in record.baskets],
        "followup_calls": [
            {"called_at": _time(c.called_at), "channel": str(c.channel), "outcome": str(c.outcome), "note": c.note}
            for c in record.followup_calls
        ],
        "epicerie_access": [
            {"starts_on": _day(a.starts_on), "ends_on": _day(a.ends_on),
             "monthly_allowance_eur": format_cents(a.monthly_allowance_cents)
             if a.monthly_allowance_cents is not None else None}
            for a in record.epicerie_access
        ],
        "milestones": [
            {"date": _day(m.happened_on), "kind": m.kind.code, "label": kind_label(m.kind), "result": m.result,
             "recorded_at": _time(m.recorded_at)}
            for m in record.milestones
        ],
        "self_assessments": [
            {"moment": str(a.moment), "date": _day(a.assessed_on),
             "answers": {area: getattr(a, area) for area in AREAS}}
            for a in record.assessments
        ],
        "situations": [
            {"moment": str(s.moment), "date": _day(s.recorded_on),
             "employment": str(s.employment) if s.employment else None, "in_training": s.in_training,
             "resources": str(s.resources) if s.resources else None}
            for s in record.situations
        ],
        # Who looked at or changed this record: a role or a device kind, not the names of staff.
        "audit": [
            {"at": _time(event.at), "action": event.action, "about": event.entity,
             "by": str(user.role) if user else str(device.kind) if device else "system"}
            for event, user, device in record.audit
        ],
    }


def _basket(basket) -> dict:
    return {
        "id": basket.id,
        "served_on": _day(basket.served_on),
        "served_at": _time(basket.served_at),
        "value_eur": format_cents(basket.value_cents),
        "weight_kg": _kg(basket.weight_g),
        "paid_eur": format_cents(basket.paid_cents),
        "cancelled_at": _time(basket.cancelled_at),
        # A coordinator's reason to pass a limit is free text about the household: theirs to read.
        "override_reason": basket.override_reason,
        "lines": [
            {"category": line.category.code, "label": line.category.label, "quantity": line.quantity,
             "weight_kg": _kg(line.weight_g), "value_eur": format_cents(line.value_cents)}
            for line in basket.lines
        ],
    }
