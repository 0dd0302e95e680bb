"""Issue 14, point 4: a way in for the first device. The enrolment link is built from the box's LAN
address (and its .local name when avahi announces it), never from the request's Host header; its QR
code decodes to the same link; `kiosk serve` prints links for the first kiosk and tablet."""

import re
import shutil
import subprocess

import pytest
from PIL import Image, ImageDraw

from kiosk.models import Device, DeviceKind, Role
from kiosk.platform.extensions import db

LAN = "192.168.1.20"


@pytest.fixture
def on_lan(monkeypatch):
    """The box on a LAN at 192.168.1.20, announced by avahi as cepourmoi.local."""
    monkeypatch.setattr("kiosk.devices.links.lan_addresses", lambda: [LAN])
    monkeypatch.setattr("kiosk.devices.links.announced_local_name", lambda: "cepourmoi.local")


def new_device_page(client, host: str, name: str = "Tablette 2") -> str:
    """The page after creating a device, the request's Host header set to `host` (the session's
    cookie sent there too)."""
    domain = host.split(":")[0]
    for cookie in list(client._cookies.values()):
        client.set_cookie(cookie.key, cookie.value, domain=domain)
    page = client.post("/comptes/appareils", data={"device-name": name, "device-kind": "tablet"},
                       headers={"Host": host})
    assert page.status_code == 200
    return page.get_data(as_text=True)


def enrol_link(html: str) -> str:
    return re.search(r'<code class="enrol-link">([^<]+)</code>', html).group(1)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:5000", "evil.example", "evil.example:8443"])
def test_link_uses_the_lan_address_whatever_the_host_header(client, auth, on_lan, host):
    """On the box itself (localhost) or with a forged Host, is the link still the box's LAN address?"""
    auth.login(Role.COORDINATOR)
    html = new_device_page(client, host)
    link = enrol_link(html)
    assert re.fullmatch(rf"https://{re.escape(LAN)}/enrol/[\w-]+", link)
    assert "evil.example" not in html and "localhost" not in html
    assert f"https://cepourmoi.local{link.removeprefix('https://' + LAN)}" in html


def test_link_has_the_port_and_scheme_served(app, client, auth, on_lan):
    """`kiosk serve --port 5000` without HTTPS (make run): is the link http://LAN:5000/enrol/...?"""
    app.config.update(BOX_SCHEME="http", BOX_PORT=5000)
    auth.login(Role.COORDINATOR)
    assert enrol_link(new_device_page(client, "localhost")).startswith(f"http://{LAN}:5000/enrol/")


def test_no_lan_address_says_so(client, auth, monkeypatch):
    """A box on no network: a plain message and the path, no QR code of a useless link."""
    monkeypatch.setattr("kiosk.devices.links.lan_addresses", lambda: [])
    monkeypatch.setattr("kiosk.devices.links.announced_local_name", lambda: None)
    auth.login(Role.COORDINATOR)
    html = new_device_page(client, "localhost")
    assert "pas d'adresse sur un réseau local" in html
    assert re.search(r'<code class="enrol-path">/enrol/[\w-]+</code>', html)
    assert "<svg" not in html


def svg_to_png(svg: str, path, scale: int = 8) -> None:
    """Draw the QR code's SVG (one path of unit runs, kiosk.cards.qr) as a PNG."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
        x, y, width = int(x), int(y), int(width)
        draw.rectangle([x * scale, y * scale, (x + width) * scale - 1, (y + 1) * scale - 1], fill=0)
    image.save(path)


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbarimg (zbar-tools) is not installed")
def test_qr_code_decodes_to_the_link(client, auth, on_lan, tmp_path):
    """Does the page's QR code, read by a real decoder, give exactly the link shown?"""
    auth.login(Role.COORDINATOR)
    html = new_device_page(client, "localhost")
    svg = re.search(r'<figure class="enrol-qr">\s*(<svg.*?</svg>)', html, re.S).group(1)
    svg_to_png(svg, tmp_path / "qr.png")
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "qr.png")],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert decoded == enrol_link(html)


def test_the_link_enrols_the_device(app, client, auth, on_lan):
    """Does the path of the shown link enrol the device (once)?"""
    auth.login(Role.COORDINATOR)
    path = enrol_link(new_device_page(client, "localhost")).removeprefix(f"https://{LAN}")
    tablet = app.test_client()
    assert tablet.get(path).headers["Location"] == "/tablet"
    assert tablet.get(path).status_code == 404


def test_serve_banner_prints_first_devices_links(app, on_lan, capsys):
    """`make run`'s banner on the demo's database: an enrolment link for the first kiosk and tablet, on
    the LAN address; a restart gives fresh links (the old ones stop); once a device is in service, no
    more."""
    from kiosk.models import ServerSetting
    from kiosk.serve import print_banner

    print_banner(app, "0.0.0.0", 5000, https=False)
    assert "/enrol/" not in capsys.readouterr().out  # a centre's own database: no device made behind its back
    db.session.add(ServerSetting(key="demo_loaded", value="1"))  # the demo's, as make run loads it
    db.session.commit()
    print_banner(app, "0.0.0.0", 5000, https=False)
    out = capsys.readouterr().out
    links = re.findall(rf"(http://{re.escape(LAN)}:5000(/enrol/[\w-]+))", out)
    assert len(links) == 2, out
    assert f"http://{LAN}:5000/comptes/" in out
    with app.app_context():
        kinds = {d.name: d.kind for d in db.session.scalars(db.select(Device))}
    assert set(kinds.values()) == {DeviceKind.KIOSK, DeviceKind.TABLET}

    print_banner(app, "0.0.0.0", 5000, https=False)
    again = re.findall(rf"http://{re.escape(LAN)}:5000(/enrol/[\w-]+)", capsys.readouterr().out)
    assert len(again) == 2 and set(again).isdisjoint(path for _link, path in links)
    kiosk = app.test_client()
    assert kiosk.get(links[0][1]).status_code == 404  # the first run's link was replaced
    assert kiosk.get(again[0]).headers["Location"] == "/kiosk"

    print_banner(app, "0.0.0.0", 5000, https=False)
    assert "/enrol/" not in capsys.readouterr().out


def test_links_follow_the_address_served(app, on_lan):
    """Served on every address: the LAN's then the .local name; on one address only: that one."""
    from kiosk.devices.links import box_links

    assert box_links("http", 5000, "0.0.0.0").urls == [f"http://{LAN}:5000", "http://cepourmoi.local:5000"]
    assert box_links("https", 443, "").urls == [f"https://{LAN}", "https://cepourmoi.local"]
    assert box_links("http", 5000, "127.0.0.1").urls == ["http://127.0.0.1:5000"]
    assert box_links("http", 80, "fd00::2").urls == ["http://[fd00::2]"]
