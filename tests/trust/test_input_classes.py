"""Classes of bad input that once gave a 500: lone surrogates in JSON, Unicode digits where
ASCII digits are meant."""

import uuid

import pytest

from kiosk.models import Role
from tests.people.conftest import run_kiosk  # noqa: F401  (the fixture)

SURROGATE = "\ud800"
UNICODE_DIGITS = ["²", "١٢", "①", "٣"]


def basket_body(**changes):
    body = {"code": "X", "paid_eur": "0.50",
            "lines": [{"category": "fruits_legumes", "quantity": 1, "weight_kg": 1, "value_eur": "2.00"}]}
    body.update(changes)
    return body


@pytest.mark.parametrize("path, body", [
    ("/api/checkins", {"code": SURROGATE}),
    ("/api/households/lookup", {"code": SURROGATE}),
    ("/api/baskets", basket_body(code=SURROGATE)),
    ("/api/baskets", basket_body(paid_eur=SURROGATE)),
    ("/api/baskets", basket_body(lines=[{"category": SURROGATE, "quantity": 1, "weight_kg": 1, "value_eur": "1"}])),
    ("/api/baskets", basket_body(**{SURROGATE: 1})),
    ("/api/stock/arrivals", {"source": SURROGATE, "lines": []}),
])
def test_a_lone_surrogate_in_any_json_string_is_400(client, auth, path, body):
    """Is a lone surrogate anywhere in a JSON body (a value, a key, a nested list) a plain 400, not a 500?"""
    auth.login(Role.COORDINATOR)
    response = client.post(path, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 400 or (path == "/api/stock/arrivals" and response.status_code == 404)
    assert response.is_json and response.get_json()["error"]


def test_an_escaped_surrogate_pair_is_still_a_good_character(client, auth, make_participant, workshop_today):
    """Does a proper pair of surrogates (an emoji written as \\ud83d\\ude00) still reach the app as one character?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/api/checkins", data='{"code": "\\ud83d\\ude00"}', content_type="application/json")
    assert response.status_code == 404  # an unknown card, read as text


@pytest.mark.parametrize("digits", UNICODE_DIGITS)
@pytest.mark.parametrize("query", ["/participants?page={}", "/participants?referrer={}",
                                   "/participants/export.csv?referrer={}&page={}", "/participants/export.xlsx?page={}",
                                   "/dashboard/rappels/imprimer?orienteur={}", "/confidentialite/journal?avant={}"])
def test_unicode_digits_in_a_query_are_ignored_not_a_500(client, auth, make_participant, digits, query):
    """Are ², ١٢ and ① in a number of the query string read as no number, never a 500?"""
    make_participant()
    auth.login(Role.COORDINATOR)
    response = client.get(query.format(digits, digits))
    assert response.status_code in (200, 404), response.status_code


@pytest.mark.parametrize("size", UNICODE_DIGITS)
def test_unicode_digits_as_a_household_size_are_refused_on_their_line(run_kiosk, tmp_path, size):
    """Is a household size of ² in an imported file refused on its line, the CLI answering the
    contract's JSON rather than "Erreur inattendue : ValueError"?"""
    path = tmp_path / "liste.csv"
    path.write_text(f"Nom;Prénom;Personnes au foyer\nMartin;Kevin;{size}\nPetit;Nadia;2\n", encoding="utf-8")
    result = run_kiosk("participant", "import", path)
    assert result.returncode == 0, result.stderr
    assert '"created": 1' in result.stdout and '"line": 2' in result.stdout
    assert "Erreur inattendue" not in result.stderr


@pytest.mark.parametrize("raw", ["٣", "²", "1²"])
def test_unicode_digits_as_a_participant_id_are_one_line(run_kiosk, tmp_path, raw):
    """Does `kiosk cards pdf` answer a Unicode-digit id with one line and a non-zero exit?"""
    result = run_kiosk("cards", "pdf", "--out", tmp_path / "c.pdf", raw)
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1
    assert "Erreur inattendue" not in result.stderr and not (tmp_path / "c.pdf").exists()


@pytest.mark.parametrize("raw", ["٠١/٠١/٢٠٢٦", "01/01/٢٠٢٦"])
def test_unicode_digits_in_an_imported_date_are_refused(run_kiosk, tmp_path, raw):
    """Is a date written with Arabic-Indic digits refused on its line (not read as a date)?"""
    path = tmp_path / "liste.csv"
    path.write_text(f"Nom;Prénom;Date d'entrée\nMartin;Kevin;{raw}\n", encoding="utf-8")
    result = run_kiosk("participant", "import", path)
    assert '"created": 0' in result.stdout and '"line": 2' in result.stdout


@pytest.mark.parametrize("digits", UNICODE_DIGITS)
@pytest.mark.parametrize("path", ["/dashboard/bilan", "/dashboard/bilan.pdf", "/dashboard/bilan.xlsx"])
def test_unicode_digits_as_the_report_year_are_a_message_not_a_500(client, auth, digits, path):
    """Is ?annee=² (found by scripts/attack-figures.py) refused in words, never a 500?"""
    auth.login(Role.COORDINATOR)
    response = client.get(f"{path}?annee={digits}")
    assert response.status_code in (200, 400, 404), response.status_code
    if path == "/dashboard/bilan":
        assert "Année invalide" in response.get_data(as_text=True)


@pytest.mark.parametrize("digits", UNICODE_DIGITS)
def test_unicode_digits_in_the_import_choices_are_ignored(app, digits):
    """Are `same-²=1` or `same-2=²` on the import's confirmation read as no choice, never a 500?"""
    from werkzeug.datastructures import MultiDict

    from kiosk.imports.forms import same_person_choices

    assert same_person_choices(MultiDict({f"same-{digits}": "1", "same-2": digits, "same-3": "7"})) == {3: 7}


@pytest.mark.parametrize("digits", UNICODE_DIGITS)
def test_unicode_digits_as_the_workshop_weekday_mean_no_pattern(app, digits):
    """Is a stored weekday of ² read as no weekly pattern, never a ValueError on every page?"""
    from kiosk.programme.calendar import weekly_pattern
    from kiosk.settings import set_setting

    set_setting("workshop_weekday", digits)
    assert weekly_pattern().weekday is None
