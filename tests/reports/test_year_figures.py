"""The year's figures (CONTRACT.md "The year, as figures") against data made here and counted by hand.

On top of tests/dashboard/conftest.py's 2025 (see its docstring), this module adds: household sizes
(A 4, B 1, D 3), milestones (A: Carte SORTIR obtained 6/3/25 and used 5/6/25; B: job contract
1/3/25 and training 2/2/25 counted once per kind; C: orientation 2/12/24, in 2024), years of birth
(A 1990 → 35: 30–44; B 2001 → 24: 18–25; D 1964 → 61: 60+), self-assessments of B (entry food 1,
social 2; exit food 3, social 4) and basket lines by category.
"""

import json
from datetime import date
from decimal import Decimal

import pytest

from kiosk.models import Basket, BasketLine, Category, Milestone, MilestoneKind, Moment, SelfAssessment
from kiosk.platform.extensions import db
from kiosk.reports.figures import year_report


def kind(code):
    return db.session.scalar(db.select(MilestoneKind).where(MilestoneKind.code == code))


@pytest.fixture
def outcomes_2025(year_2025):
    """The additions of the module docstring, committed."""
    y = year_2025
    y.a.household_size, y.b.household_size, y.d.household_size = 4, 1, 3
    y.a.adults, y.a.children, y.d.adults, y.d.children = 1, 3, 2, 1
    y.a.birth_year, y.b.birth_year, y.d.birth_year = 1990, 2001, 1964
    y.a.sex, y.b.sex = "f", "x"
    for person, code, day in ((y.a, "sortir_obtained", date(2025, 3, 6)), (y.a, "sortir_used", date(2025, 6, 5)),
                              (y.b, "job_contract", date(2025, 3, 1)), (y.b, "job_contract", date(2025, 3, 2)),
                              (y.b, "training_started", date(2025, 2, 2)), (y.c, "orientation", date(2024, 12, 2))):
        db.session.add(Milestone(participant_id=person.id, kind=kind(code), happened_on=day))
    db.session.add(SelfAssessment(participant_id=y.b.id, moment=Moment.ENTRY, assessed_on=date(2025, 1, 9),
                                  food=1, social=2))
    db.session.add(SelfAssessment(participant_id=y.b.id, moment=Moment.EXIT, assessed_on=date(2025, 3, 6),
                                  food=3, social=4))
    fresh, dry = Category(code="frais", label="Frais", position=1), Category(code="sec", label="Épicerie sèche", position=2)
    db.session.add_all([fresh, dry])
    basket = db.session.scalar(db.select(Basket).where(Basket.participant_id == y.d.id))
    basket.lines.extend([BasketLine(category=fresh, quantity=2, weight_g=2000, value_cents=1000),
                         BasketLine(category=dry, quantity=1, weight_g=1125, value_cents=555)])
    db.session.commit()
    return y


def test_the_year_as_contract_json(outcomes_2025):
    """Are the contract's keys exactly the hand-counted figures of 2025 and 2024?"""
    figures = year_report(2025).as_json()
    assert figures == {
        "year": 2025, "workshop_days": 4, "checkins": 11, "people_came": 6, "average_attendance": 2.75,
        "households_served": 3, "people_in_households_served": 8, "baskets": 4, "weight_kg": 10.875,
        "value_eur": "56.00", "paid_eur": "7.16", "exits": {"work": 1, "training": 1},
        "milestones": {"training_started": 1, "job_contract": 1, "sortir_obtained": 1, "sortir_used": 1},
        "previous_year": {
            "year": 2024, "workshop_days": 1, "checkins": 2, "people_came": 2, "average_attendance": 2.0,
            "households_served": 1, "people_in_households_served": 4, "baskets": 1, "weight_kg": 1.0,
            "value_eur": "5.00", "paid_eur": "0.50", "exits": {"other": 1}, "milestones": {"orientation": 1},
        },
    }
    assert all(isinstance(figures[key], int) for key in ("workshop_days", "checkins", "baskets", "people_came"))
    assert Decimal(figures["value_eur"]) == Decimal("56.00")


def test_average_attendance_is_the_contract_division():
    """Is `average_attendance` exactly checkins / workshop_days (11 / 3, not 3.67), and 0 without a day?"""
    from kiosk.reports.figures import YearFigures

    assert YearFigures(year=2025, workshop_days=3, checkins=11).as_json()["average_attendance"] == 11 / 3
    assert YearFigures(year=2025).as_json()["average_attendance"] == 0


def test_a_year_with_nothing_is_zeros(app):
    """Does an empty year give zeros (average 0, not a division error) and empty objects?"""
    figures = year_report(2031).as_json()
    assert figures["workshop_days"] == 0 and figures["average_attendance"] == 0
    assert figures["exits"] == {} and figures["milestones"] == {} and figures["value_eur"] == "0.00"


def test_the_report_adds_outcomes_people_and_categories(outcomes_2025):
    """Are positive exits, regularity, households, age bands, categories and self-assessment as counted?"""
    c = year_report(2025).current
    assert (c.positive_exits, c.positive_exit_rate) == (2, 100)
    # days per person in 2025: A 4, B 2, C 1, D 2, G 1, H 1
    assert c.regularity == {(1, 1): 3, (2, 5): 3, (6, 11): 0, (12, None): 0}
    assert (c.adults, c.children, c.household_known) == (3, 4, 2)
    # followed in 2025: A B C D G H (F left in 2024, E entered 2026)
    assert c.age_bands["30_44"] == 1 and c.age_bands["18_25"] == 1 and c.age_bands["60_plus"] == 1
    assert c.age_bands["unknown"] == 3 and sum(c.age_bands.values()) == 6
    assert (c.sexes["f"], c.sexes["x"], c.sexes["unknown"]) == (1, 1, 4)
    assert [(r.code, r.weight_g, r.value_cents) for r in c.categories] == [("frais", 2000, 1000), ("sec", 1125, 555)]
    assert c.assessments == {"food": (1, 3), "social": (2, 4)} and c.assessed_people == 1
    # B: 9/1 → 6/3 (56 days), C: 6/2 → 5/6 (119 days): 87.5 days on average
    assert c.months_in_programme == round(87.5 / 30.44, 1)
    assert c.households_by_month == {1: 2, 3: 1, 6: 1}


def test_kiosk_report_writes_the_json(runner, outcomes_2025, tmp_path):
    """Does `kiosk report --format json` write the contract's figures to the file?"""
    out = tmp_path / "bilan.json"
    result = runner.invoke(args=["report", "--year", "2025", "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert (data["checkins"], data["paid_eur"], data["previous_year"]["exits"]) == (11, "7.16", {"other": 1})
    assert "previous_year" not in data["previous_year"]


@pytest.mark.parametrize("args, message", [
    (["--year", "1850", "--format", "json"], "hors de la plage"),
    (["--year", "2025", "--format", "doc"], "doc"),
])
def test_kiosk_report_bad_input_is_one_line(runner, app, tmp_path, args, message):
    """Is a bad year or format refused with a one-line message, a non-zero exit, and no file?"""
    out = tmp_path / "x.json"
    result = runner.invoke(args=["report", *args, "--out", str(out)])
    assert result.exit_code != 0 and message in result.output and not out.exists()


def test_kiosk_report_to_a_missing_folder(runner, app, tmp_path):
    """Is an --out in a folder that does not exist refused in one line?"""
    result = runner.invoke(args=["report", "--year", "2025", "--format", "json", "--out", str(tmp_path / "no" / "x")])
    assert result.exit_code != 0 and "dossier introuvable" in result.output
