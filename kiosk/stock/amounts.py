"""Reading the stock's amounts: kilos to grams and euros to cents, within one line's bounds.

The API takes `weight_kg` as a JSON number and `value_eur` as a decimal string (never a float,
as for baskets); the pages take what people type ("1,5", "12,50").
"""

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kiosk.models.stock import MAX_STOCK_VALUE_CENTS, MAX_STOCK_WEIGHT_G
from kiosk.platform.money import MoneyError, parse_cents

MAX_KG = MAX_STOCK_WEIGHT_G // 1000  # 9 999 kg
API_MONEY = re.compile(r"[0-9]{1,5}(\.[0-9]{1,2})?")


def grams_from_kg(value) -> int | None:
    """Grams from a JSON number of kilograms 0–9999 (to the gram); None when it is not one."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not 0 <= value <= MAX_KG:
        return None
    return int((Decimal(str(value)) * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents_from_api(value) -> int | None:
    """Cents from a decimal string "0" to "99999.99"; None otherwise (numbers are refused)."""
    if not isinstance(value, str) or not API_MONEY.fullmatch(value):
        return None
    return parse_cents(value, maximum=MAX_STOCK_VALUE_CENTS)


def grams_from_text(text: str) -> int:
    """Grams from what a person typed ("1,5", "12", "0.250"); ValueError when it is not 0–9999 kg."""
    cleaned = (text or "").strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    if not cleaned or len(cleaned) > 12 or not cleaned.isascii():
        raise ValueError(text)
    try:
        kilos = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not kilos.is_finite() or not 0 <= kilos <= MAX_KG:
        raise ValueError(text)
    return int((kilos * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents_from_text(text: str) -> int:
    """Cents from what a person typed ("12,50"); ValueError when it is not 0–99 999,99 €."""
    try:
        return parse_cents(text, maximum=MAX_STOCK_VALUE_CENTS)
    except MoneyError:
        raise ValueError(text) from None
