"""The box's own network interfaces and their IPv4 addresses, read from the kernel (nothing is sent
on the network). Shared by the certificate (kiosk.platform.tls) and the LAN links (kiosk.box.network),
and light: a serving worker reads addresses without loading the certificate machinery."""

import fcntl
import socket
import struct

SIOCGIFADDR = 0x8915


def interface_address(name: str | None) -> str | None:
    """The IPv4 address of a network interface (Linux SIOCGIFADDR), or None."""
    if not name:
        return None
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            packed = fcntl.ioctl(sock.fileno(), SIOCGIFADDR, struct.pack("256s", name.encode()[:15]))
        except OSError:  # an interface without an IPv4 address
            return None
    return socket.inet_ntoa(packed[20:24])


def box_ip_addresses() -> list[str]:
    """The box's own IPv4 addresses, loopback first."""
    try:
        interfaces = socket.if_nameindex()
    except OSError:
        interfaces = []
    found = ["127.0.0.1"] + [interface_address(name) for _index, name in interfaces]
    return list(dict.fromkeys(address for address in found if address))
