"""The coordinator's price list: products per category, their unit and value."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from wtforms import SelectChoice

from kiosk.auth.access import allow
from kiosk.epicerie.categories import active_categories
from kiosk.epicerie.first_use import make_sure_categories_exist
from kiosk.epicerie.forms import ProductForm, money_cents
from kiosk.epicerie.products import ProductError, add_product, all_products, set_product_active, update_product
from kiosk.models import Category, Product, Role
from kiosk.platform.extensions import db
from kiosk.platform.money import format_cents

bp = Blueprint("products", __name__)
ID = "int(max=2147483647)"


def _form(blank: bool = False) -> ProductForm:
    form = ProductForm(formdata=None) if blank else ProductForm()
    form.category_id.choices = [SelectChoice(c.id, c.label) for c in active_categories()]
    return form


def _page(form, status=200):
    return render_template("epicerie/products.html", form=form, products=all_products(),
                           categories=active_categories(), format_cents=format_cents), status


@bp.get("/epicerie/produits")
@allow(Role.COORDINATOR)
def products():
    """The price list: what the tablet offers to tap, per category."""
    make_sure_categories_exist()
    return _page(_form(blank=True))


@bp.post("/epicerie/produits")
@allow(Role.COORDINATOR)
def add():
    """Add a product to the price list."""
    form = _form()
    if form.validate():
        try:
            product = add_product(db.session.get(Category, form.category_id.data or 0), form.name.data,
                                  form.unit.data, money_cents(form.unit_value), form.banque_alimentaire.data)
        except ProductError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Produit « %(name)s » ajouté.", name=product.name), "success")
            return redirect(url_for("epicerie.products.products"), code=303)
    return _page(form, 422)


@bp.post(f"/epicerie/produits/<{ID}:product_id>")
@allow(Role.COORDINATOR)
def change(product_id):
    """Save a product's new price or name, or hide or show it (the button pressed says which)."""
    product = db.get_or_404(Product, product_id)
    action = request.form.get("action")
    if action in ("hide", "show"):
        set_product_active(product, action == "show")
        return redirect(url_for("epicerie.products.products", _anchor=f"product-{product.id}"), code=303)
    if action != "save":
        abort(400)
    form = _form()
    if form.validate():
        try:
            update_product(product, db.session.get(Category, form.category_id.data or 0), form.name.data,
                           form.unit.data, money_cents(form.unit_value), form.banque_alimentaire.data)
        except ProductError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Produit « %(name)s » enregistré.", name=product.name), "success")
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(url_for("epicerie.products.products", _anchor=f"product-{product.id}"), code=303)
