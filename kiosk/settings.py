"""Centre-wide settings the coordinator can change, with their defaults."""

from kiosk.platform.extensions import db
from kiosk.models import Setting

DEFAULTS = {
    "centre_name": "Centre social",
    "centre_address": "",  # street, postcode and town, on the report, the notice and letters
    "privacy_contact": "",  # who to ask about personal data (the DPO or the person in charge)
    "followup_absent_days": "3",  # workshop days without coming before a call back
    "retention_years": "2",  # years without contact before anonymisation
    "workshop_weekday": "3",  # the weekly workshop: 0 Monday ... 6 Sunday, "" none (kiosk/programme/)
    "workshop_starts": "14:00",
    "workshop_ends": "17:00",
    # Messages (kiosk/messages/): the gateway (http://USER:PASS@HOST:PORT for the Android phone,
    # gammu:///var/spool/gammu for a modem; KIOSK_SMS_URL wins), the words that sign each SMS (neutral:
    # a phone seen by someone else must not reveal the programme), and the ladder's rungs in workshops
    # missed in a row (the call step is followup_absent_days).
    "sms_url": "",
    "sms_signature": "L'équipe de l'atelier",
    "sms_reminders": "1",
    "ladder_sms_after": "2",
    "ladder_referent_after": "5",
    "ladder_letter_after": "6",
    "ladder_handback_after": "8",
    "sms_webhook_token": "",
    # The épicerie's stock counts from this day (ISO date; "" : from the first record). Stamped by the
    # migration that brought the stock to a box that already had baskets, by init-db on a new box,
    # and by the coordinator's opening count (kiosk/stock/start.py).
    "stock_start": "",
}


def get_setting(key: str) -> str:
    """A setting's value, or its default."""
    row = db.session.get(Setting, key)
    return row.value if row is not None else DEFAULTS[key]


def get_int_setting(key: str) -> int:
    try:
        return int(get_setting(key))
    except ValueError:
        return int(DEFAULTS[key])


def set_setting(key: str, value: str) -> None:
    """Change a setting (flushes, never commits)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()
