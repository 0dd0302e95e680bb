"""How the centre's devices find the box: its name on the LAN (mDNS, through avahi), its addresses,
and where it takes its time from (chrony). Read from the box itself, never from a request's Host header."""

import ipaddress
import re
import socket
import struct
from dataclasses import dataclass
from pathlib import Path

from kiosk.platform.interfaces import box_ip_addresses, interface_address

BOX_NAME = "cepourmoi"
AVAHI_CONF = Path("/etc/avahi/avahi-daemon.conf")
ROUTES = Path("/proc/net/route")
# Present while avahi-daemon runs: only then does the LAN resolve the box's .local name.
AVAHI_RUNNING = Path("/run/avahi-daemon/pid")
HOST_NAME = re.compile(r"^\s*host-name\s*=\s*(\S+)", re.MULTILINE)


@dataclass(frozen=True)
class BoxAddress:
    """The box as the LAN sees it: its .local name and its IPv4 addresses (no loopback)."""

    local_name: str
    addresses: list[str]

    def base_urls(self, scheme: str = "https") -> list[str]:
        return [f"{scheme}://{host}" for host in (self.local_name, *self.addresses)]


def lan_addresses(routes: Path = ROUTES) -> list[str]:
    """The box's private IPv4 addresses on its interfaces (nothing is sent on the network), the one
    of the interface that holds the default route first (the LAN's, not a container bridge's)."""
    found = []
    for value in box_ip_addresses():
        address = ipaddress.ip_address(value)
        if not address.is_loopback and (address.is_private or address.is_link_local):
            found.append(value)
    preferred = interface_address(default_interface(routes))
    return sorted(found, key=lambda value: value != preferred)


def default_interface(routes: Path = ROUTES) -> str | None:
    """The interface of the IPv4 default route, from the kernel's routing table."""
    try:
        lines = routes.read_text().splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) > 1 and fields[1] == "00000000":
            return fields[0]
    return None


def announced_local_name(conf: Path = AVAHI_CONF, running: Path = AVAHI_RUNNING) -> str | None:
    """The box's .local name when avahi announces it on the LAN (its daemon runs), else None."""
    if not running.exists():
        return None
    return box_address(conf).local_name


def avahi_host_name(conf: Path = AVAHI_CONF) -> str | None:
    """The name avahi announces, when its configuration sets one."""
    try:
        match = HOST_NAME.search(conf.read_text())
    except OSError:
        return None
    return match.group(1).lower() if match else None


def box_address(conf: Path = AVAHI_CONF) -> BoxAddress:
    """The box's .local name (avahi's, else its hostname's) and its LAN addresses."""
    name = avahi_host_name(conf) or socket.gethostname().split(".")[0].lower() or BOX_NAME
    return BoxAddress(local_name=f"{name}.local", addresses=lan_addresses())


def with_host_name(conf_text: str, name: str = BOX_NAME) -> str:
    """avahi-daemon.conf with [server] host-name set: avahi then answers as NAME.local whatever the
    machine's own hostname."""
    lines = conf_text.splitlines()
    section, done, out = None, False, []
    for line in lines:
        header = re.match(r"^\s*\[(\w[\w-]*)\]", line)
        if header:
            if section == "server" and not done:
                out.append(f"host-name={name}")
                done = True
            section = header.group(1)
        elif section == "server" and re.match(r"^\s*#?\s*host-name\s*=", line):
            if not done:
                out.append(f"host-name={name}")
                done = True
            continue
        out.append(line)
    if not done:
        out += ([] if section == "server" else ["[server]"]) + [f"host-name={name}"]
    return "\n".join(out) + "\n"


def avahi_service() -> str:
    """The avahi service file: the box's web screens announced on the LAN."""
    return """<?xml version="1.0" standalone='no'?>
<!DOCTYPE service-group SYSTEM "avahi-service.dtd">
<!-- CéPourMoi: written by `kiosk box install`. -->
<service-group>
  <name>CéPourMoi</name>
  <service>
    <type>_https._tcp</type>
    <port>443</port>
    <txt-record>path=/</txt-record>
  </service>
  <service>
    <type>_http._tcp</type>
    <port>80</port>
    <txt-record>path=/</txt-record>
  </service>
</service-group>
"""


def default_gateway(routes: Path = ROUTES) -> str | None:
    """The IPv4 default gateway from the kernel's routing table (a router often answers NTP)."""
    try:
        lines = routes.read_text().splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) > 2 and fields[1] == "00000000" and fields[2] != "00000000":
            return socket.inet_ntoa(struct.pack("<L", int(fields[2], 16)))
    return None


def chrony_conf(gateway: str | None = None) -> str:
    """chrony's extra configuration: the LAN's time when a source answers, stepped at any gap."""
    gateway = gateway or default_gateway()
    lines = [
        "# CéPourMoi: written by `kiosk box install`.",
        "# Time sources from DHCP (option 42) come through Debian's /run/chrony-dhcp as always; the",
        "# router is asked too. A box without a battery clock starts on a wrong day: step at any gap.",
        "makestep 1 -1",
    ]
    if gateway:
        lines.append(f"server {gateway} iburst")
    return "\n".join(lines) + "\n"
