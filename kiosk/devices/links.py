"""Where a device reaches the box: the enrolment link built from the box's own LAN address and
.local name, never from the request's Host header (`localhost` on the box itself is useless to a
tablet, and a forged Host would send the one-time link elsewhere)."""

import ipaddress
from dataclasses import dataclass

from flask import current_app

from kiosk.box.network import announced_local_name, lan_addresses

DEFAULT_PORTS = {"http": 80, "https": 443}
WILDCARDS = ("", "0.0.0.0", "::")


@dataclass(frozen=True)
class BoxLinks:
    """The box's addresses as the LAN sees them: the first is the one to scan."""

    urls: list[str]  # base URLs, the LAN address first, then the .local name when avahi announces it

    def enrolment(self, path: str) -> list[str]:
        return [url + path for url in self.urls]


def _host_part(host: str) -> str:
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


def box_links(scheme: str | None = None, port: int | None = None, bind_host: str | None = None) -> BoxLinks:
    """The box's base URLs for the devices: scheme and port as served (`kiosk serve` sets them:
    BOX_SCHEME, BOX_PORT, BOX_BIND_HOST; the installed box is HTTPS on 443 behind nginx)."""
    config = current_app.config
    scheme = scheme or config["BOX_SCHEME"]
    port = int(port or config["BOX_PORT"])
    bind_host = config.get("BOX_BIND_HOST", "") if bind_host is None else bind_host
    if bind_host not in WILDCARDS:
        hosts = [bind_host]  # served on that address only: the others would not answer
    else:
        hosts = lan_addresses()
        name = announced_local_name()
        if name:
            hosts.append(name)
    suffix = "" if DEFAULT_PORTS.get(scheme) == port else f":{port}"
    return BoxLinks([f"{scheme}://{_host_part(host)}{suffix}" for host in hosts])
