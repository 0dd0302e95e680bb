"""Reading spreadsheet cells: dates as French people write them, headers however they are spelled."""

from datetime import date

import pytest

from kiosk.imports.services import parse_day
from kiosk.people.services import ParticipantError
from kiosk.imports.spreadsheets import HEADERS, normalise_header


@pytest.mark.parametrize("text, expected", [
    ("05/09/2026", date(2026, 9, 5)),
    ("5/9/2026", date(2026, 9, 5)),
    ("05-09-2026", date(2026, 9, 5)),
    ("05.09.26", date(2026, 9, 5)),
    ("2026-09-05", date(2026, 9, 5)),
    ("05/09/2026 00:00", date(2026, 9, 5)),
    ("29/02/2028", date(2028, 2, 29)),
    ("", None),
    ("   ", None),
])
def test_dates_read(app, text, expected):
    """Are the ways French spreadsheets write a day all read as that day (DD/MM first, never MM/DD)?"""
    assert parse_day(text, "Date") == expected


@pytest.mark.parametrize("text", ["31/09/2026", "29/02/2026", "00/01/2026", "12/13/2026", "2026-02-30"])
def test_impossible_dates_refused(app, text):
    """Is a day that does not exist refused, the message quoting it?"""
    with pytest.raises(ParticipantError, match="impossible") as error:
        parse_day(text, "Date d'entrée")
    assert text in str(error.value)


@pytest.mark.parametrize("text", ["demain", "5 septembre", "05/09", "2026", "1/1/1/1"])
def test_unreadable_dates_refused(app, text):
    """Is text that is no date refused as unreadable?"""
    with pytest.raises(ParticipantError, match="illisible"):
        parse_day(text, "Date d'entrée")


@pytest.mark.parametrize("header, field", [
    ("Nom", "last_name"), ("NOM ", "last_name"), ("Last name", "last_name"), ("Prénom", "first_name"),
    ("PRENOM", "first_name"), ("First Name", "first_name"), ("Téléphone", "phone"), ("Tél.", "phone"),
    ("Orienté par", "referrer_name"), ("Orienté(e) par", "referrer_name"), ("Referred by", "referrer_name"),
    ("Structure", "structure"), ("Organisation", "structure"), ("Date d'entrée", "entered_on"),
    ("Date d’entrée", "entered_on"), ("Date d'entrée (JJ/MM/AAAA)", "entered_on"), ("Entry date", "entered_on"),
    ("Personnes au foyer", "household_size"), ("Household size", "household_size"),
    ("Épicerie jusqu'au", "epicerie_until"), ("Epicerie until", "epicerie_until"),
])
def test_headers_recognised(header, field):
    """Is each header recognised in French or English, whatever its case, accents or apostrophe?"""
    assert normalise_header(header) in HEADERS[field]


@pytest.mark.parametrize("header", ["Date de naissance", "Adresse", "Nom du référent", "Prénom et nom"])
def test_other_headers_ignored(header):
    """Are other columns (birth date, address...) not taken for a kept one?"""
    assert all(normalise_header(header) not in names for names in HEADERS.values())
