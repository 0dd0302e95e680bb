"""The price list: a few products per category, each with its unit and the value of one unit.

On the tablet a volunteer taps a product and a quantity, and the line's value is quantity × unit
value. A product may be marked as coming from the Banque Alimentaire: the share asked for it is
capped at the rate the centre set for those products. Products are hidden, never deleted, so
that past lines keep their name.
"""

from collections import defaultdict

from flask_babel import gettext as _

from kiosk.audit import AuditAction, record_audit
from kiosk.models import Category, Product
from kiosk.platform.extensions import db

MAX_NAME = 80
MAX_UNIT = 20
MAX_UNIT_VALUE_CENTS = 999_999


class ProductError(ValueError):
    """A product that cannot be recorded; the message is for people."""


def _clean(text: str | None, most: int, missing: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ProductError(missing)
    if len(text) > most or not text.isprintable():
        raise ProductError(_("Texte trop long ou avec des caractères invisibles."))
    return text


def _check(category: Category | None, name, unit, unit_value_cents) -> tuple[str, str]:
    if category is None:
        raise ProductError(_("Catégorie inconnue."))
    if unit_value_cents is None or not 0 <= unit_value_cents <= MAX_UNIT_VALUE_CENTS:
        raise ProductError(_("Valeur d'une unité entre 0 et 9 999,99 €."))
    return _clean(name, MAX_NAME, _("Donnez un nom au produit.")), _clean(unit, MAX_UNIT, _("Indiquez l'unité."))


def add_product(category: Category | None, name: str, unit: str, unit_value_cents: int | None,
                banque_alimentaire: bool = False) -> Product:
    """Add a product to the price list of a category."""
    name, unit = _check(category, name, unit, unit_value_cents)
    product = Product(category=category, name=name, unit=unit, unit_value_cents=unit_value_cents,
                      banque_alimentaire=bool(banque_alimentaire))
    db.session.add(product)
    db.session.flush()
    record_audit(AuditAction.CREATE, "product", product.id)
    return product


def update_product(product: Product, category: Category | None, name: str, unit: str,
                   unit_value_cents: int | None, banque_alimentaire: bool) -> None:
    """Change a product (its price from now on; past baskets keep their values)."""
    name, unit = _check(category, name, unit, unit_value_cents)
    before = {"unit_value_cents": product.unit_value_cents, "banque_alimentaire": product.banque_alimentaire}
    product.category, product.name, product.unit = category, name, unit
    product.unit_value_cents, product.banque_alimentaire = unit_value_cents, bool(banque_alimentaire)
    db.session.flush()
    record_audit(AuditAction.UPDATE, "product", product.id, {"before": before})


def set_product_active(product: Product, active: bool) -> None:
    """Show or hide a product on the tablet."""
    if product.active != active:
        product.active = active
        db.session.flush()
        record_audit(AuditAction.UPDATE, "product", product.id, {"fields": ["active"]})


def all_products() -> list[Product]:
    """Every product, by category order then name, active ones first."""
    return db.session.scalars(
        db.select(Product).join(Category)
        .order_by(Category.position, Category.id, Product.active.desc(), Product.name)
    ).all()


def price_list() -> dict[str, list[dict]]:
    """The active products by category code, as the tablet's script takes them."""
    listing = defaultdict(list)
    for product in all_products():
        if product.active and product.category.active:
            listing[product.category.code].append({
                "id": product.id, "name": product.name, "unit": product.unit,
                "unit_cents": product.unit_value_cents, "banque_alimentaire": product.banque_alimentaire,
            })
    return dict(listing)
