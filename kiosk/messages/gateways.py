"""What every gateway does for the sender, and which one the centre set.

A gateway sends one SMS under our own id (the outbox row's idempotency key), and tells whether it
knows a message of that id: this is how a message left "sending" by a killed sender is checked
instead of sent again.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

from flask import current_app

from kiosk.messages.gateway_errors import UNKNOWN, Accepted, GatewayError, GatewayRefused, NotConfigured
from kiosk.settings import get_setting
from kiosk.sites.scope import site_ids

__all__ = ["UNKNOWN", "Accepted", "GatewayError", "GatewayRefused", "NotConfigured", "current_gateway"]


def gateway_url() -> str:
    """The current site's gateway: on a box alone, KIOSK_SMS_URL wins over the settings page; on a
    server with several centres, each centre's own address wins, KIOSK_SMS_URL being only the default
    of the centres that set none (each has its own phone). "" when there is none."""
    from_environment = (current_app.config.get("SMS_URL") or "").strip()
    own = (get_setting("sms_url") or "").strip()
    if not (from_environment and own):
        return from_environment or own
    return from_environment if len(site_ids()) == 1 else own


def describe_url(url: str) -> str:
    """The gateway's address without its password, for the status page and logs."""
    parts = urlsplit(url)
    if parts.scheme == "gammu":
        return f"gammu-smsd ({parts.path})"
    host = parts.hostname or "?"
    return f"{parts.scheme}://{host}:{parts.port}" if parts.port else f"{parts.scheme}://{host}"


def without_password(url: str) -> str:
    """The address as the settings page shows it: the user kept, the password left out (even when the
    rest of the address is malformed: a refused form must not echo it)."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    return parts._replace(netloc=userinfo.split(":", 1)[0] + "@" + hostport).geturl()


def with_password(url: str, password: str) -> str:
    """The address with this password put in (quoted as a URL needs it)."""
    parts = urlsplit(url)
    user = quote(unquote(parts.username or ""), safe="")
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{user}:{quote(password, safe='')}@" + host + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


def check_url(url: str) -> str:
    """A gateway address as typed, checked; ValueError with a French message otherwise."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme == "gammu":
        if not parts.path.startswith("/"):
            raise ValueError("Pour gammu-smsd : gammu:///chemin/du/dossier (par exemple gammu:///var/spool/gammu).")
        return url
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("Adresse attendue : http://UTILISATEUR:MOT_DE_PASSE@ADRESSE:PORT du téléphone.")
    try:
        parts.port
    except ValueError as exc:
        raise ValueError("Le port de l'adresse n'est pas un nombre valable.") from exc
    return url


def current_gateway():
    """The gateway the centre set, or NotConfigured."""
    url = gateway_url()
    if not url:
        raise NotConfigured("Aucune passerelle SMS n'est réglée.")
    try:
        url = check_url(url)
    except ValueError as exc:
        raise NotConfigured(str(exc)) from exc
    if url.startswith("gammu:"):
        from kiosk.messages.gammu import GammuSpool

        return GammuSpool(urlsplit(url).path)
    from kiosk.messages.sms_gateway import AndroidGateway

    return AndroidGateway(url, float(current_app.config["SMS_TIMEOUT_SECONDS"]))
