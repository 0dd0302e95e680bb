"""Issue 20, what was left: each centre's own logo, the network's name and logo, and the funders' files
of figures for a network user (never the ESF+ file, a row per person).

Each logo is drawn at its own size, so a PDF says whose logo it carries: ReportLab writes each image's
/Width in the file, and `clean_logo` keeps a small image's size."""

import re
import zipfile
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from kiosk.auth.services import add_user
from kiosk.centre.services import NETWORK_LOGO, centre_identity, replace_logo
from kiosk.models import AuditEvent, CentreLogo, ExitReason, Role, ServerSetting
from kiosk.platform.extensions import db
from kiosk.sites.scope import every_site, scoped_to
from kiosk.sites.services import add_site
from tests.conftest import TEST_PASSWORD
from tests.dashboard.conftest import Centre
from tests.reports.test_year_figures import outcomes_2025  # noqa: F401  (fixture)
from tests.dashboard.conftest import centre, year_2025  # noqa: F401  (fixtures)

WIDTH_A, WIDTH_B, WIDTH_NET = 211, 157, 173


def png(width: int, colour: str) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, 61), colour).save(out, format="PNG")
    return out.getvalue()


def widths(pdf: bytes) -> set[int]:
    """The widths of the images a PDF embeds."""
    return {int(w) for w in re.findall(rb"/Width (\d+)", pdf)}


def login(client, username):
    response = client.post("/login", data={"username": username, "password": TEST_PASSWORD})
    assert response.status_code in (302, 303)


@pytest.fixture
def two_sites(app, make_participant):
    """Site A (1) and B, each with a coordinator, a participant and its own logo; a network user."""
    add_user("coord-a", Role.COORDINATOR, TEST_PASSWORD)
    person_a, _code = make_participant("Amelie", "Asite")
    site = add_site("Centre B")
    db.session.commit()
    with scoped_to(site.id):
        add_user("coord-b", Role.COORDINATOR, TEST_PASSWORD, site_ids=[site.id])
        person_b, _code = make_participant("Zoltana", "Qwertyson")
    with every_site():
        add_user("reseau", Role.NETWORK, TEST_PASSWORD)
    db.session.commit()
    logos = {}
    for username, width, colour in (("coord-a", WIDTH_A, "#aa0000"), ("coord-b", WIDTH_B, "#0000aa")):
        client = app.test_client()
        login(client, username)
        response = client.post("/centre/logo", data={"logo": (BytesIO(png(width, colour)), "logo.png")},
                               content_type="multipart/form-data")
        assert response.status_code == 303
        logos[username] = client.get("/centre/logo.png").data
    return {"site_b": site.id, "a": person_a.id, "b": person_b.id, "logos": logos}


def test_each_centre_has_its_own_logo_on_its_pages_and_documents(app, client, two_sites):
    """Does A's coordinator see A's logo on A's cards, report, stock sheet and pages, and never B's (and back)?"""
    logo_a, logo_b = two_sites["logos"]["coord-a"], two_sites["logos"]["coord-b"]
    assert logo_a != logo_b
    with every_site():
        assert sorted(db.session.scalars(select(CentreLogo.id))) == [1, two_sites["site_b"]]
    for username, mine, theirs, person in (("coord-a", WIDTH_A, WIDTH_B, two_sites["a"]),
                                           ("coord-b", WIDTH_B, WIDTH_A, two_sites["b"])):
        login(client, username)
        served = client.get("/centre/logo.png").data
        assert served == (logo_a if username == "coord-a" else logo_b)
        for pdf in (client.post(f"/participants/{person}/card/print").data,
                    client.get("/dashboard/bilan.pdf?annee=2026").data,
                    client.get("/stock/fiche.pdf").data):
            assert pdf.startswith(b"%PDF")
            assert mine in widths(pdf) and theirs not in widths(pdf), username
        assert 'class="centre-logo-preview"' in client.get("/centre").get_data(as_text=True)
        client.post("/logout")
    # A's coordinator takes A's logo off: B keeps its own
    login(client, "coord-a")
    assert client.post("/centre/logo/retirer").status_code == 303
    assert client.get("/centre/logo.png").status_code == 404
    assert WIDTH_B not in widths(client.get("/dashboard/bilan.pdf?annee=2026").data)
    with every_site():
        assert list(db.session.scalars(select(CentreLogo.id))) == [two_sites["site_b"]]


def test_the_network_documents_carry_the_networks_logo_or_none(app, client, two_sites):
    """Does the network's summed report carry no centre's logo, then the network's once it has one;
    a centre's report asked by the network that centre's; and a visitor no centre knows none of a centre's?"""
    login(client, "reseau")
    summed = client.get("/dashboard/bilan.pdf?annee=2026").data
    assert not widths(summed) & {WIDTH_A, WIDTH_B}
    assert client.get("/reseau/logo.png").status_code == 404
    assert "Pas de logo" in client.get("/reseau/reglages").get_data(as_text=True)
    response = client.post("/reseau/logo", data={"logo": (BytesIO(png(WIDTH_NET, "#00aa00")), "logo.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    summed = widths(client.get("/dashboard/bilan.pdf?annee=2026").data)
    assert WIDTH_NET in summed and not summed & {WIDTH_A, WIDTH_B}
    site_b = widths(client.get(f"/dashboard/bilan.pdf?annee=2026&site={two_sites['site_b']}").data)
    assert WIDTH_B in site_b and not site_b & {WIDTH_A, WIDTH_NET}
    assert client.get("/reseau/logo.png").data == client.get("/centre/logo.png").data  # the network's, unscoped
    bad = client.post("/reseau/logo", data={"logo": (BytesIO(b"<svg/>"), "x.svg")}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "pas une image lisible" in bad.get_data(as_text=True)
    client.post("/logout")
    # someone no centre knows (the public notice of a server with several centres): the network's logo
    visitor = app.test_client()
    served = visitor.get("/centre/logo.png").data
    assert served not in (two_sites["logos"]["coord-a"], two_sites["logos"]["coord-b"])
    assert Image.open(BytesIO(served)).size[0] == WIDTH_NET
    # the coordinators cannot touch the network's logo, and theirs is untouched by it
    login(client, "coord-a")
    assert client.post("/reseau/logo/retirer").status_code == 403
    assert client.get("/reseau/reglages").status_code == 403
    assert client.get("/centre/logo.png").data == two_sites["logos"]["coord-a"]
    client.post("/logout")
    login(client, "reseau")
    assert client.post("/reseau/logo/retirer").status_code == 303
    assert client.get("/reseau/logo.png").status_code == 404
    with every_site():
        events = db.session.execute(select(AuditEvent.site_id, AuditEvent.action, AuditEvent.entity_id)
                                    .where(AuditEvent.entity == "centre_logo", AuditEvent.user_id.is_not(None))
                                    .order_by(AuditEvent.id)).all()
    assert events[-2:] == [(None, "update", NETWORK_LOGO), (None, "delete", NETWORK_LOGO)]


def test_a_box_alone_keeps_its_logo_as_before(app, client, auth):
    """A box that had its logo (row 1) before sites: is it still on its report, its notice and its page?"""
    replace_logo(png(WIDTH_A, "#aa0000"))
    db.session.commit()
    assert db.session.scalar(select(CentreLogo.id)) == 1
    assert centre_identity().logo_png is not None
    html = client.get("/confidentialite").get_data(as_text=True)
    assert 'class="notice-logo"' in html and client.get("/centre/logo.png").status_code == 200
    auth.login(Role.COORDINATOR)
    assert WIDTH_A in widths(client.get("/dashboard/bilan.pdf?annee=2026").data)
    assert centre_identity().name == "Centre social"  # no "réseau" on a box alone


def test_the_network_is_named_on_its_page_and_documents(app, client, two_sites, runner):
    """Is the network's name set on its settings page, shown on its pages and summed documents (never on a
    centre's), audited as the network's; and can `kiosk site network-name` set or clear it?"""
    login(client, "reseau")
    assert "Réseau de 2 centres" in client.get("/reseau").get_data(as_text=True)
    response = client.post("/reseau/reglages", data={"name": "  Épiceries   du Pays de Rennes "})
    assert response.status_code == 303
    assert db.session.get(ServerSetting, "network_name").value == "Épiceries du Pays de Rennes"
    title = "Épiceries du Pays de Rennes — réseau de 2 centres"
    assert title in client.get("/reseau").get_data(as_text=True)
    assert title in client.get("/reseau/reglages").get_data(as_text=True)
    assert title in client.get("/dashboard/bilan?annee=2026").get_data(as_text=True)
    book = load_workbook(BytesIO(client.get("/dashboard/bilan/habilitation.xlsx?annee=2026").data))
    assert title in str(book.active["A1"].value) + str(book.active["A2"].value)
    assert title not in client.get(f"/dashboard/bilan?annee=2026&site={two_sites['site_b']}").get_data(as_text=True)
    too_long = client.post("/reseau/reglages", data={"name": "x" * 121})
    assert too_long.status_code == 422 and "120 caractères au plus" in too_long.get_data(as_text=True)
    assert db.session.get(ServerSetting, "network_name").value == "Épiceries du Pays de Rennes"
    with every_site():
        events = db.session.execute(select(AuditEvent.site_id, AuditEvent.details)
                                    .where(AuditEvent.entity == "server_setting")).all()
    assert events == [(None, {"fields": ["network_name"]})]
    assert "réglage du réseau" in client.get("/confidentialite/journal").get_data(as_text=True)
    client.post("/logout")
    login(client, "coord-a")
    assert title not in client.get("/dashboard/bilan?annee=2026").get_data(as_text=True)
    assert client.post("/reseau/reglages", data={"name": "Pris"}).status_code == 403
    assert "réglage du réseau" not in client.get("/confidentialite/journal").get_data(as_text=True)

    result = runner.invoke(args=["site", "network-name", "Réseau Sud"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == '{"name": "Réseau Sud"}'
    db.session.expire_all()
    with every_site():
        assert centre_identity().name == "Réseau Sud — réseau de 2 centres"
    cleared = runner.invoke(args=["site", "network-name", ""])
    assert cleared.exit_code == 0 and cleared.output.strip().splitlines()[-1] == '{"name": ""}'
    db.session.expire_all()
    with every_site():
        assert centre_identity().name == "Réseau de 2 centres"
        assert db.session.scalars(select(AuditEvent.site_id).where(AuditEvent.entity == "server_setting")).all() \
            == [None, None, None]


# The funders' files of figures for a network user.

B_NAMES = ("Ysolde", "Brocéliande", "Yvon", "Kermarrec")


@pytest.fixture
def network_2025(outcomes_2025):  # noqa: F811
    """Site 1: the hand-counted year 2025 (tests/dashboard/conftest.py); site B: two households of its own."""
    site = add_site("Centre B")
    db.session.commit()
    with scoped_to(site.id):
        c = Centre()
        c._keys = iter(range(1000, 2000))  # basket keys are unique across the server
        ysolde = c.person("Ysolde", "Brocéliande", entered=date(2025, 2, 6))
        yvon = c.person("Yvon", "Kermarrec", entered=date(2024, 10, 3), left=date(2025, 9, 4), reason=ExitReason.WORK)
        ysolde.household_size, ysolde.adults, ysolde.children, ysolde.birth_year = 3, 1, 2, 1985
        yvon.household_size, yvon.adults, yvon.children, yvon.birth_year = 1, 1, 0, 1950
        c.came(ysolde, date(2025, 2, 6))
        c.came(yvon, date(2025, 6, 5))
        c.basket(ysolde, date(2025, 2, 6), 3000, 1500, 150)
        c.basket(ysolde, date(2025, 6, 5), 2500, 1250, 125)
        c.basket(yvon, date(2025, 6, 5), 1200, 600, 60)
    with every_site():
        add_user("reseau", Role.NETWORK, TEST_PASSWORD)
    db.session.commit()
    return site.id


def numbers(body: bytes) -> dict[tuple[str, str], float]:
    """The numbers of a file's first sheet, by (sheet, cell)."""
    sheet = load_workbook(BytesIO(body)).worksheets[0]
    return {(sheet.title, cell.coordinate): cell.value for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)}


def text_of(body: bytes) -> str:
    with zipfile.ZipFile(BytesIO(body)) as book:
        return " ".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


@pytest.mark.parametrize("funder", ["habilitation", "andes", "caf"])
def test_a_network_user_gets_the_funders_files_of_figures_summed_or_by_centre(client, network_2025, funder):
    """Are a centre's files the network user takes out its own figures, and the network's their sum, with
    no one's name in any, each read recorded in the journal of the centre asked or the network's?"""
    login(client, "reseau")
    files = {}
    for key, query in (("a", "&site=1"), ("b", f"&site={network_2025}"), ("sum", "")):
        response = client.get(f"/dashboard/bilan/{funder}.xlsx?annee=2025{query}")
        assert response.status_code == 200 and response.mimetype.endswith("sheet"), (key, response.status_code)
        files[key] = response.data
        body = text_of(response.data)
        for name in (*B_NAMES, "Fatima", "Benali", "Moreau", "Traoré", "Kevin"):
            assert name not in body, (key, name)
    a, b, summed = (numbers(files[key]) for key in ("a", "b", "sum"))
    assert a.keys() == b.keys() == summed.keys() and any(a.values()) and any(b.values())
    years = {cell for cell, value in summed.items() if value in (2024, 2025)}  # a year heading is no figure
    assert {cell: summed[cell] for cell in summed.keys() - years} == \
        {cell: a[cell] + b[cell] for cell in summed.keys() - years}
    with every_site():
        events = db.session.execute(select(AuditEvent.site_id, AuditEvent.details)
                                    .where(AuditEvent.entity == "funder_file").order_by(AuditEvent.id)).all()
    assert events == [(1, {"year": 2025, "funder": funder}), (network_2025, {"year": 2025, "funder": funder}),
                      (None, {"year": 2025, "funder": funder})]


def test_the_habilitation_figures_of_the_network_are_the_hand_counted_sums(client, network_2025):
    """Site 1 served 3 households in 2025 (8 people, 4 baskets, 56 €), site B 2 (4 people, 3 baskets,
    33.50 €): does the network's file say 5 households, 12 people, 7 baskets, 89.50 €?"""
    login(client, "reseau")
    sheet = load_workbook(BytesIO(client.get("/dashboard/bilan/habilitation.xlsx?annee=2025").data)).active
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["Foyers servis"] == 5 and rows["Personnes dans ces foyers"] == 12
    assert rows["Distributions (paniers)"] == 7 and rows["Valeur des denrées"] == pytest.approx(89.5)


def test_the_esf_file_stays_with_the_centres_coordinator(client, auth, network_2025):
    """Is the ESF+ file (a row per participant) refused to the network user, for a centre or summed,
    with one sentence saying so on its pages, and still the coordinator's?"""
    login(client, "reseau")
    for query in ("", "&site=1", f"&site={network_2025}"):
        assert client.get(f"/dashboard/bilan/fse.xlsx?annee=2025{query}").status_code == 403
    sentence = "Le fichier FSE+ a une ligne par participant : seule la coordination de chaque centre peut le télécharger."
    for page in ("/reseau?annee=2025", "/dashboard/bilan?annee=2025", f"/dashboard/bilan?annee=2025&site={network_2025}"):
        html = client.get(page).get_data(as_text=True)
        assert sentence in html and "fse.xlsx" not in html, page
        assert "habilitation.xlsx" in html
        for name in (*B_NAMES, "Fatima", "Benali"):
            assert name not in html
    site_page = client.get(f"/dashboard/bilan?annee=2025&site={network_2025}").get_data(as_text=True)
    assert f"habilitation.xlsx?annee=2025&amp;site={network_2025}" in site_page  # the centre's, not the sum
    with every_site():
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.entity == "esf_participants")) is None
    client.post("/logout")
    auth.login(Role.COORDINATOR)
    response = client.get("/dashboard/bilan/fse.xlsx?annee=2025")
    assert response.status_code == 200
    assert sentence not in client.get("/dashboard/bilan?annee=2025").get_data(as_text=True)
