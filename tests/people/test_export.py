"""Exporting the participants list: CSV for French Excel and XLSX, read back, formulas neutralised."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from kiosk.platform.extensions import db
from kiosk.models import AuditEvent, Role
from kiosk.people.services import open_epicerie_access, record_exit
from kiosk.platform.timezone import local_day


@pytest.fixture
def people(make_participant):
    """Three people: one with épicerie access, one with a formula-like name and phone, one who left."""
    awa, _ = make_participant("Awa", "Traoré", referrer_name="Mme Briand", phone="06 11 22 33 44", household_size=3,
                              entered_on=date(2026, 9, 3))
    open_epicerie_access(awa, date(2027, 1, 31), starts_on=date(2026, 9, 3))
    hacker, _ = make_participant("=HYPERLINK(\"http://x\")", "@Somme", phone="+33 6 00 00 00 00")
    hacker.referrer = None
    left, _ = make_participant("Loïc", "-Moreau", referrer_name="M. Texier", entered_on=date(2026, 9, 10))
    record_exit(left, local_day(), "work")
    db.session.commit()
    return awa, hacker, left


def test_csv_for_french_excel(client, auth, people):
    """Is the CSV `;`-separated UTF-8 with a BOM, dates DD/MM/YYYY, and every formula-like cell neutralised?"""
    auth.login(Role.COORDINATOR)
    response = client.get("/participants/export.csv?status=all")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][:3] == ["Nom", "Prénom", "Téléphone"]
    by_first = {row[1]: row for row in rows[1:]}
    assert by_first["Awa"] == ["Traoré", "Awa", "06 11 22 33 44", "Mme Briand", "", "3", "03/09/2026", "", "",
                               "31/01/2027"]
    hacker = by_first["'=HYPERLINK(\"http://x\")"]
    assert hacker[0] == "'@Somme" and hacker[2] == "06 00 00 00 00"  # stored +33600000000, written the French way
    loic = by_first["Loïc"]
    assert loic[0] == "'-Moreau" and loic[7] == local_day().strftime("%d/%m/%Y") and loic[8] == "Emploi"
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_xlsx_read_back(client, auth, people):
    """Does the XLSX open with openpyxl, with real dates and numbers, and no cell taken for a formula?"""
    auth.login(Role.COORDINATOR)
    response = client.get("/participants/export.xlsx?status=all")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Nom" and len(rows) == 4
    awa = next(row for row in rows if row[1] == "Awa")
    assert awa[5] == 3 and awa[6].date() == date(2026, 9, 3) and awa[9].date() == date(2027, 1, 31)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@"))
    assert sheet["G2"].number_format == "DD/MM/YYYY"


def test_export_follows_the_filters(client, auth, people):
    """Does the export hold only the people the list shows (here: those who left)?"""
    auth.login(Role.COORDINATOR)
    response = client.get("/participants/export.csv?status=left")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == ["Loïc"]


def test_export_is_audited_without_personal_values(client, auth, people):
    """Is an export recorded in the audit trail, with its format and size but no names?"""
    user = auth.login(Role.COORDINATOR)
    client.get("/participants/export.xlsx")
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.user_id == user.id and event.details == {"format": "xlsx", "rows": 2}


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.REFERENT])
def test_export_is_for_coordinators(client, auth, people, role):
    """Is the export refused to volunteers and referents?"""
    auth.login(role)
    assert client.get("/participants/export.csv").status_code == 403
    assert client.get("/participants/export.xlsx").status_code == 403


def test_an_export_imports_back(client, auth, people, cli, tmp_path):
    """Can the exported CSV be imported again (the same headers), everyone then skipped as already there?"""
    auth.login(Role.COORDINATOR)
    path = tmp_path / "export.csv"
    path.write_bytes(client.get("/participants/export.csv?status=all").data)
    _status, output, payload = cli("participant", "import", path, "--dry-run")
    assert payload["created"] == 0 and payload["errors"] == [], output
