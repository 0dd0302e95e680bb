"""The period report (page, PDF, XLSX) and the trends, against the hand-computed year 2025."""

import re
import subprocess
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from kiosk.dashboard.reports import period_report, trends
from kiosk.models import ExitReason, Role

YEAR = "from=2025-01-01&to=2025-12-31"


def test_period_report_figures(year_2025):
    """Are the year's figures exactly those counted by hand?"""
    r = period_report(date(2025, 1, 1), date(2025, 12, 31))
    assert (r.followed, r.came, r.entries, r.exits_total) == (6, 6, 4, 2)
    assert r.exits == {ExitReason.WORK: 1, ExitReason.TRAINING: 1}
    assert (r.workshop_days, r.checkins, r.average_attendance) == (4, 11, 2.75)
    assert [(a.name, a.days, a.checkins) for a in r.activities] == [
        ("Gestion du stress", 2, 6), ("Atelier cuisine", 2, 5),
    ]
    assert (r.baskets, r.households, r.weight_g, r.value_cents, r.paid_cents) == (4, 3, 10875, 5600, 716)
    by_structure = {
        s.structure: (s.followed, s.came, s.entries, s.exits, s.checkins, s.households, s.baskets, s.weight_g,
                      s.value_cents, s.paid_cents)
        for s in r.structures
    }
    assert by_structure == {
        "CCAS Vern-sur-Seiche": (3, 3, 2, 1, 4, 1, 1, 3125, 1555, 311),
        "CDAS Rennes Sud": (2, 2, 1, 1, 6, 2, 3, 7750, 4045, 405),
        None: (1, 1, 1, 0, 1, 0, 0, 0, 0, 0),
    }
    assert [(m, t.workshop_days, t.checkins, t.baskets, t.weight_g, t.value_cents, t.paid_cents) for m, t in r.months] == [
        (date(2025, 1, 1), 2, 4, 2, 6250, 3340, 334),
        (date(2025, 3, 1), 1, 3, 1, 3125, 1555, 311),
        (date(2025, 6, 1), 1, 4, 1, 1500, 705, 71),
    ]


def test_period_report_of_a_short_period(year_2025):
    """Does a period of a few days count only what happened in it (6 March to 5 June)?"""
    r = period_report(date(2025, 3, 6), date(2025, 6, 5))
    assert (r.workshop_days, r.checkins, r.came) == (2, 7, 5)
    assert (r.entries, r.exits_total) == (2, 2)  # D on 6/3, G on 5/6; B on 6/3, C on 5/6
    assert (r.baskets, r.value_cents) == (2, 2260)


def test_report_page_defaults_to_this_year(client, auth, year_2025):
    """Does the report page show the current calendar year when no dates are given?"""
    from kiosk.platform.timezone import local_day

    auth.login(Role.COORDINATOR)
    html = client.get("/dashboard/bilan").get_data(as_text=True)
    year = local_day().year
    assert f'value="{year}-01-01"' in html and f'value="{year}-12-31"' in html


def _figure(html, name):
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1).replace("\u00a0", " ").replace("\u202f", " ")


def test_report_page_figures(client, auth, year_2025):
    """Does the page show the hand-counted figures of 2025?"""
    auth.login(Role.COORDINATOR)
    html = client.get(f"/dashboard/bilan?{YEAR}").get_data(as_text=True)
    expected = {
        "followed": "6", "came": "6", "entries": "4", "exits": "2", "workshop-days": "4", "checkins": "11",
        "average": "2,8", "baskets": "4", "households": "3", "kilos": "10,9 kg", "value": "56,00 €", "paid": "7,16 €",
    }
    assert {name: _figure(html, name) for name in expected} == expected
    for text in ("Emploi", "Formation", "CDAS Rennes Sud", "CCAS Vern-sur-Seiche", "Structure non renseignée",
                 "Gestion du stress", "janvier 2025", "juin 2025"):
        assert text in html


@pytest.mark.parametrize("query", ["from=2025-13-01&to=2025-12-31", "from=2025-12-31&to=2025-01-01", "from=x"])
def test_report_bad_period_says_so(client, auth, query):
    """Is a wrong period explained in French (page) and refused with 400 (downloads), never a 500?"""
    auth.login(Role.COORDINATOR)
    page = client.get(f"/dashboard/bilan?{query}")
    assert page.status_code == 400 and 'role="alert"' in page.get_data(as_text=True)
    assert client.get(f"/dashboard/bilan.xlsx?{query}").status_code == 400
    assert client.get(f"/dashboard/bilan.pdf?{query}").status_code == 400


def _rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_report_xlsx_opens_with_real_numbers(client, auth, year_2025):
    """Does the XLSX read back with French headers, real numbers, and a euro format on money?"""
    auth.login(Role.COORDINATOR)
    response = client.get(f"/dashboard/bilan.xlsx?{YEAR}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "bilan-2025-01-01-2025-12-31.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == ["Synthèse", "Sorties", "Activités", "Par structure", "Mois par mois"]
    summary = {row[0]: row[1] for row in _rows(book["Synthèse"]) if row[0] and len(row) > 1}
    assert summary["Présences"] == 11 and summary["Ateliers tenus"] == 4
    assert summary["Moyenne de présents par atelier"] == 2.75
    assert summary["Kilos distribués"] == 10.875
    assert summary["Valeur des denrées"] == 56 and summary["Participation des familles"] == 7.16
    money = next(row for row in book["Synthèse"].iter_rows() if row[0].value == "Valeur des denrées")[1]
    assert money.data_type == "n" and "€" in money.number_format
    assert _rows(book["Sorties"]) == [["Motif de sortie", "Personnes"], ["Emploi", 1], ["Formation", 1], ["Total", 2]]
    structures = _rows(book["Par structure"])
    assert structures[0][:3] == ["Structure", "Personnes accompagnées", "Personnes venues"]
    assert ["CDAS Rennes Sud", 2, 2, 1, 1, 6, 2, 3, 7.75, 40.45, 4.05] in structures
    months = _rows(book["Mois par mois"])
    assert months[1][0].date() == date(2025, 1, 1) and months[1][1:] == [2, 4, 2, 6.25, 33.4, 3.34]
    assert "€" in book["Mois par mois"]["F2"].number_format


def test_report_xlsx_neutralises_formulas(client, auth, centre):
    """Is a structure named like a formula written as inert text in the XLSX?"""
    from kiosk.platform.extensions import db

    for n, name in enumerate(["=HYPERLINK(\"http://x\",\"clic\")", "+33 cmd", "-1+1", "@SUM(A1)"]):
        person = centre.person("Ana", f"Test{n}", referrer=f"Orienteur {n}", structure=name, entered=date(2025, 2, 1))
        centre.came(person, date(2025, 2, 6))
    db.session.commit()
    auth.login(Role.COORDINATOR)
    book = load_workbook(BytesIO(client.get(f"/dashboard/bilan.xlsx?{YEAR}").data))
    cells = [row[0] for row in book["Par structure"].iter_rows(min_row=2)]
    assert sorted(cell.value for cell in cells) == sorted(
        ["'=HYPERLINK(\"http://x\",\"clic\")", "'+33 cmd", "'-1+1", "'@SUM(A1)"])
    assert all(cell.data_type == "s" for cell in cells)


def _pdf_text(tmp_path, body: bytes, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(body)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / name)], check=True, timeout=60)
    assert list(tmp_path.glob(f"{name}*.png")), "pdftoppm rendered no page"
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_report_pdf_renders_with_the_figures(client, auth, year_2025, tmp_path):
    """Does the PDF render (pdftoppm) and carry the year's figures as text (pdftotext)?"""
    auth.login(Role.COORDINATOR)
    response = client.get(f"/dashboard/bilan.pdf?{YEAR}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(tmp_path, response.data, "bilan")
    assert "Bilan de" in text and "1 janvier 2025" in text and "31 décembre 2025" in text
    assert re.search(r"Présences\s+11\b", text)
    assert re.search(r"Valeur des denrées\s+56,00 €", text)
    assert re.search(r"Participation des familles\s+7,16 €", text)
    assert re.search(r"Emploi\s+1", text) and "CDAS Rennes Sud" in text and "Structure non renseignée" in text


def test_trends_count_weeks_and_months(year_2025):
    """Do the trends put each workshop day in its week, and entries and exits in their months?"""
    t = trends(date(2025, 6, 30))
    assert len(t.weeks) == 52
    weeks = {week: totals for week, totals in t.weeks}
    assert weeks[date(2025, 6, 2)].checkins == 4 and weeks[date(2025, 6, 2)].baskets == 1
    assert weeks[date(2025, 3, 3)].checkins == 3 and weeks[date(2025, 3, 3)].weight_g == 3125
    assert weeks[date(2025, 1, 6)].baskets == 2
    assert sum(w.checkins for w in weeks.values()) == 11 + 2  # 2025 so far, and 19 December 2024
    months = {month: (entries, exits) for month, entries, exits in t.months}
    assert months[date(2025, 3, 1)] == (1, 1) and months[date(2025, 6, 1)] == (1, 1)
    assert months[date(2025, 1, 1)] == (1, 0) and months[date(2025, 2, 1)] == (1, 0)


def test_trends_page_has_accessible_charts_and_tables(client, auth, year_2025):
    """Does the trends page draw SVG charts with a name and the same figures in tables, without scripts?"""
    auth.login(Role.COORDINATOR)
    html = client.get("/dashboard/tendances").get_data(as_text=True)
    assert html.count('role="img"') == 4 and html.count("<svg") == 4
    assert html.count("<table") == 3
    for chart in ("chart-attendance", "chart-baskets", "chart-kilos", "chart-flows"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert all("js/menu.js" in tag for tag in scripts), scripts  # only the site menu's: the charts need none
    assert "style=" not in html


@pytest.mark.parametrize("top, expected", [
    (0, (1, 1)), (0.4, (1, 1)), (3, (1, 3)), (23, (5, 5)), (101, (25, 5)), (7.5, (2, 4)), (999, (200, 5)),
])
def test_chart_axis_steps_are_round(top, expected):
    """Does the value axis use whole, round steps that reach the highest bar without much room to spare?"""
    from kiosk.dashboard.charts import axis_steps

    assert axis_steps(top) == expected
