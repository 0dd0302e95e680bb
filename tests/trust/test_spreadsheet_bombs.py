"""Spreadsheets that would eat the box: small on disk, huge once expanded. Each is refused plainly,
without the worker swallowing the expansion."""

import io
import resource
import zipfile

import pytest

from kiosk.models import Role
from kiosk.imports.services import plan_import
from kiosk.imports.spreadsheets import SpreadsheetError

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
             '</Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                 '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                 '</Relationships>')
SHEET_START = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c><c r="B1" t="inlineStr"><is><t>Prénom</t></is></c></row>'


def xlsx(sheet_rows, shared: str = "") -> bytes:
    """A minimal workbook whose sheet holds these rows (written as a stream: the test never holds the
    expansion in memory), deflated as Excel does."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            for piece in shared:
                part.write(piece.encode())
            part.write(b"</t></si></sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write((SHEET_START + HEADER_ROW).encode())
            for row in sheet_rows:
                part.write(row.encode())
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def one_huge_shared_string(megabytes: int):
    """Chunks of one shared string of that many megabytes."""
    chunk = "A" * (1024 * 1024)
    return (chunk for _ in range(megabytes))


def many_cells(rows: int, per_row: int):
    """Rows of many tiny cells."""
    cells = "".join(f'<c t="n"><v>{n % 10}</v></c>' for n in range(per_row))
    return (f'<row r="{r}">{cells}</row>' for r in range(2, rows + 2))


BOMBS = {
    "a 300 MB shared string": lambda: xlsx([], one_huge_shared_string(300)),
    "3 million cells": lambda: xlsx(many_cells(3000, 1000)),
    "one cell of 2 MB": lambda: xlsx(['<row r="2"><c t="inlineStr"><is><t>' + "B" * 2_000_000 + "</t></is></c></row>"]),
}


@pytest.mark.parametrize("name", BOMBS)
def test_an_xlsx_that_expands_too_far_is_refused_in_plain_french(app, name):
    """Is a small file that expands to hundreds of megabytes or millions of cells refused with a
    message a coordinator understands, without the worker's memory growing by what it would expand to?"""
    data = BOMBS[name]()
    assert len(data) < 1_500_000  # small on disk
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(SpreadsheetError) as refused:
        plan_import(data)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert "trop" in str(refused.value)
    assert grown_mb < 120, grown_mb


def test_the_import_page_refuses_the_bomb_with_its_message(client, auth):
    """Does the import page show the refusal on the form (422), storing nothing?"""
    auth.login(Role.COORDINATOR)
    data = BOMBS["3 million cells"]()
    response = client.post("/participants/import", data={"file": (io.BytesIO(data), "liste.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "trop" in response.get_data(as_text=True)


def test_a_normal_workbook_still_imports(app):
    """Does a workbook within bounds still give its rows?"""
    rows = ['<row r="2"><c t="inlineStr"><is><t>Martin</t></is></c><c t="inlineStr"><is><t>Kevin</t></is></c></row>']
    assert plan_import(xlsx(rows, "x")).summary()["created"] == 1


def _openpyxl_never_called(monkeypatch):
    import openpyxl

    def refuse(*_args, **_kwargs):
        raise AssertionError("openpyxl was asked to read a file the scan should have refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_too_many_cells_are_refused_before_any_parsing(app, monkeypatch):
    """Are millions of empty cells `<c/>` (under the expanded-size bound) refused by the streaming scan,
    before openpyxl spends seconds on them (scripts/attack-figures.py: 10.8 s in the request)?"""
    from kiosk.imports.spreadsheets import XLSX_MAX_CELLS

    _openpyxl_never_called(monkeypatch)
    row = "<row>" + "<c/>" * 100 + "</row>"
    data = xlsx(row for _ in range(XLSX_MAX_CELLS // 100 + 1))
    with pytest.raises(SpreadsheetError, match="trop gros une fois ouvert"):
        plan_import(data)


def test_a_text_longer_than_a_cell_is_refused_before_any_parsing(app, monkeypatch):
    """Is one 30 MB shared string (under the expanded-size bound) refused by the scan, the worker never
    holding it whole (the attack script saw 75 MB more when openpyxl read it)?"""
    _openpyxl_never_called(monkeypatch)
    with pytest.raises(SpreadsheetError, match="texte trop long"):
        plan_import(xlsx([], shared=one_huge_shared_string(30)))


def test_a_cell_just_under_the_bounds_is_still_read(app):
    """Does the scan let a real list through: 1,000-character cells, in accented UTF-8, across the
    scan's chunks?"""
    from kiosk.imports.spreadsheets import MAX_CELL_CHARS

    long_name = "é" * MAX_CELL_CHARS
    rows = [f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Nom{n}</t></is></c>'
            f'<c r="B{n}" t="inlineStr"><is><t>{long_name}</t></is></c></row>' for n in range(2, 1002)]
    plan = plan_import(xlsx(rows))
    assert len(plan.to_create) + len(plan.skipped) + len(plan.errors) == 1000


def test_a_real_list_of_twelve_thousand_people_is_read(app):
    """Is a real list (12,000 people, 8 columns; scripts/attack-figures.py tried 20,000) read, not refused
    as too big? openpyxl pads every row to 100 columns, which were counted as cells."""
    rows = (f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Nom{n}</t></is></c>'
            f'<c r="B{n}" t="inlineStr"><is><t>Prénom{n}</t></is></c>'
            + "".join(f'<c r="{col}{n}" t="inlineStr"><is><t>x</t></is></c>' for col in "CDEFGH")
            + "</row>" for n in range(2, 12_002))
    plan = plan_import(xlsx(rows))
    assert len(plan.to_create) == 12_000 and not plan.errors
