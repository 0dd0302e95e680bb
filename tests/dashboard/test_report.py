"""The period figures and the trends, against the hand-computed year 2025 (the year's documents: tests/reports)."""

import re
from datetime import date

import pytest

from kiosk.reports.period import period_report, trends
from kiosk.models import ExitReason, Role


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
