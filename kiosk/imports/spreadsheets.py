"""Reading a spreadsheet as centres have them: CSV from French Excel (or LibreOffice), or an XLSX.

CSV: `;`, `,` or tab; UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"), else Windows-1252.
The header row is found among the first lines (a title line above it is tolerated), and columns are
recognised by their French or English names, in any order. Line numbers are the file's, header included.
"""

import codecs
import csv
import io
import re
import time
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from kiosk.platform.text import search_key

# Normalised header (lower case, no accents, no punctuation) -> the field it fills.
HEADERS = {
    "last_name": {"nom", "nom de famille", "nom d usage", "last name", "lastname", "surname", "family name"},
    "first_name": {"prenom", "prenoms", "first name", "firstname", "given name"},
    "phone": {"telephone", "tel", "portable", "telephone portable", "mobile", "phone", "phone number"},
    "referrer_name": {"oriente par", "orientee par", "oriente e par", "orienteur", "referent", "referente",
                      "referent social", "referred by", "referrer"},
    "structure": {"structure", "organisme", "organisation", "organization"},
    "entered_on": {"date d entree", "date entree", "entree", "entree le", "entry date", "entered on", "start date"},
    "household_size": {"personnes au foyer", "nombre de personnes au foyer", "nb personnes au foyer",
                       "composition du foyer", "foyer", "household size", "household"},
    "epicerie_until": {"epicerie jusqu au", "epicerie jusqu a", "acces epicerie jusqu au", "fin epicerie",
                       "epicerie until", "grocery until"},
}
REQUIRED = ("last_name", "first_name")
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 20_000
# What an .xlsx may expand to (a list of 20,000 people takes a few megabytes; a worker must stay small).
XLSX_MAX_EXPANDED = 40 * 1024 * 1024
XLSX_MAX_COLUMNS = 100
# 20,000 people in a dozen columns; openpyxl reads about 100,000 cells a second on the box.
XLSX_MAX_CELLS = 400_000
XLSX_MAX_SECONDS = 20
MAX_CELL_CHARS = 1000


class SpreadsheetError(ValueError):
    """A file that cannot be read as a table of participants; the message is for people."""


@dataclass
class Table:
    columns: dict[str, int]  # field -> column index
    rows: list[tuple[int, list[str]]]  # (line in the file, cells), after the header


def normalise_header(text: str) -> str:
    """'Date d'entrée (JJ/MM/AAAA) :' -> 'date d entree'."""
    text = re.sub(r"\(.*?\)", " ", text or "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", search_key(text)).split())


def read_table(data: bytes) -> Table:
    """The rows of a CSV or XLSX file with its recognised columns; SpreadsheetError if it is not one."""
    if not data.strip():
        raise SpreadsheetError(_("Le fichier est vide."))
    if data.startswith(b"PK\x03\x04"):
        lines = _xlsx_lines(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(_("Ancien format Excel (.xls) : enregistrez le fichier en CSV ou en .xlsx."))
    else:
        lines = _csv_lines(_decode(data))
    return _find_columns(lines)


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data:
        raise SpreadsheetError(_("Ce fichier n'est pas un tableau lisible (CSV ou Excel)."))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # What French Excel writes; the few bytes Windows-1252 leaves undefined fall back to Latin-1.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _csv_lines(text: str):
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first.count) if any(sep in first for sep in ";,\t") else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    last_line = 0
    try:
        for cells in reader:
            yield last_line + 1, cells
            last_line = reader.line_num
    except csv.Error as exc:
        raise SpreadsheetError(_("Ligne %(line)s illisible : %(error)s", line=last_line + 1, error=exc)) from exc


def _xlsx_lines(data: bytes):
    from openpyxl import load_workbook

    check_xlsx_expansion(data)
    started = time.monotonic()
    rows, cells = [], 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            for values in workbook.worksheets[0].iter_rows(values_only=True, max_row=MAX_ROWS + 50,
                                                           max_col=XLSX_MAX_COLUMNS):
                width = len(values)  # openpyxl pads each row to max_col: count the cells really there
                while width and values[width - 1] is None:
                    width -= 1
                values = values[:width]
                cells += width
                if cells > XLSX_MAX_CELLS or time.monotonic() - started > XLSX_MAX_SECONDS:
                    raise SpreadsheetTooBig()
                rows.append(values)
            workbook.close()
    except SpreadsheetTooBig:
        raise SpreadsheetError(too_big_message()) from None
    except Exception as exc:  # a damaged or foreign zip: any failure means "unreadable"
        raise SpreadsheetError(_("Ce fichier Excel est illisible.")) from exc
    for number, values in enumerate(rows, start=1):
        yield number, [_cell_text(value) for value in values]


class SpreadsheetTooBig(Exception):
    """More cells, or longer to read, than a list of participants ever needs."""


def too_big_message() -> str:  # noqa: N802 (a message, translated when shown)
    return _("Ce fichier Excel est trop gros une fois ouvert (trop de cellules ou de texte) : "
             "gardez seulement la liste des participants, ou enregistrez-la en CSV.")


def check_xlsx_expansion(data: bytes) -> None:
    """Refuse a workbook before opening it when its parts would expand past what a list of people
    needs (a 300 KB file can hold a 300 MB string). The sizes a zip declares are the ones its
    reader keeps to: a part that inflates further fails its check."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SpreadsheetError(_("Ce fichier Excel est illisible.")) from exc
    if len(parts) > 1000 or sum(part.file_size for part in parts) > XLSX_MAX_EXPANDED:
        raise SpreadsheetError(too_big_message())
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for part in parts:
                if part.filename.startswith(("xl/worksheets/", "xl/sharedStrings")):
                    scan_part(archive, part)
    except SpreadsheetTooBig:
        raise SpreadsheetError(too_big_message()) from None
    except SpreadsheetError:
        raise
    except Exception as exc:  # a part that does not inflate as declared: damaged or forged
        raise SpreadsheetError(_("Ce fichier Excel est illisible.")) from exc


# How a cell begins: <c …>, <c/>, or with a namespace prefix (<x:c …>). Counted with bytes.count (no
# list of matches built); the few other tags beginning with "c" (<cols>, <col …>) only add a little.
CELL_STARTS = (b"<c", b":c ", b":c>", b":c/")


def _cells_in(data: bytes) -> int:
    return sum(data.count(start) for start in CELL_STARTS)


def scan_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Read a sheet or the shared strings as they inflate, before openpyxl builds anything: too many
    cells (SpreadsheetTooBig), or a text longer than a cell may hold (SpreadsheetError), refused in
    a fraction of a second rather than after seconds of parsing and a worker's memory."""
    cells, run, tail = 0, 0, b""
    longest_bytes = 4 * MAX_CELL_CHARS + 64  # UTF-8 takes up to 4 bytes a character; a tag's name adds some
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            cells += _cells_in(window) - _cells_in(tail)
            tail = window[-16:]
            if cells > XLSX_MAX_CELLS:
                raise SpreadsheetTooBig()
            # The bytes between two "<" are one tag and the text after it: the longest such run.
            pieces = chunk.split(b"<")
            if len(pieces) == 1:
                longest, run = run + len(chunk), run + len(chunk)
            else:
                longest = max(run + len(pieces[0]), max(map(len, pieces[1:-1]), default=0))
                run = len(pieces[-1])
            if max(longest, run) > longest_bytes:
                raise SpreadsheetError(_("Une cellule du fichier contient un texte trop long (%(max)s caractères au plus).",
                                         max=MAX_CELL_CHARS))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise SpreadsheetError(_("Une cellule du fichier contient un texte trop long (%(max)s caractères au plus).",
                                 max=MAX_CELL_CHARS))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _find_columns(lines) -> Table:
    seen = []
    for line, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue
        columns = {}
        for index, cell in enumerate(cells):
            header = normalise_header(cell)
            for field, names in HEADERS.items():
                if header in names and field not in columns:
                    columns[field] = index
        if all(field in columns for field in REQUIRED):
            rows = []
            for row in lines:
                rows.append(row)
                if len(rows) > MAX_ROWS:
                    raise SpreadsheetError(_("Fichier trop long : %(max)s lignes au plus.", max=MAX_ROWS))
            return Table(columns=columns, rows=rows)
        seen.append(line)
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    raise SpreadsheetError(
        _("Colonnes « Nom » et « Prénom » introuvables sur la ligne d'en-tête du fichier.")
    )
