"""Basket line categories: the tiles of the tablet, set by the coordinator.

A category's `code` is what the API speaks (`"category": "frais"`); it never changes, so that a
basket waiting on a tablet still means the same thing. The label, the order and whether the
tile shows can change at any time.
"""

import re

from flask_babel import gettext as _

from kiosk.audit import AuditAction, record_audit
from kiosk.platform.extensions import db
from kiosk.models import Category
from kiosk.platform.text import search_key

# Given to a centre that has none yet (first use of the tablet or of the settings screen).
DEFAULT_CATEGORIES = [
    ("fruits_legumes", "Fruits et légumes", "apple"),
    ("frais", "Produits frais", "cheese"),
    ("epicerie_seche", "Épicerie sèche", "pasta"),
    ("hygiene", "Hygiène", "soap"),
    ("bebe", "Bébé", "baby"),
    ("entretien", "Entretien", "spray"),
]
MAX_LABEL = 80


class CategoryError(ValueError):
    """A category change that cannot be made; the message is for people."""


def has_categories() -> bool:
    """Whether the centre has any category at all (active or not)."""
    return db.session.scalar(db.select(Category.id).limit(1)) is not None


def ensure_default_categories() -> list[Category]:
    """Create the usual six categories when the centre has none; flushes, never commits."""
    if has_categories():
        return []
    created = [
        Category(code=code, label=label, pictogram=picto, position=index)
        for index, (code, label, picto) in enumerate(DEFAULT_CATEGORIES)
    ]
    db.session.add_all(created)
    db.session.flush()
    return created


def active_categories() -> list[Category]:
    """The categories shown on the tablet, in the coordinator's order."""
    return db.session.scalars(
        db.select(Category).where(Category.active.is_(True)).order_by(Category.position, Category.id)
    ).all()


def all_categories() -> list[Category]:
    """Every category, active ones first, in order."""
    return db.session.scalars(
        db.select(Category).order_by(Category.active.desc(), Category.position, Category.id)
    ).all()


def _clean_label(label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise CategoryError(_("Donnez un nom à la catégorie."))
    if len(label) > MAX_LABEL:
        raise CategoryError(_("Nom trop long (80 caractères au plus)."))
    return label


def _new_code(label: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", search_key(label)).strip("_")[:32] or "categorie"
    taken = set(db.session.scalars(db.select(Category.code).where(Category.code.like(f"{base}%"))))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def add_category(label: str) -> Category:
    """Add a category at the end of the tiles; its code comes from the label."""
    label = _clean_label(label)
    last = db.session.scalar(db.select(db.func.max(Category.position))) or 0
    category = Category(code=_new_code(label), label=label, position=last + 1)
    db.session.add(category)
    db.session.flush()
    record_audit(AuditAction.CREATE, "category", category.id)
    return category


def rename_category(category: Category, label: str) -> None:
    """Change the label shown on the tile (the code stays)."""
    category.label = _clean_label(label)
    db.session.flush()
    record_audit(AuditAction.UPDATE, "category", category.id, {"fields": ["label"]})


def set_category_active(category: Category, active: bool) -> None:
    """Show or hide a tile; past baskets keep their lines."""
    if category.active != active:
        category.active = active
        db.session.flush()
        record_audit(AuditAction.UPDATE, "category", category.id, {"fields": ["active"], "before": {"active": not active}})


def move_category(category: Category, step: int) -> None:
    """Move a tile one place earlier (-1) or later (+1) among the active ones."""
    ordered = active_categories() if category.active else all_categories()
    index = next((i for i, c in enumerate(ordered) if c.id == category.id), None)
    if index is None or not 0 <= index + step < len(ordered):
        return
    ordered.insert(index + step, ordered.pop(index))
    for position, item in enumerate(ordered):
        item.position = position
    db.session.flush()
    record_audit(AuditAction.UPDATE, "category", category.id, {"fields": ["position"]})
