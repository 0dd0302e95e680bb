"""The cooking workshop draws on the épicerie: a session's ingredients taken from the stock (workshop
use, not a household's basket), planned with the stock in view, and the session's recipe card."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.auth.access import allow
from kiosk.epicerie.categories import active_categories
from kiosk.epicerie.first_use import make_sure_categories_exist
from kiosk.models import Role, WorkshopUse
from kiosk.platform.extensions import db
from kiosk.platform.forms import EmptyForm
from kiosk.programme.blueprint import day_from_url
from kiosk.programme.calendar import sessions_between
from kiosk.programme.queries import roster
from kiosk.programme.services import day_row
from kiosk.stock.forms import IngredientForm, category_choices, cents_or_none, grams
from kiosk.stock.queries import stock_by_category
from kiosk.stock.services import StockError, give_back_workshop_use, use_for_workshop
from kiosk.stock.blueprint import bp


def _session_or_404(day):
    found = sessions_between(day, day)
    if not found:
        abort(404)
    return found[0]


def _uses(day) -> list[WorkshopUse]:
    return db.session.scalars(db.select(WorkshopUse).where(WorkshopUse.used_on == day)
                              .order_by(WorkshopUse.id)).all()


def render_workshop(day, form=None, status=200):
    """The session's ingredients, the form to take one more, and the stock beside it."""
    make_sure_categories_exist()
    form = form or IngredientForm(formdata=None)
    form.category.choices = category_choices(active_categories())
    return render_template("stock/workshop.html", session=_session_or_404(day), uses=_uses(day), form=form,
                           rows=stock_by_category(), remove_form=EmptyForm(formdata=None)), status


@bp.get("/stock/atelier/<day>")
@allow(Role.COORDINATOR)
def workshop(day):
    """Plan a cooking session's recipe with the stock in view: what it takes, what is left."""
    return render_workshop(day_from_url(day))


@bp.post("/stock/atelier/<day>")
@allow(Role.COORDINATOR)
def add_ingredient(day):
    """Take an ingredient from the stock for the session (workshop use)."""
    day = day_from_url(day)
    session = _session_or_404(day)
    form = IngredientForm()
    form.category.choices = category_choices(active_categories())
    if session.cancelled or not form.validate():
        if session.cancelled:
            flash(_("Cet atelier est annulé : rien n'est pris dans le stock."), "error")
        return render_workshop(day, form, 422)
    category = next(c for c in active_categories() if c.id == form.category.data)
    try:
        use_for_workshop(day, category, form.ingredient.data, grams(form.weight), cents_or_none(form.value),
                         by=current_user)
    except StockError as error:  # raised before anything was written
        form.weight.errors = [*form.weight.errors, str(error)]
        return render_workshop(day, form, 422)
    flash(_("Ingrédient pris dans le stock."), "success")
    return redirect(url_for(".workshop", day=day.isoformat()), code=303)


@bp.post("/stock/atelier/ingredient/<int:use_id>/retirer")
@allow(Role.COORDINATOR)
def remove_ingredient(use_id):
    """Give back to the stock an ingredient entered by mistake."""
    EmptyForm()
    use = db.get_or_404(WorkshopUse, use_id)
    day = use.used_on
    try:
        give_back_workshop_use(use, by=current_user)
    except StockError as error:
        flash(str(error), "error")
    else:
        flash(_("Ingrédient remis dans le stock."), "success")
    return redirect(url_for(".workshop", day=day.isoformat()), code=303)


@bp.get("/stock/atelier/<day>/fiche-recette")
@allow(Role.COORDINATOR)
def recipe_card(day):
    """The session's recipe card to print: the day, the activity, the ingredients and their quantities."""
    day = day_from_url(day)
    session = _session_or_404(day)
    expected = roster(day_row(day)).expected
    return render_template("stock/recipe_card.html", session=session, uses=_uses(day), expected=len(expected))
