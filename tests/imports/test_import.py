"""Importing participants from spreadsheets as centres have them (`kiosk participant import`)."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from kiosk.platform.extensions import db
from kiosk.models import Card, EpicerieAccess, Participant, ProgrammePeriod, Referrer
from tests.people.conftest import SAMPLE

FRENCH_HEADER = "Nom;Prénom;Date de naissance;Téléphone;Orienté par;Structure;Date d'entrée;Personnes au foyer;Épicerie jusqu'au"


def write(tmp_path, text: str, encoding="utf-8", name="liste.csv"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_the_sample_file(cli):
    """Does the French Excel sample give 4 created, 1 skipped, line 7 refused, the blank line 6 ignored?"""
    status, output, payload = cli("participant", "import", SAMPLE)
    assert status == 0, output
    assert payload["created"] == 4 and payload["skipped"] == 1
    assert [error["line"] for error in payload["errors"]] == [7]
    assert "31/09/2026" in payload["errors"][0]["message"]
    assert count(Participant) == 4 and count(Card) == 4

    maelle = db.session.scalar(db.select(Participant).where(Participant.first_name == "Maëlle"))
    assert maelle.last_name == "Le Goff" and maelle.phone == "+33612345678" and maelle.household_size == 3
    assert maelle.referrer.name == "Mme Briand" and maelle.referrer.structure == "CDAS Rennes Sud"
    assert maelle.periods[0].entered_on == date(2026, 9, 5) and maelle.is_active
    access = db.session.scalar(db.select(EpicerieAccess).where(EpicerieAccess.participant_id == maelle.id))
    assert (access.starts_on, access.ends_on) == (date(2026, 9, 5), date(2026, 12, 31))
    fatima = db.session.scalar(db.select(Participant).where(Participant.first_name == "Fatima"))
    assert db.session.scalar(db.select(EpicerieAccess).where(EpicerieAccess.participant_id == fatima.id)) is None
    kouassi = db.session.scalar(db.select(Participant).where(Participant.last_name == "Kouassi"))
    assert kouassi.first_name == "Jean-Éric" and kouassi.phone is None and kouassi.household_size == 4


def test_importing_again_skips_everyone(cli):
    """Is a second import of the same file all skipped, nothing doubled?"""
    cli("participant", "import", SAMPLE)
    _status, _output, payload = cli("participant", "import", SAMPLE)
    assert payload == {"created": 0, "skipped": 5, "errors": payload["errors"]}
    assert count(Participant) == 4


def test_dry_run_stores_nothing(cli):
    """Does --dry-run report the same counts and store nothing at all?"""
    _status, output, payload = cli("participant", "import", SAMPLE, "--dry-run")
    assert payload["created"] == 4 and payload["skipped"] == 1 and len(payload["errors"]) == 1
    assert count(Participant) == 0 and count(Referrer) == 0 and count(Card) == 0


ROWS = [
    ("Benali", "Fatima", "07 98 76 54 32", "M. Texier", "CCAS Vern", "12/09/2026", "1", ""),
    ("Hervé", "Noëlle", "", "Mme Briand", "CDAS Rennes Sud", "03/10/2026", "2", "31/01/2027"),
    ("Çelik", "Zoë", "", "", "", "", "", ""),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_encodings_and_separators(cli, tmp_path, encoding, separator):
    """Are UTF-8 (with or without BOM), Windows-1252 and UTF-16 files with ; , or tab all read, accents intact?"""
    header = ["Nom", "Prénom", "Téléphone", "Orienté par", "Structure", "Date d'entrée", "Personnes au foyer",
              "Épicerie jusqu'au"]
    lines = [separator.join(header)] + [separator.join(row) for row in ROWS]
    path = write(tmp_path, "\n".join(lines) + "\n", encoding)
    _status, output, payload = cli("participant", "import", path)
    assert payload == {"created": 3, "skipped": 0, "errors": []}, output
    names = sorted(db.session.execute(db.select(Participant.first_name, Participant.last_name)).all())
    assert names == [("Fatima", "Benali"), ("Noëlle", "Hervé"), ("Zoë", "Çelik")]


def test_english_headers_in_any_order(cli, tmp_path):
    """Are English headers recognised in another order, and unknown columns ignored?"""
    text = ("Household size,Epicerie until,First name,Notes,Last name,Referred by,Organisation,Entry date,Phone\n"
            "2,30/06/2027,Awa,remarque,Traoré,Mme Le Corre,CDAS Rennes Sud,01/10/2026,0611223344\n")
    _status, output, payload = cli("participant", "import", write(tmp_path, text))
    assert payload == {"created": 1, "skipped": 0, "errors": []}, output
    awa = db.session.scalar(db.select(Participant))
    assert (awa.first_name, awa.last_name, awa.household_size, awa.phone) == ("Awa", "Traoré", 2, "+33611223344")
    assert awa.referrer.structure == "CDAS Rennes Sud"
    assert awa.periods[0].entered_on == date(2026, 10, 1)


def test_refused_rows_are_reported_with_their_line(cli, tmp_path):
    """Are rows without names, or with impossible or unreadable dates, refused with their file line, the others kept?"""
    text = "\n".join([
        FRENCH_HEADER,
        "Martin;Kevin;;;;;01/10/2026;1;",           # 2: fine
        ";Nadia;;;;;;;",                              # 3: no last name
        "Haddad;;;;;;;;",                             # 4: no first name
        ";;;;;;;;",                                   # 5: blank, ignored
        "Moreau;Loïc;;;;;29/02/2026;1;",             # 6: 2026 is not a leap year
        "Petit;Brigitte;;;;;01/10/2026;1;32/01/2027",  # 7: day 32
        "Riou;Christophe;;;;;demain;1;",              # 8: unreadable
        "Sow;Mariama;;;;;01/10/2026;quarante;",       # 9: household size
        "Girard;Anthony;31/02/1980;;;;;;",            # 10: a birth date is ignored, even impossible
        "",                                            # 11: empty line, ignored
        "Tanguy;Thierry;;;;;29/02/2024;3;",           # 12: 2024 is a leap year
    ])
    _status, output, payload = cli("participant", "import", write(tmp_path, text + "\n"))
    assert [error["line"] for error in payload["errors"]] == [3, 4, 6, 7, 8, 9]
    assert payload["created"] == 3 and payload["skipped"] == 0
    messages = {error["line"]: error["message"] for error in payload["errors"]}
    assert "nom" in messages[3].lower() and "prénom" in messages[4].lower()
    assert "29/02/2026" in messages[6] and "32/01/2027" in messages[7] and "demain" in messages[8]
    assert sorted(db.session.scalars(db.select(Participant.last_name))) == ["Girard", "Martin", "Tanguy"]


def test_duplicates_in_file_and_in_database(cli, make_participant, tmp_path):
    """Are rows already present (same names and referrer, any case or accents) and repeats in the file skipped?"""
    make_participant("Fatima", "Benali", referrer_name="M. Texier")
    text = "\n".join([
        "Nom;Prénom;Orienté par",
        "BENALI;Fatima;M. Texier",      # already there (case differs)
        "Benali;Fatima;Mme Briand",     # another referrer: another person
        "Hervé;Noëlle;",
        "Herve;Noelle;",                # the same as line 4, without accents
        "Hervé;Noëlle;",
    ])
    _status, output, payload = cli("participant", "import", write(tmp_path, text + "\n"))
    assert payload == {"created": 2, "skipped": 3, "errors": []}, output
    assert count(Participant) == 3


def test_line_numbers_follow_the_file_with_multiline_cells(cli, tmp_path):
    """With a quoted cell over two lines, is a refused row still reported on its own line of the file?"""
    text = 'Nom;Prénom;Structure\nMartin;Kevin;"CCAS\nVern"\n;Nadia;\n'
    _status, _output, payload = cli("participant", "import", write(tmp_path, text))
    assert payload["errors"][0]["line"] == 4 and payload["created"] == 1


def test_title_line_above_the_header(cli, tmp_path):
    """Is a title line above the header tolerated, line numbers still counted from the top of the file?"""
    text = "Liste des participants 2026;;\nNom;Prénom;Date d'entrée\nMartin;Kevin;01/10/2026\nPetit;;\n"
    _status, _output, payload = cli("participant", "import", write(tmp_path, text))
    assert payload["created"] == 1 and payload["errors"][0]["line"] == 4


def test_excel_phone_without_leading_zero(cli, tmp_path):
    """Does a French mobile number that Excel stripped of its 0 come back with it?"""
    text = "Nom;Prénom;Téléphone\nMartin;Kevin;612345678\nPetit;Brigitte;+33 6 12 34 56 78\n"
    cli("participant", "import", write(tmp_path, text))
    phones = dict(db.session.execute(db.select(Participant.last_name, Participant.phone)).all())
    assert phones == {"Martin": "+33612345678", "Petit": "+33612345678"}


def test_xlsx_file(cli, tmp_path):
    """Is an Excel workbook read too, with real date cells?"""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Prénom", "Nom", "Date d'entrée", "Personnes au foyer", "Épicerie jusqu'au"])
    sheet.append(["Inès", "Mansour", date(2026, 10, 1), 3, date(2027, 3, 31)])
    sheet.append([None, None, None, None, None])
    sheet.append(["Erwan", None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "liste.xlsx"
    path.write_bytes(buffer.getvalue())
    _status, output, payload = cli("participant", "import", path)
    assert payload == {"created": 1, "skipped": 0, "errors": [{"line": 4, "message": payload["errors"][0]["message"]}]}
    ines = db.session.scalar(db.select(Participant))
    assert ines.household_size == 3 and ines.periods[0].entered_on == date(2026, 10, 1)


BAD_FILES = [b"", b"\n\n", b"bonjour;tout;le;monde\n1;2;3;4\n", b"\x00\x01\x02binaire",
             b"PK\x03\x04pas un vrai classeur", b"\xd0\xcf\x11\xe0ancien xls"]


@pytest.mark.parametrize("content", BAD_FILES)
def test_bad_files_are_refused(cli, tmp_path, content):
    """Is a file that is no participants table refused with a plain message, nothing stored?"""
    path = tmp_path / "mauvais.csv"
    path.write_bytes(content)
    status, output, _payload = cli("participant", "import", path)
    assert status != 0 and "Error" in output and "Traceback" not in output
    assert count(Participant) == 0


@pytest.mark.parametrize("content", [BAD_FILES[0], BAD_FILES[2]])
def test_bad_files_one_line_on_stderr(run_kiosk, tmp_path, content):
    """Through the real command, is a bad file one line on stderr and a non-zero exit, never a traceback?"""
    path = tmp_path / "mauvais.csv"
    path.write_bytes(content)
    result = run_kiosk("participant", "import", path)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Erreur")


def test_missing_file_one_line_on_stderr(run_kiosk, tmp_path):
    """Does a file that does not exist give one line on stderr and a non-zero exit?"""
    result = run_kiosk("participant", "import", tmp_path / "absent.csv")
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1


def test_sample_through_the_real_command(run_kiosk):
    """Does the installed `kiosk` command print the contract's JSON as its last line for the sample?"""
    import json

    result = run_kiosk("participant", "import", SAMPLE, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "created": 4, "skipped": 1,
        "errors": [{"line": 7, "message": "Date d'entrée impossible : « 31/09/2026 » n'existe pas."}],
    }
    assert count(ProgrammePeriod) == 0


def test_referrer_spelled_differently_is_the_same(cli, make_participant, tmp_path):
    """Is "mme briand" in a file the Mme Briand already known (one referrer, the person seen as already there)?"""
    make_participant("Fatima", "Benali", referrer_name="Mme Briand")
    text = "Nom;Prénom;Orienté par\nBenali;Fatima;mme  briand\nHervé;Noëlle;MME BRIAND\n"
    _status, output, payload = cli("participant", "import", write(tmp_path, text))
    assert payload == {"created": 1, "skipped": 1, "errors": []}, output
    assert db.session.scalars(db.select(Referrer.name)).all() == ["Mme Briand"]
