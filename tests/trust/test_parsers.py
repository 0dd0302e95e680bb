"""Bad input at scale: hypothesis throws arbitrary text and bytes at every parser."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.epicerie.basket_request import parse_money, parse_weight_g, valid_idempotency_key
from kiosk.platform.money import MAX_CENTS, MoneyError, format_cents, parse_cents
from kiosk.cards.codes import ALPHABET, normalise_code
from kiosk.imports.services import plan_import
from kiosk.imports.spreadsheets import SpreadsheetError
from kiosk.platform.timezone import parse_iso_date

FIXTURES_OK = settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.none(), st.booleans()))
def test_parse_cents_answers_cents_or_a_money_error(value):
    """Does any value give either cents within bounds or MoneyError, never anything else?"""
    try:
        cents = parse_cents(value)
    except MoneyError:
        return
    assert isinstance(cents, int) and 0 <= cents <= MAX_CENTS


@given(st.decimals(min_value=0, max_value=Decimal("9999.99"), places=2))
def test_money_round_trips(amount):
    """Does every amount with two places survive the trip to cents and back?"""
    assert Decimal(format_cents(parse_cents(str(amount)))) == amount


@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(allow_nan=True), st.none(), st.lists(st.integers())))
def test_basket_money_and_weight_parsers_never_raise(value):
    """Do the basket's money and weight parsers answer a value or None for anything at all?"""
    money = parse_money(value)
    assert money is None or (isinstance(money, int) and money >= 0)
    weight = parse_weight_g(value)
    assert weight is None or (isinstance(weight, int) and 0 <= weight <= 999_000)


@given(st.one_of(st.text(max_size=100), st.none()))
def test_idempotency_key_is_a_short_printable_string_or_refused(value):
    key = valid_idempotency_key(value)
    assert key is None or (1 <= len(key) <= 64 and key.isprintable())


@given(st.text(max_size=40))
def test_parse_iso_date_is_strict(text):
    """Does any text give either None or the date whose ISO form it exactly is?"""
    day = parse_iso_date(text)
    assert day is None or (day.isoformat() == text and 1900 <= day.year <= 2200)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_parse_iso_date_accepts_every_real_day(day):
    assert parse_iso_date(day.isoformat()) == day


@given(st.text(alphabet=ALPHABET + ALPHABET.lower() + " \t\r\n", max_size=60))
def test_scanner_input_normalises_to_upper_case_without_blanks_around(raw):
    """Does whatever a scanner types (any case, stray spaces or Enter) normalise the same way?"""
    assert normalise_code(raw) == raw.strip().upper()
    assert normalise_code(raw.lower()) == normalise_code(raw.upper())


@FIXTURES_OK
@given(st.binary(max_size=600))
def test_import_of_any_bytes_plans_or_refuses_plainly(app, data):
    """Does any file give an import plan or a plain SpreadsheetError, never a crash?"""
    try:
        plan = plan_import(data)
    except SpreadsheetError as exc:
        assert str(exc)
        return
    summary = plan.summary()
    assert set(summary) == {"created", "skipped", "errors"}
    assert all(isinstance(error["line"], int) and error["message"] for error in summary["errors"])


CSV_CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=";\r\n\""), max_size=12)


@FIXTURES_OK
@given(st.lists(st.tuples(CSV_CELL, CSV_CELL, CSV_CELL, CSV_CELL), max_size=8), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_import_of_any_rows_never_crashes(app, rows, encoding):
    """Do arbitrary rows under the real headers, in each encoding Excel writes, import or refuse plainly?"""
    lines = ["Nom;Prénom;Date d'entrée;Personnes au foyer"] + [";".join(row) for row in rows]
    try:
        data = "\r\n".join(lines).encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        plan = plan_import(data)
    except SpreadsheetError:
        return
    assert len(plan.to_create) + len(plan.skipped) + len(plan.errors) <= len(rows)


@pytest.mark.parametrize("route", ["/api/checkins", "/api/baskets"])
@FIXTURES_OK
@given(body=st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=5)),
    max_leaves=20,
))
def test_any_json_body_is_answered_without_a_server_error(client, auth, route, body):
    """Is any JSON body to the write APIs answered with a 4xx or a success, never a 500?"""
    if not client.get_cookie("cepourmoi_session"):
        auth.login()
    response = client.post(route, json=body, headers={"Idempotency-Key": "fuzz-key"})
    assert response.status_code < 500, response.get_data(as_text=True)


@given(st.text(max_size=25))
def test_ascii_int_is_a_whole_number_in_ascii_digits_or_none(text):
    """Does any text give None or the number its ASCII digits spell, never an exception (², ①, ١)?"""
    from kiosk.platform.numbers import ascii_int

    value = ascii_int(text)
    assert value is None or (text.strip().isascii() and str(value) == text.strip().lstrip("0").rjust(1, "0"))
