"""How the dashboard writes numbers and dates for people, in the screen's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import format_date, format_decimal

MISSING = "—"


def kilos(grams: int | None) -> str:
    """1234500 g -> "1 234,5 kg"."""
    return f"{format_decimal((grams or 0) / 1000, '#,##0.0')}\u00a0kg"


def number(value: float | None, pattern: str = "#,##0.#") -> str:
    return MISSING if value is None else format_decimal(value, pattern)


def percent(value: float | None) -> str:
    """12.345 -> "12,3 %"; nothing to divide -> a dash."""
    return MISSING if value is None else f"{format_decimal(value, '#,##0.0')}\u00a0%"


def euros(cents: int | None) -> str:
    """360553 -> "3 605,53 €" (exact: the cents never go through a float)."""
    return f"{format_decimal(Decimal(cents or 0) / 100, '#,##0.00')}\u00a0€"


def long_day(day: date | None) -> str:
    """jeudi 12 mars 2026."""
    return MISSING if day is None else format_date(day, "EEEE d MMMM y")


def short_day(day: date | None) -> str:
    """12/03/2026."""
    return MISSING if day is None else format_date(day, "dd/MM/y")


def month_name(day: date) -> str:
    """mars 2026."""
    return format_date(day, "MMMM y")


def short_month(day: date) -> str:
    """mars (the x axis of a chart)."""
    return format_date(day, "MMM")


HELPERS = {
    "kilos": kilos,
    "number": number,
    "percent": percent,
    "euros": euros,
    "long_day": long_day,
    "short_day": short_day,
    "month_name": month_name,
}
