"""How devices find the box: avahi's name, the box's LAN addresses, and chrony's LAN time source."""

import configparser
import ipaddress

from kiosk.box.network import box_address, chrony_conf, default_gateway, lan_addresses, with_host_name

ROUTES = ("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
          "eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
          "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n")


def test_avahi_answers_as_cepourmoi_local(tmp_path):
    """Whatever avahi's configuration held (a commented name, another name, no [server]), does it end
    with one host-name=cepourmoi in [server], the rest kept, and does the box then call itself so?"""
    for before in ("[server]\n#host-name=foo\nuse-ipv4=yes\n[publish]\npublish-hinfo=no\n",
                   "[server]\nhost-name=salle\n", "[publish]\npublish-hinfo=no\n"):
        after = with_host_name(before)
        parsed = configparser.ConfigParser(strict=True)  # strict: a second host-name would be refused
        parsed.read_string(after)
        assert parsed["server"]["host-name"] == "cepourmoi"
        assert ("publish-hinfo=no" in after) == ("publish-hinfo=no" in before)
        conf = tmp_path / "avahi-daemon.conf"
        conf.write_text(after)
        assert box_address(conf).local_name == "cepourmoi.local"


def test_box_address_lists_lan_addresses_only(tmp_path):
    """Are the box's addresses its own private ones, never loopback, and are its links built on them?"""
    addresses = lan_addresses()
    assert all(ipaddress.ip_address(a).is_private and not ipaddress.ip_address(a).is_loopback for a in addresses)
    found = box_address(tmp_path / "no-avahi.conf")
    assert found.local_name.endswith(".local") and found.addresses == addresses
    assert found.base_urls()[0] == f"https://{found.local_name}"


def test_chrony_asks_the_router(tmp_path):
    """Is the default gateway read from the routing table and asked for the time, the clock stepped at any gap?"""
    routes = tmp_path / "route"
    routes.write_text(ROUTES)
    assert default_gateway(routes) == "192.168.1.1"
    conf = chrony_conf("192.168.1.1").splitlines()
    assert "server 192.168.1.1 iburst" in conf and "makestep 1 -1" in conf
