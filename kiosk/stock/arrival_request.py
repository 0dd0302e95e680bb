"""Reading an arrival as POST /api/stock/arrivals receives it: strict types, one message per wrong field.

As for baskets: every key of a line is required, unknown keys are refused, money is a decimal
string; a weight is a number of kilos 0–9999, a value 0–99 999,99 €.
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from kiosk.models import ARRIVAL_SOURCES, Category, StockSource
from kiosk.platform.api import fail
from kiosk.stock.amounts import cents_from_api, grams_from_kg

MAX_LINES = 100
ARRIVAL_KEYS = {"source", "lines"}
LINE_KEYS = ("category", "weight_kg", "value_eur")


@dataclass(frozen=True)
class StockLine:
    category: Category
    weight_g: int
    value_cents: int


@dataclass(frozen=True)
class ArrivalRequest:
    source: StockSource
    lines: list[StockLine]


def _parse_line(index: int, line, categories: dict[str, Category], errors: dict) -> StockLine | None:
    where = f"lines[{index}]"
    if not isinstance(line, dict):
        errors[where] = _("Chaque ligne est un objet avec category, weight_kg et value_eur.")
        return None
    found = {f"{where}.{key}": _("Champ inconnu.") for key in sorted(set(line) - set(LINE_KEYS))}
    category = categories.get(line["category"]) if isinstance(line.get("category"), str) else None
    weight_g = grams_from_kg(line.get("weight_kg"))
    value_cents = cents_from_api(line.get("value_eur"))
    if category is None:
        found[f"{where}.category"] = _("Catégorie inconnue.")
    if weight_g is None:
        found[f"{where}.weight_kg"] = _("Le poids est un nombre de kilos de 0 à 9999.")
    if value_cents is None:
        found[f"{where}.value_eur"] = _("La valeur s'écrit comme « 12.50 », de 0 à 99999.99 €.")
    errors.update(found)
    return None if found else StockLine(category, weight_g, value_cents)


def parse_arrival(body: dict, categories: dict[str, Category]) -> ArrivalRequest:
    """A valid arrival, or ValidationFailed (422) naming every wrong field."""
    errors: dict[str, str] = {key: _("Champ inconnu.") for key in sorted(set(body) - ARRIVAL_KEYS)}
    source = body.get("source")
    if not isinstance(source, str) or source not in set(ARRIVAL_SOURCES):
        errors["source"] = _("Source inconnue : banque_alimentaire, ramasse, achat, don ou autre.")
    raw_lines = body.get("lines")
    lines: list[StockLine] = []
    if not isinstance(raw_lines, list) or not 1 <= len(raw_lines) <= MAX_LINES:
        errors["lines"] = _("Un arrivage a de 1 à 100 lignes (catégorie, poids, valeur).")
    else:
        parsed = [_parse_line(i, line, categories, errors) for i, line in enumerate(raw_lines)]
        lines = [line for line in parsed if line is not None]
    if errors:
        fail(**errors)
    return ArrivalRequest(StockSource(source), lines)
