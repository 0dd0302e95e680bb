"""The year's documents: the page, the PDF (rendered to images), the XLSX and the funders' files."""

import re
import subprocess
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from kiosk.models import Basket, Participant, Role
from kiosk.platform.extensions import db
from kiosk.settings import set_setting
from tests.reports.test_year_figures import outcomes_2025  # noqa: F401  (fixture)


def _pdf(tmp_path, body: bytes, name: str) -> tuple[str, list]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(body)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / name)], check=True, timeout=60)
    pages = sorted(tmp_path.glob(f"{name}*.png"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    return text.replace("\u202f", " ").replace("\u00a0", " "), pages


def test_report_page_shows_the_year_and_the_year_before(client, auth, outcomes_2025):
    """Does the page (old URL) show 2025's figures with 2024's beside them, and the funders' files?"""
    auth.login(Role.COORDINATOR)
    html = client.get("/dashboard/bilan?annee=2025").get_data(as_text=True).replace("\u00a0", " ").replace("\u202f", " ")
    assert '<th scope="row">Présences</th><td class="num">11</td><td class="num muted">2</td>' in html
    assert 'Valeur des denrées</th><td class="num">56,00 €</td><td class="num muted">5,00 €</td>' in html
    assert "Carte SORTIR obtenue" in html and "100,0 %" in html
    for funder in ("habilitation", "andes", "caf", "fse"):
        assert f"/dashboard/bilan/{funder}.xlsx?annee=2025" in html
    old = client.get("/dashboard/bilan?from=2025-01-01&to=2025-12-31").get_data(as_text=True)
    assert "Bilan 2025" in old


@pytest.mark.parametrize("query", ["annee=1999", "annee=deux", "from=2025-13-01"])
def test_a_bad_year_says_so(client, auth, query):
    """Is a wrong year explained (page 400 with an alert) and refused by the downloads, never a 500?"""
    auth.login(Role.COORDINATOR)
    page = client.get(f"/dashboard/bilan?{query}")
    assert page.status_code == 400 and 'role="alert"' in page.get_data(as_text=True)
    assert client.get(f"/dashboard/bilan.pdf?{query}").status_code == 400
    assert client.get(f"/dashboard/bilan/caf.xlsx?{query}").status_code == 400


def test_report_is_for_coordinators(client, auth):
    """Is the report closed to volunteers and referents?"""
    auth.login(Role.VOLUNTEER)
    assert client.get("/dashboard/bilan").status_code == 403
    assert client.get("/dashboard/bilan/fse.xlsx").status_code == 403


def test_pdf_with_six_digit_amounts_reads_well(client, auth, outcomes_2025, tmp_path):
    """Does the PDF carry the centre's name, the figures beside last year's, six-digit amounts whole,
    no word cut, and the average as a plain number (not kilos)?"""
    set_setting("centre_name", "Maison de quartier des Longs-Champs")
    set_setting("centre_address", "12 rue des Lilas\n35000 Rennes")
    big = db.session.scalar(db.select(Basket).where(Basket.participant_id == outcomes_2025.d.id))
    big.value_cents, big.paid_cents, big.weight_g = 12345678, 2345678, 987654  # 123 456,78 €
    db.session.commit()
    auth.login(Role.COORDINATOR)
    response = client.get("/dashboard/bilan.pdf?annee=2025")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text, pages = _pdf(tmp_path, response.data, "bilan")
    assert pages, "pdftoppm rendered no page"
    assert "Bilan 2025 — Maison de quartier des Longs-Champs" in " ".join(text.split()) and "35000 Rennes" in text
    assert re.search(r"Présences\s+11\s+2\b", text)
    assert re.search(r"Valeur des denrées\s+123 497,23 €\s+5,00 €", text)  # 123 456,78 + 23,40 + 10,00 + 7,05
    assert re.search(r"Présents par atelier, en moyenne\s+2,8\s+2,0\n", text)
    assert "kg" not in re.search(r"Présents par atelier, en moyenne[^\n]*", text).group(0)
    assert re.search(r"Taux de sorties positives \(emploi ou formation\)\s+100,0 %", text)
    assert not re.search(r"\w-\n", text), "a word was cut at a line end"


def _rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_xlsx_has_the_figures_and_true_totals(client, auth, outcomes_2025):
    """Does the XLSX open with each figure beside last year's, and totals rows equal to the hand sums?"""
    auth.login(Role.COORDINATOR)
    book = load_workbook(BytesIO(client.get("/dashboard/bilan.xlsx?annee=2025").data))
    assert book.sheetnames[:3] == ["Synthèse", "Sorties", "Étapes"]
    summary = {row[0]: row[1:] for row in _rows(book["Synthèse"]) if row[0]}
    assert summary["Présences"] == [11, 2] and summary["Valeur des denrées"] == [56, 5]
    assert summary["Kilos distribués"] == [10.875, 1]
    assert book["Synthèse"]["A1"].value == "Bilan 2025 — Centre social"
    categories = _rows(book["Catégories"])
    assert categories[0] == ["Catégorie", "Kilos 2025", "Kilos 2024", "Valeur 2025", "Valeur 2024"]
    assert categories[-1] == ["Total", 3.125, 0, 15.55, 0]
    months = _rows(book["Mois par mois"])
    assert months[-1] == ["Total", 4, 11, 4, 10.875, 56, 7.16]
    structures = _rows(book["Par structure"])
    assert structures[-1][0] == "Total" and structures[-1][7] == 4 and structures[-1][9] == 56


def test_funders_files(client, auth, outcomes_2025):
    """Do the habilitation, ANDES, CAF and ESF+ files hold the hand-counted figures?"""
    auth.login(Role.COORDINATOR)

    def book(funder):
        response = client.get(f"/dashboard/bilan/{funder}.xlsx?annee=2025")
        assert response.status_code == 200 and f"{funder}-2025.xlsx" in response.headers["Content-Disposition"]
        return load_workbook(BytesIO(response.data)).active

    habilitation = {row[0]: row[1:] for row in _rows(book("habilitation"))[4:]}
    assert habilitation["Foyers servis"] == [3, 1] and habilitation["Personnes dans ces foyers"] == [8, 4]
    assert habilitation["Distributions (paniers)"] == [4, 1] and habilitation["Valeur des denrées"] == [56, 5]
    andes = _rows(book("andes"))[4:]
    assert [row[1] for row in andes[:12]] == [2, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert andes[-1][1] == 3
    caf = {row[0]: row[1] for row in _rows(book("caf"))[4:]}
    assert caf["18 à 25 ans"] == 1 and caf["60 ans et plus"] == 1
    assert caf["26 à 29 ans + 30 à 44 ans + 45 à 54 ans + 55 à 59 ans"] == 1 and caf["Total"] == 6
    fse = _rows(book("fse"))[4:]
    y = outcomes_2025
    people = {row[0]: row for row in fse}
    assert set(people) == {y.a.id, y.b.id, y.c.id, y.d.id, y.g.id, y.h.id}
    loic = people[y.b.id]
    assert loic[1:3] == ["Non précisé", "18 à 25 ans"]  # born 2001, entered 2025
    assert loic[3].date() == date(2025, 1, 9) and loic[7].date() == date(2025, 3, 6) and loic[8] == "Emploi"
    assert people[y.a.id][1:3] == ["Femme", "30 à 44 ans"]  # born 1990, entered in 2024 at 34
    assert people[y.d.id][1:3] == ["Non renseigné", "60 ans et plus"]


def test_esf_file_names_nobody(client, auth, outcomes_2025):
    """Does the ESF+ file carry file numbers and entry/exit data only: no name, no year of birth, and its
    totals (participants, exits, by sex and age) equal to the hand counts?"""
    auth.login(Role.COORDINATOR)
    book = load_workbook(BytesIO(client.get("/dashboard/bilan/fse.xlsx?annee=2025").data))
    cells = [str(v) for sheet in book for row in _rows(sheet) for v in row if v is not None]
    for name in ("Fatima", "Benali", "Loïc", "Moreau", "Awa", "Kevin", "Sylvie", "Rachid", "Nom", "Prénom"):
        assert not any(name in cell for cell in cells), name
    assert not any(cell in ("1990", "2001", "1964") for cell in cells)
    assert _rows(book["Participants FSE+"])[3][:3] == ["N° de dossier", "Sexe", "Âge à l'entrée"]
    totals = {row[0]: row[1] for row in _rows(book["Totaux"])[4:]}
    assert totals["Participants (séjours de l'année)"] == 6 and totals["dont sortis dans l'année"] == 2
    assert totals["Sexe : Femme"] == 1 and totals["Sexe : Non précisé"] == 1 and totals["Sexe : Non renseigné"] == 4
    assert totals["Âge à l'entrée : 60 ans et plus"] == 1 and totals["Âge à l'entrée : Âge non renseigné"] == 3
    assert totals["Motif de sortie : Emploi"] == 1 and totals["Motif de sortie : Formation"] == 1


def test_esf_file_export_is_audited(client, auth, outcomes_2025):
    """Is the download of the ESF+ file (names of many people) written in the audit trail?"""
    from kiosk.models import AuditEvent

    auth.login(Role.COORDINATOR)
    client.get("/dashboard/bilan/fse.xlsx?annee=2025")
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(AuditEvent.entity == "esf_participants")) == 1


def test_kiosk_report_pdf_and_xlsx(runner, outcomes_2025, tmp_path):
    """Does `kiosk report` write a PDF and an XLSX from the same figures?"""
    for fmt in ("pdf", "xlsx"):
        out = tmp_path / f"bilan.{fmt}"
        result = runner.invoke(args=["report", "--year", "2025", "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "bilan.pdf").read_bytes().startswith(b"%PDF")
    summary = {row[0]: row[1:] for row in _rows(load_workbook(tmp_path / "bilan.xlsx")["Synthèse"]) if row[0]}
    assert summary["Paniers"] == [4, 1]
    assert db.session.get(Participant, outcomes_2025.a.id) is not None


def _page_texts(tmp_path, body: bytes) -> list[str]:
    path = tmp_path / "pages.pdf"
    path.write_bytes(body)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True, timeout=60).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"], check=True,
                           capture_output=True, text=True, timeout=60).stdout.replace("\u202f", " ").replace("\u00a0", " ")
            for n in range(1, count + 1)]


def test_pdf_long_table_starts_under_its_heading_and_flows_on(client, auth, outcomes_2025, centre, tmp_path):
    """With twenty referring structures, does the structures' table start on the page of its heading, right
    after the previous section (not pushed whole to a fresh page), go on overleaf under a repeated header,
    and is no page left ending on a heading? Do the charts' axes read "1 000", not "1000"?"""
    for n in range(20):
        person = centre.person(f"P{n}", "Essai", f"Réf {n}", f"Structure d'accompagnement numéro {n:02d} de Rennes",
                               entered=date(2025, 2, 6))
        centre.came(person, date(2025, 3, 6))
    big = db.session.scalar(db.select(Basket).where(Basket.participant_id == outcomes_2025.d.id))
    big.weight_g = 1_500_000
    db.session.commit()
    auth.login(Role.COORDINATOR)
    pages = _page_texts(tmp_path, client.get("/dashboard/bilan.pdf?annee=2025").data)
    headings = ("L'année en bref", "Sorties et sorties positives", "Étapes franchies (personnes)",
                "Régularité et durée du parcours", "Foyers servis : adultes et enfants",
                "Personnes accompagnées par âge", "Personnes accompagnées : femmes et hommes",
                "L'épicerie par catégorie", "Les relances", "Par structure orientatrice (2025)")
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip() and not re.search(r"page \d+$", line)]
        assert lines[-1] not in headings, f"page {number} ends on the heading {lines[-1]!r}"
    start = next(n for n, page in enumerate(pages) if "Par structure orientatrice (2025)" in page)
    assert "Les relances" in pages[start] and "CCAS Vern-sur-Seiche" in pages[start]
    assert "numéro 19 de Rennes" in pages[start + 1] and "Structure" in pages[start + 1].split("numéro 19")[0]
    assert re.search(r"(?m)^\s*1 000\s*$", "\n".join(pages)), "the kilos chart's axis"


def test_funders_files_agree_with_kiosk_report_json(client, auth, runner, outcomes_2025, tmp_path):
    """Does each funder's file give the same figures as `kiosk report --format json` (and both the hand counts:
    3 households of 8 people, 4 baskets, 10,875 kg, 56,00 € and 7,16 €; 6 people followed; 2 exits)?"""
    import json

    out = tmp_path / "bilan.json"
    assert runner.invoke(args=["report", "--year", "2025", "--format", "json", "--out", str(out)]).exit_code == 0
    figures = json.loads(out.read_text())
    auth.login(Role.COORDINATOR)

    def sheets(funder):
        return load_workbook(BytesIO(client.get(f"/dashboard/bilan/{funder}.xlsx?annee=2025").data))

    habilitation = {row[0]: row[1] for row in _rows(sheets("habilitation").active)[4:]}
    assert (habilitation["Foyers servis"], habilitation["Personnes dans ces foyers"],
            habilitation["Distributions (paniers)"], habilitation["Kilos distribués"],
            habilitation["Valeur des denrées"], habilitation["Participation des familles"]) == (
        figures["households_served"], figures["people_in_households_served"], figures["baskets"],
        figures["weight_kg"], float(figures["value_eur"]), float(figures["paid_eur"])) == (3, 8, 4, 10.875, 56, 7.16)
    categories = _rows(sheets("habilitation")["Par catégorie"])[4:]
    assert categories == [["Frais", 2, 10], ["Épicerie sèche", 1.125, 5.55], ["Total", 3.125, 15.55]]
    assert _rows(sheets("andes").active)[-1][1] == figures["households_served"] == 3
    caf = {row[0]: row[1] for row in _rows(sheets("caf").active)[4:]}
    assert caf["Total"] == 6
    fse = {row[0]: row[1] for row in _rows(sheets("fse")["Totaux"])[4:]}
    assert fse["dont sortis dans l'année"] == sum(figures["exits"].values()) == 2
    assert fse["Motif de sortie : Emploi"] == figures["exits"]["work"] == 1


def _overlapping_words(path) -> list[tuple]:
    """Pairs of words drawn on top of each other (same line, crossing boxes), from pdftotext's boxes."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    clashes = []
    for page in html.split("<page ")[1:]:
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)]
        for n, (x0, y0, x1, y1, word) in enumerate(words):
            if re.search(r"[a-zà-ÿ·]{2}[A-ZÀ-Ý][a-zà-ÿ]", word):  # two texts run into one ("seul·eConfiance")
                clashes.append((word,))
            for u0, v0, u1, v1, other in words[n + 1:]:
                same_line = min(y1, v1) - max(y0, v0) > 0.5 * min(y1 - y0, v1 - v0)
                if same_line and min(x1, u1) - max(x0, u0) > 0.5:
                    clashes.append((word, other))
    return clashes


def test_pdf_words_never_overlap(client, auth, outcomes_2025, tmp_path):
    """With the five areas of the self-assessment in its chart (long names under narrow bars), six-digit
    amounts and a long centre name, is every word of the PDF clear of its neighbours?"""
    from kiosk.models import Moment, SelfAssessment

    set_setting("centre_name", "Centre social et culturel de la Maison de quartier des Longs-Champs")
    for moment, score in ((Moment.ENTRY, 1), (Moment.EXIT, 3)):
        db.session.add(SelfAssessment(participant_id=outcomes_2025.c.id, moment=moment, assessed_on=date(2025, 6, 5),
                                      food=score, social=score, esteem=score, money=score, rights=score))
    big = db.session.scalar(db.select(Basket).where(Basket.participant_id == outcomes_2025.d.id))
    big.value_cents, big.paid_cents, big.weight_g = 12345678, 2345678, 987654
    db.session.commit()
    auth.login(Role.COORDINATOR)
    path = tmp_path / "bilan.pdf"
    path.write_bytes(client.get("/dashboard/bilan.pdf?annee=2025").data)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    assert "Faire valoir ses" in text and "Confiance en soi" in text
    assert _overlapping_words(path) == []


def test_pdf_pages_are_numbered_under_the_title(client, auth, outcomes_2025, tmp_path):
    """Does each page of the report end with its title and its number, so printed pages find their order?"""
    set_setting("centre_name", "Maison des Lilas")
    db.session.commit()
    auth.login(Role.COORDINATOR)
    pages = _page_texts(tmp_path, client.get("/dashboard/bilan.pdf?annee=2025").data)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        last = [line.strip() for line in page.splitlines() if line.strip()][-1]
        assert re.fullmatch(rf"Bilan 2025 — Maison des Lilas\s+page {number}", last), last


def test_self_assessment_is_beside_last_years(client, auth, outcomes_2025):
    """Does the self-assessment (B: food 1 → 3, social 2 → 4 in 2025; C: food 2 → 4 in 2024) show each
    average beside last year's on the page and in the XLSX?"""
    from kiosk.models import Moment, SelfAssessment

    for moment, day, food in ((Moment.ENTRY, date(2024, 3, 1), 2), (Moment.EXIT, date(2024, 11, 1), 4)):
        db.session.add(SelfAssessment(participant_id=outcomes_2025.h.id, moment=moment, assessed_on=day, food=food))
    db.session.commit()
    auth.login(Role.COORDINATOR)
    html = client.get("/dashboard/bilan?annee=2025").get_data(as_text=True)
    assert ('<th scope="row">Se nourrir</th><td class="num">1,0</td><td class="num">3,0</td>'
            '<td class="num muted">2,0</td><td class="num muted">4,0</td>') in html
    book = load_workbook(BytesIO(client.get("/dashboard/bilan.xlsx?annee=2025").data))
    rows = _rows(book["Auto-évaluation"])
    assert rows[0] == ["Domaine", "Entrée 2025", "Sortie 2025", "Entrée 2024", "Sortie 2024"]
    assert rows[1:] == [["Se nourrir", 1, 3, 2, 4], ["Voir du monde, ne pas rester seul·e", 2, 4, None, None]]
