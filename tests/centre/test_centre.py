"""The centre's identity: the settings page, the logo's checks, and where the name appears."""

from io import BytesIO

import pytest
from PIL import Image

from kiosk.models import CentreLogo, Role
from kiosk.platform.extensions import db
from kiosk.settings import get_setting


def _image(fmt="PNG", size=(200, 80)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, "#2f6f4f").save(out, format=fmt)
    return out.getvalue()


def test_identity_is_saved_and_used_on_the_notice(client, auth):
    """Are the name, address and contact stored, and shown on the public privacy notice?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/centre", data={"name": "Maison des Lilas", "address": "12 rue des Lilas\n35000 Rennes",
                                            "privacy_contact": "dpo@lilas.example"})
    assert response.status_code == 303
    assert (get_setting("centre_name"), get_setting("centre_address")) == ("Maison des Lilas", "12 rue des Lilas\n35000 Rennes")
    auth.logout()
    html = client.get("/confidentialite").get_data(as_text=True)
    assert "Maison des Lilas" in html and "12 rue des Lilas, 35000 Rennes" in html and "dpo@lilas.example" in html
    assert "année de naissance" in html and "tranche d'âge" in html


def test_a_nameless_centre_is_refused(client, auth):
    """Is an empty name refused with a French message and nothing changed?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/centre", data={"name": "  ", "address": ""})
    assert response.status_code == 422 and "Indiquez le nom du centre." in response.get_data(as_text=True)
    assert get_setting("centre_name") == "Centre social"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_logo_is_redrawn_as_a_small_png(client, auth, fmt):
    """Is a PNG or JPEG logo kept as a fresh PNG of at most 600 px, served publicly?"""
    auth.login(Role.COORDINATOR)
    upload = _image(fmt, (1200, 400)) + b"<script>trailing payload</script>"
    response = client.post("/centre/logo", data={"logo": (BytesIO(upload), "logo.img")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    png = db.session.scalar(db.select(CentreLogo.png))
    assert png.startswith(b"\x89PNG") and b"script" not in png
    assert Image.open(BytesIO(png)).size == (600, 200)
    auth.logout()
    served = client.get("/centre/logo.png")
    assert served.status_code == 200 and served.mimetype == "image/png" and served.data == png


@pytest.mark.parametrize("body, message", [
    (b"", "Choisissez un fichier image"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "pas une image lisible"),
    (_image("GIF"), "Seules les images PNG ou JPEG"),
    (_image("PNG")[:60], "pas une image lisible"),
])
def test_bad_logo_is_refused(client, auth, body, message):
    """Is an empty, SVG, GIF, truncated or too heavy file refused in French, nothing kept?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/centre/logo", data={"logo": (BytesIO(body), "x.png")}, content_type="multipart/form-data")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(CentreLogo.id))) == 0


def test_a_heavy_file_is_refused_unread():
    """Is a file over 2 MB refused before Pillow sees it?"""
    from kiosk.centre.logo import LogoError, clean_logo

    with pytest.raises(LogoError, match="trop lourde"):
        clean_logo(b"\x89PNG" + b"0" * (2 * 1024 * 1024))


def test_decompression_bomb_is_refused(client, auth):
    """Is a small file that claims a huge picture refused before it is decoded?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/centre/logo", data={"logo": (BytesIO(_image("PNG", (6000, 5000))), "x.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "trop grande" in response.get_data(as_text=True)


def test_centre_page_is_for_coordinators(client, auth):
    """Is the centre's page closed to volunteers, and the logo route a 404 without a logo?"""
    assert client.get("/centre/logo.png").status_code == 404
    auth.login(Role.VOLUNTEER)
    assert client.get("/centre").status_code == 403
    assert client.post("/centre", data={"name": "X"}).status_code == 403


def test_cards_carry_the_centre_name_and_logo(client, auth, make_participant, tmp_path):
    """Does a printed card carry the centre's name as set, and its logo once one is uploaded (none before)?"""
    import subprocess

    def card_pdf(name):
        response = client.post(f"/participants/{person.id}/card/print")
        assert response.status_code == 200
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(response.data)
        images = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True,
                                timeout=60).stdout.splitlines()[2:]
        text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True,
                              timeout=60).stdout
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(path), str(tmp_path / name)],
                       check=True, timeout=60)
        return images, text

    person, _code = make_participant("Awa", "Diallo")
    auth.login(Role.COORDINATOR)
    client.post("/centre", data={"name": "Maison des Lilas, centre social et culturel du quartier des Longs-Champs",
                                 "address": "", "privacy_contact": ""})
    images, text = card_pdf("before")
    assert images == [] and "Maison des Lilas" in text and "Awa D" in text
    client.post("/centre/logo", data={"logo": (BytesIO(_image("PNG", (300, 100))), "logo.png")},
                content_type="multipart/form-data")
    images, text = card_pdf("after")
    assert len(images) >= 1 and "Maison des Lilas" in " ".join(text.split())
