"""Money travels as a decimal string with two places and is stored as integer cents."""

from decimal import Decimal, InvalidOperation

from flask import has_app_context
from flask_babel import format_currency

MAX_CENTS = 999_999  # 9 999.99 €


class MoneyError(ValueError):
    """A value that is not an amount of euros the centre can record."""


def parse_cents(value, maximum: int = MAX_CENTS) -> int:
    """Turn "12.50", "12,5" or 12 into 1250 cents; refuse floats, negatives and more than 2 places."""
    if isinstance(value, bool) or isinstance(value, float) or value is None:
        raise MoneyError("montant invalide")
    text = str(value).strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    if not text or len(text) > 12 or not text.isascii():
        raise MoneyError("montant invalide")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise MoneyError("montant invalide") from exc
    if not amount.is_finite():
        raise MoneyError("montant invalide")
    if amount < 0:
        raise MoneyError("montant négatif")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise MoneyError("deux décimales au plus")
    cents = int(cents)
    if cents > maximum:
        raise MoneyError("montant trop élevé")
    return cents


def format_cents(cents: int) -> str:
    """Turn 1250 into "12.50" (the JSON form)."""
    sign = "-" if cents < 0 else ""
    cents = abs(int(cents))
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def format_euros(cents: int) -> str:
    """Turn 1250 into the form people read in the screen's language: "12,50 €" in French, "€12.50"
    in English (Babel places the sign); the French form outside the app."""
    if not has_app_context():
        return format_cents(cents).replace(".", ",") + "\u00a0€"
    return format_currency(Decimal(int(cents)) / 100, "EUR")
