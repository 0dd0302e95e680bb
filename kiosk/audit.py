"""Recording the audit trail: who did what to which record. Never personal values.

Each event names the site it concerns (`audit_site`): the site the request or command writes to (a
user's or a device's own, a command's --site), the one site a network user asked for (?site=ID);
otherwise, on a server with several centres, none (NULL): a network-level entry, which the network
user's journal shows and no centre's coordinator sees. A box alone records everything in its one site.
"""

from enum import StrEnum

from flask import has_request_context
from flask_login import current_user

from kiosk.platform.extensions import db
from kiosk.models import FIRST_SITE_ID, AuditEvent
from kiosk.sites.scope import HOME, current_sites, site_ids
from kiosk.platform.unit_of_work import write_lock


class AuditAction(StrEnum):
    """What an audit event says was done (stored as its value; its words are in kiosk/privacy/labels.py)."""

    VIEW = "view"
    EXPORT = "export"
    ANONYMISE = "anonymise"
    CREATE = "create"
    UPDATE = "update"
    CANCEL = "cancel"
    DELETE = "delete"
    EXIT = "exit"
    RETURN = "return"
    EPICERIE_ACCESS = "epicerie_access"
    CARD_REPLACE = "card_replace"
    CARD_PRINT = "card_print"
    IMPORT = "import"
    DISABLE = "disable"
    PASSWORD = "password"
    CHECKIN_HOST = "checkin.host"
    REVOKE = "revoke"
    BOX_CLOCK_SET = "box.clock_set"
    PLAN = "plan"
    REGISTER = "register"
    UNREGISTER = "unregister"
    MOVE_UP = "move_up"
    CHECKIN_REMOVE = "checkin.remove"
    SEARCH = "search"
    TEST_SMS = "test_sms"
    CONSENT = "consent"
    LADDER_STEP = "ladder_step"
    STOCK_ARRIVAL = "stock.arrival"
    STOCK_LOSS = "stock.loss"
    STOCK_WORKSHOP_USE = "stock.workshop_use"
    EPICERIE_OVERRIDE = "epicerie.override"
    PIN_SET = "pin.set"
    PIN_LOCKED = "pin.locked"


def record_audit(action: AuditAction, entity: str, entity_id: int | None, details: dict | None = None,
                 user=None, device=None) -> AuditEvent:
    """Add an audit event for the current user or device (or those given); flushes, never commits.

    `details` holds field names and, for amounts and quantities only, the values before a change.
    """
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    if device is None and has_request_context():
        from kiosk.auth.access import current_device

        device = current_device()
    event = AuditEvent(
        site_id=audit_site(),
        action=AuditAction(action).value,
        entity=entity,
        entity_id=entity_id,
        details=details,
        user_id=getattr(user, "id", None),
        device_id=getattr(device, "id", None),
    )
    db.session.add(event)
    return event


def audit_site() -> int | None:
    """The site an event made now belongs to (see the module's docstring)."""
    sites, home = current_sites(), db.session.info.get(HOME)
    if home is not None:
        return home
    if sites is not None and len(sites) == 1:
        return sites[0]
    return FIRST_SITE_ID if sites is None and site_ids() == [FIRST_SITE_ID] else None


def record_reading(action: AuditAction, entity: str, entity_id: int | None, details: dict | None = None) -> AuditEvent:
    """Audit a GET that only reads (a record viewed, a list exported): the rare GET that writes."""
    write_lock()
    return record_audit(action, entity, entity_id, details)
