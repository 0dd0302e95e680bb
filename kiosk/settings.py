"""A centre's settings its coordinator can change, with their defaults; and the server's own values.

Each site of a network has its own settings (the `setting` table, keyed by site and key): its name,
address and privacy contact, its workshop's weekday and hours, its SMS gateway, signature and webhook
token (each centre has its own phone, which posts the replies it receives to its own secret URL: the
token says which centre a STOP is for), its ladder, its retention, its stock's start. `get_setting` and
`set_setting` read and write the site the session is scoped to (`settings_site`): the one site read,
else the site new rows go to, else, with nothing said (a command or a test on a box alone), the
first site. A request that reads no site (a page reached without a login or a device on a server
with several centres) reads only the defaults, and cannot write.

What belongs to the server and no site is kept apart, in `server_setting` (`get_server_value`,
`set_server_value`): the retention run's lock row (one run serves every site, kiosk/privacy/scheduler.py)
and the demo's mark (kiosk/demo.py). KIOSK_SMS_URL, from the environment, is the gateway of a box alone,
and only the default of the sites that set none on a server with several (kiosk/messages/gateways.py).
"""

from kiosk.models import FIRST_SITE_ID, ServerSetting, Setting
from kiosk.platform.extensions import db
from kiosk.sites.scope import HOME, current_sites

DEMO_MARK = "demo_loaded"  # a server value: the demo was loaded here (kiosk/demo.py)

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


def settings_site() -> int | None:
    """The site whose settings are read and written now (see the module's docstring); None: no site."""
    sites, home = current_sites(), db.session.info.get(HOME)
    if home is not None:
        return home
    if sites is None:
        return FIRST_SITE_ID
    return sites[0] if sites else None


def get_setting(key: str, site_id: int | None = None) -> str:
    """A setting's value for the current site (or the one given), or its default."""
    site_id = site_id or settings_site()
    row = db.session.get(Setting, (site_id, key)) if site_id is not None else None
    return row.value if row is not None else DEFAULTS[key]


def get_int_setting(key: str, site_id: int | None = None) -> int:
    try:
        return int(get_setting(key, site_id))
    except ValueError:
        return int(DEFAULTS[key])


def set_setting(key: str, value: str, site_id: int | None = None) -> None:
    """Change the current site's setting (or the given site's); flushes, never commits."""
    if key not in DEFAULTS:
        raise KeyError(key)
    site_id = site_id or settings_site()
    if site_id is None:
        raise LookupError(f"no site to keep the setting {key} for")
    row = db.session.get(Setting, (site_id, key))
    if row is None:
        db.session.add(Setting(site_id=site_id, key=key, value=value))
    else:
        row.value = value
    db.session.flush()


def get_server_value(key: str, for_update: bool = False) -> str | None:
    """A value of the server itself (not a site's), or None; `for_update` locks its row (PostgreSQL)."""
    row = db.session.get(ServerSetting, key, with_for_update=for_update or None)
    return row.value if row is not None else None


def set_server_value(key: str, value: str) -> None:
    """Keep a value of the server itself (flushes, never commits)."""
    row = db.session.get(ServerSetting, key, with_for_update=True)
    if row is None:
        db.session.add(ServerSetting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()
