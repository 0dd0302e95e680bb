"""What the coordinator changes on the messages page: the gateway and the ladder's rules; the test SMS."""

from __future__ import annotations

import hmac
import secrets

from kiosk.audit import AuditAction, record_audit
from urllib.parse import unquote, urlsplit

from kiosk.messages.gateways import check_url, with_password
from kiosk.messages.outbox import enqueue
from kiosk.messages.texts import test_text
from kiosk.models import Channel, OutboxMessage, Step
from kiosk.people.phone import is_mobile, normalise_phone
from kiosk.models import Setting
from kiosk.platform.extensions import db
from kiosk.settings import get_setting, set_setting
from kiosk.sites.scope import every_site

RULES = ("ladder_sms_after", "followup_absent_days", "ladder_referent_after", "ladder_letter_after",
         "ladder_handback_after")


def gateway_address(typed: str, password: str, current: str) -> str:
    """The address to keep: as typed; with the password typed in its own field; or, both left without
    one, with the password already kept (the page never shows it back, so blank means "keep it")."""
    typed = typed.strip()
    if not typed:
        return ""
    parts = urlsplit(typed)
    if parts.scheme in ("http", "https") and parts.password is None:
        if password:
            typed = with_password(typed, password)
        else:
            kept = urlsplit(current).password if current else None
            if kept is not None:
                typed = with_password(typed, unquote(kept))
    return check_url(typed)


def save_messages_settings(sms_url: str, signature: str, reminders: bool, rungs: dict[str, int],
                           sms_password: str = "") -> None:
    """Keep the gateway (checked; a blank password keeps the one kept), the SMS signature, the
    reminders switch and the ladder's rungs."""
    sms_url = gateway_address(sms_url, sms_password, get_setting("sms_url"))
    set_setting("sms_url", sms_url)
    set_setting("sms_signature", " ".join(signature.split()))
    set_setting("sms_reminders", "1" if reminders else "0")
    for key in RULES:
        set_setting(key, str(int(rungs[key])))
    webhook_token()
    record_audit(AuditAction.UPDATE, "messages_settings", None, {"fields": ["sms_url", "sms_signature", *RULES]})


def queue_test_sms(phone_text: str, user) -> OutboxMessage:
    """Put a test SMS to the coordinator's own number in the outbox (ValueError for a bad number)."""
    number = normalise_phone(phone_text)
    if not is_mobile(number):
        raise ValueError("Ce numéro n'est pas un portable (06 ou 07) : il ne reçoit pas de SMS.")
    message = enqueue(None, Step.TEST, Channel.SMS, f"test:{secrets.token_hex(6)}", test_text(), recipient=number)
    record_audit(AuditAction.TEST_SMS, "outbox_message", message.id, user=user)
    return message


def webhook_token() -> str:
    """The secret path the phone posts incoming SMS to (made the first time it is asked for)."""
    token = get_setting("sms_webhook_token")
    if not token:
        token = secrets.token_urlsafe(18)
        set_setting("sms_webhook_token", token)
    return token


def site_of_webhook(token: str) -> int | None:
    """The site whose phone posts to this secret address (each centre has its own), or None."""
    if not token or len(token) > 64:
        return None
    with every_site():
        tokens = db.session.execute(db.select(Setting.site_id, Setting.value)
                                    .where(Setting.key == "sms_webhook_token")).all()
    found = None
    for site_id, value in tokens:  # every one compared, in constant time
        if value and hmac.compare_digest(token.encode(), value.encode()):
            found = site_id
    return found
