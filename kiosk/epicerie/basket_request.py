"""Reading a basket as the API receives it: strict types, one message per wrong field, a digest.

Decisions (documented in openapi.py too):
- money (`value_eur`, `paid_eur`) is a JSON *string* "0" to "9999.99" with a dot and at most two
  decimals; a JSON number is refused, integer or not, so that no amount ever passes through a float;
- `quantity` is a JSON integer 1–999 (a boolean is not an integer, 2.0 is not either);
- `weight_kg` is a JSON number 0–999, stored rounded to the gram;
- every key of a line is required (but `product`, the price list's product id, which must belong
  to the line's category), unknown keys are refused, and so is a body naming both `code` and
  `participant_id`;
- the participant's share cannot be more than the basket's value, nor, for Banque Alimentaire
  products, more than the lower rate the centre set for them;
- `override_reason` (1–300 characters) is a coordinator's reason to pass a limit of the rules.
"""

import hashlib
import json
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _

from kiosk.platform.api import fail
from kiosk.models import Category, Product
from kiosk.platform.money import parse_cents

IDEMPOTENCY_KEY_MAX = 64
MONEY_PATTERN = re.compile(r"[0-9]{1,4}(\.[0-9]{1,2})?")
MAX_CODE = 256
MAX_ID = 2**31 - 1
MAX_LINES = 100
MAX_QUANTITY = 999
MAX_WEIGHT_KG = 999
HOUSEHOLD_KEYS = {"code", "participant_id"}
BASKET_KEYS = {"lines", "paid_eur", "override_reason"}
LINE_KEYS = ("category", "quantity", "weight_kg", "value_eur")
OPTIONAL_LINE_KEYS = ("product",)
MAX_REASON = 300


@dataclass(frozen=True)
class Catalogue:
    """What a line may name: the active categories by code and the active products by id."""

    categories: dict[str, Category]
    products: dict[int, Product]


@dataclass(frozen=True)
class LineRequest:
    category: Category
    quantity: int
    weight_g: int
    value_cents: int
    product: Product | None = None

    @property
    def banque_alimentaire(self) -> bool:
        return self.product is not None and self.product.banque_alimentaire


@dataclass(frozen=True)
class BasketRequest:
    """A basket as the services take it: parsed, checked values (never the raw JSON)."""

    lines: list[LineRequest]
    paid_cents: int | None  # None on a correction that lets the box compute the share
    code: str | None = None
    participant_id: int | None = None
    override_reason: str | None = None

    @property
    def value_cents(self) -> int:
        return sum(line.value_cents for line in self.lines)

    @property
    def banque_alimentaire_cents(self) -> int:
        return sum(line.value_cents for line in self.lines if line.banque_alimentaire)


def valid_idempotency_key(raw: str | None) -> str | None:
    """The key when it is 1 to 64 printable ASCII characters (a UUID is expected), else None."""
    if raw is None or not 1 <= len(raw) <= IDEMPOTENCY_KEY_MAX:
        return None
    if not all(" " <= ch <= "~" for ch in raw) or not raw.strip():
        return None
    return raw


def request_digest(body: dict) -> str:
    """The digest of the body in canonical form (sorted keys, no spaces): repeats compare on it."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_money(value) -> int | None:
    """Cents from a decimal string "12.50"; None when it is not one (numbers are refused)."""
    if not isinstance(value, str) or not MONEY_PATTERN.fullmatch(value):
        return None
    return parse_cents(value)


def parse_weight_g(value) -> int | None:
    """Grams from a number of kilograms 0–999; None when it is not one."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not 0 <= value <= MAX_WEIGHT_KG:
        return None
    return int((Decimal(str(value)) * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _parse_product(where: str, line: dict, category: Category | None, catalogue: Catalogue,
                   found: dict) -> Product | None:
    if line.get("product") is None:
        return None
    raw = line["product"]
    product = catalogue.products.get(raw) if is_int(raw) else None
    if product is None:
        found[f"{where}.product"] = _("Produit inconnu ou retiré de la liste des prix.")
    elif category is not None and product.category_id != category.id:
        found[f"{where}.product"] = _("Ce produit n'est pas de cette catégorie.")
    return product


def _parse_line(index: int, line, catalogue: Catalogue, errors: dict) -> LineRequest | None:
    where = f"lines[{index}]"
    if not isinstance(line, dict):
        errors[where] = _("Chaque ligne est un objet avec category, quantity, weight_kg et value_eur.")
        return None
    known = set(LINE_KEYS) | set(OPTIONAL_LINE_KEYS)
    found: dict[str, str] = {f"{where}.{key}": _("Champ inconnu.") for key in set(line) - known}
    categories = catalogue.categories
    category = categories.get(line["category"]) if isinstance(line.get("category"), str) else None
    quantity = line.get("quantity")
    weight_g = parse_weight_g(line.get("weight_kg"))
    value_cents = parse_money(line.get("value_eur"))
    if category is None:
        found[f"{where}.category"] = _("Catégorie inconnue.")
    product = _parse_product(where, line, category, catalogue, found)
    if not is_int(quantity) or not 1 <= quantity <= MAX_QUANTITY:
        found[f"{where}.quantity"] = _("La quantité est un nombre entier de 1 à 999.")
    if weight_g is None:
        found[f"{where}.weight_kg"] = _("Le poids est un nombre de kilos de 0 à 999.")
    if value_cents is None:
        found[f"{where}.value_eur"] = _("La valeur s'écrit comme « 12.50 », de 0 à 9999.99 €.")
    errors.update(found)
    return None if found else LineRequest(category, quantity, weight_g, value_cents, product)


def _parse_lines(body: dict, catalogue: Catalogue, errors: dict) -> list[LineRequest]:
    raw_lines = body.get("lines")
    if not isinstance(raw_lines, list) or not 1 <= len(raw_lines) <= MAX_LINES:
        errors["lines"] = _("Le panier a de 1 à 100 lignes.")
        return []
    lines = [_parse_line(i, line, catalogue, errors) for i, line in enumerate(raw_lines)]
    return [line for line in lines if line is not None]


def _parse_household(body: dict, errors: dict) -> tuple[str | None, int | None]:
    code, participant_id = body.get("code"), body.get("participant_id")
    if ("code" in body) == ("participant_id" in body):
        errors["participant"] = _("Indiquez soit la carte (code), soit le foyer (participant_id).")
    elif "code" in body and (not isinstance(code, str) or not code.strip() or len(code) > MAX_CODE):
        errors["code"] = _("Le code de la carte est un texte de 256 caractères au plus.")
    elif "participant_id" in body and (not is_int(participant_id) or not 1 <= participant_id <= MAX_ID):
        errors["participant_id"] = _("Le numéro du foyer est un nombre entier.")
    return code, participant_id


def _parse_reason(body: dict, errors: dict) -> str | None:
    reason = body.get("override_reason")
    if reason is None:
        return None
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON \
            or not reason.isprintable():
        errors["override_reason"] = _("La raison est un texte de 1 à 300 caractères.")
        return None
    return " ".join(reason.split())


def paid_error(paid_cents: int, lines: list[LineRequest], ba_cap_percent: int) -> str | None:
    """Why this share cannot be asked for these lines (more than their value, or beyond the Banque
    Alimentaire cap, its part rounded down), or None. Checked on a typed share and on the box's own."""
    value = sum(line.value_cents for line in lines)
    ba_value = sum(line.value_cents for line in lines if line.banque_alimentaire)
    if paid_cents > value:
        return _("La participation ne peut pas dépasser la valeur du panier.")
    if paid_cents > value - ba_value + (ba_value * ba_cap_percent) // 100:
        return _(
            "La participation dépasse ce que permet la Banque Alimentaire : au plus %(percent)s %% "
            "de la valeur de ses produits.", percent=ba_cap_percent)
    return None


def _check_paid(paid_cents: int, lines: list[LineRequest], ba_cap_percent: int, errors: dict) -> None:
    if (message := paid_error(paid_cents, lines, ba_cap_percent)) is not None:
        errors["paid_eur"] = message


def parse_basket(body: dict, catalogue: Catalogue, with_household: bool = True,
                 ba_cap_percent: int = 100) -> BasketRequest:
    """A valid basket request, or ValidationFailed (422) naming every wrong field.

    On a correction (`with_household=False`) `paid_eur` may be left out: the box computes the share.
    """
    errors: dict[str, str] = {}
    allowed = BASKET_KEYS | (HOUSEHOLD_KEYS if with_household else set())
    for key in sorted(set(body) - allowed):
        errors[key] = _("Champ inconnu.")
    code = participant_id = None
    if with_household:
        code, participant_id = _parse_household(body, errors)
    lines = _parse_lines(body, catalogue, errors)
    reason = _parse_reason(body, errors)
    paid_cents = None
    if with_household or "paid_eur" in body:
        paid_cents = parse_money(body.get("paid_eur"))
        if paid_cents is None:
            errors["paid_eur"] = _("La participation s'écrit comme « 1.25 », de 0 à 9999.99 €.")
        elif not errors:
            _check_paid(paid_cents, lines, ba_cap_percent, errors)
    if errors:
        fail(**errors)
    return BasketRequest(lines, paid_cents, code if isinstance(code, str) else None,
                         participant_id if is_int(participant_id) else None, reason)
