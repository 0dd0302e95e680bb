"""The stock pages: what is in stock, an arrival (on the tablet too), a loss, the month's sheet,
the year's figures by source (page and workbook). The cooking workshop's pages are in workshop_views.py."""

import re
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kiosk.auth.access import allow, current_device
from kiosk.centre.services import centre_identity
from kiosk.dashboard.formatting import HELPERS, kilos
from kiosk.epicerie.basket_request import request_digest
from kiosk.epicerie.categories import active_categories
from kiosk.epicerie.duty import on_duty
from kiosk.epicerie.first_use import make_sure_categories_exist
from kiosk.epicerie.services import KeyReused, StillProcessing
from kiosk.models import DeviceKind, LossReason, Role, StockArrival, StockLoss, StockSource
from kiosk.platform.downloads import download
from kiosk.platform.extensions import db
from kiosk.platform.forms import EmptyForm
from kiosk.platform.numbers import ascii_int
from kiosk.platform.timezone import local_day
from kiosk.stock import workshop_views  # noqa: F401  (its routes join the blueprint)
from kiosk.stock.blueprint import bp, is_coordinator
from kiosk.stock.forms import LossForm, arrival_form, inventory_form, category_choices, cents_or_none, grams
from kiosk.stock.pdf import month_sheet_pdf
from kiosk.stock.queries import month_sheet, stock_by_category, yearly_by_source
from kiosk.stock.start import stock_start
from kiosk.stock.services import (
    StockDateError, StockError, cancel_arrival, check_typed_day, may_cancel_arrival, open_stock, receive_stock,
    record_loss,
)
from kiosk.stock.xlsx import XLSX, yearly_xlsx

SERVING = (DeviceKind.TABLET, Role.VOLUNTEER, Role.COORDINATOR)
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
FIRST_YEAR, LAST_YEAR = 2000, 2100


@bp.get("/stock")
@allow(*SERVING)
def index():
    """What is in stock by category, the latest arrivals and losses, and the buttons to record them."""
    make_sure_categories_exist()
    arrivals = db.session.scalars(db.select(StockArrival).order_by(StockArrival.id.desc()).limit(8)).all()
    losses = db.session.scalars(db.select(StockLoss).order_by(StockLoss.id.desc()).limit(5)).all()
    who = on_duty()
    return render_template("stock/index.html", rows=stock_by_category(), arrivals=arrivals, losses=losses,
                           on_tablet=current_device() is not None,
                           cancellable={a.id for a in arrivals if may_cancel_arrival(a, who)},
                           cancel_form=EmptyForm(formdata=None))


def _nobody_on_duty():
    """On a tablet where no one said who serves: the name-and-PIN page (as /tablet), else None."""
    if current_device() is not None and on_duty() is None:
        return redirect(url_for("epicerie.tablet"), code=303)
    return None


def _arrival_digest(form, lines, day) -> str:
    return request_digest({"source": form.source.data, "day": day.isoformat(), "note": form.note.data or "",
                           "lines": [[line.category.code, line.weight_g, line.value_cents] for line in lines]})


@bp.route("/stock/arrivage", methods=["GET", "POST"])
@allow(*SERVING)
def arrival():
    """Record an arrival: tap where it comes from, type the kilos (and value) of each category."""
    if (shift_page := _nobody_on_duty()) is not None:
        return shift_page
    make_sure_categories_exist()
    categories = active_categories()
    form = arrival_form(categories)
    if form.validate_on_submit():
        lines = form.stock_lines(categories)
        day = (form.received_on.data if is_coordinator() else None) or local_day()
        try:
            check_typed_day(day)
            found, _created = receive_stock(StockSource(form.source.data), lines, day, form.key.data,
                                            _arrival_digest(form, lines, day), form.note.data, by=on_duty(),
                                            device=current_device())
        except StockDateError as error:
            form.received_on.errors = [*form.received_on.errors, str(error)]
        except StockError as error:
            flash(str(error), "error")
        except (KeyReused, StillProcessing):
            flash(_("Cet arrivage a déjà été enregistré."), "error")
            return redirect(url_for(".index"), code=303)
        else:
            flash(_("Arrivage enregistré : %(kilos)s, %(value)s.", kilos=kilos(found.weight_g),
                    value=HELPERS["euros"](found.value_cents)), "success")
            return redirect(url_for(".index"), code=303)
    return render_template("stock/arrival.html", form=form, categories=categories), \
        422 if request.method == "POST" else 200


@bp.route("/stock/perte", methods=["GET", "POST"])
@allow(*SERVING)
def loss():
    """Note food thrown away (out of date, damaged), by category."""
    if (shift_page := _nobody_on_duty()) is not None:
        return shift_page
    make_sure_categories_exist()
    form = LossForm()
    form.category.choices = category_choices(active_categories())
    if form.validate_on_submit():
        category = next(c for c in active_categories() if c.id == form.category.data)
        day = (form.happened_on.data if is_coordinator() else None) or local_day()
        try:
            check_typed_day(day)
            record_loss(category, LossReason(form.reason.data), grams(form.weight), cents_or_none(form.value), day,
                        form.note.data, by=on_duty(), device=current_device())
        except StockDateError as error:
            form.happened_on.errors = [*form.happened_on.errors, str(error)]
        except StockError as error:
            form.weight.errors = [*form.weight.errors, str(error)]
        else:
            flash(_("Perte enregistrée."), "success")
            return redirect(url_for(".index"), code=303)
    return render_template("stock/loss.html", form=form), 422 if request.method == "POST" else 200


@bp.post("/stock/arrivage/<int:arrival_id>/annuler")
@allow(*SERVING)
def cancel(arrival_id):
    """Cancel a mistaken arrival: by whoever noted it the same day, or a coordinator within the month."""
    if (shift_page := _nobody_on_duty()) is not None:
        return shift_page
    EmptyForm()
    found = db.get_or_404(StockArrival, arrival_id)
    try:
        cancel_arrival(found, by=on_duty(), device=current_device())
    except StockError as error:
        flash(str(error), "error")
    else:
        flash(_("Arrivage annulé : il ne compte plus dans le stock."), "success")
    return redirect(url_for(".index"), code=303)


@bp.route("/stock/inventaire", methods=["GET", "POST"])
@allow(Role.COORDINATOR)
def inventory():
    """The opening count: what is on the shelves on a day; the stock starts from it (nothing before counts)."""
    make_sure_categories_exist()
    categories = active_categories()
    form = inventory_form(categories)
    if request.method == "GET" and form.counted_on.data is None:
        form.counted_on.data = local_day()
    if form.validate_on_submit():
        try:
            open_stock(form.counted_on.data, form.stock_lines(categories), by=on_duty())
        except StockDateError as error:
            form.counted_on.errors = [*form.counted_on.errors, str(error)]
        else:
            flash(_("Inventaire enregistré : le stock est tenu à partir du %(day)s.",
                    day=form.counted_on.data.strftime("%d/%m/%Y")), "success")
            return redirect(url_for(".index"), code=303)
    return render_template("stock/inventory.html", form=form, categories=categories, starts=stock_start()), \
        422 if request.method == "POST" else 200


def chosen_month() -> tuple[int, int]:
    """?mois=YYYY-MM, this month by default; 400 when it is not a month."""
    text = (request.args.get("mois") or "").strip()
    if not text:
        today = local_day()
        return today.year, today.month
    match = MONTH.fullmatch(text)
    if not match or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR or not 1 <= int(match[2]) <= 12:
        abort(400, _("Mois invalide : écrivez-le comme 2026-03."))
    return int(match[1]), int(match[2])


@bp.get("/stock/fiche")
@allow(Role.COORDINATOR)
def month():
    """The month's stock sheet, to print: opening stock, what came in and went out, closing stock."""
    year, month_number = chosen_month()
    sheet = month_sheet(year, month_number)
    previous = date(year - (month_number == 1), (month_number - 2) % 12 + 1, 1)
    following = date(year + (month_number == 12), month_number % 12 + 1, 1)
    return render_template("stock/month.html", sheet=sheet, previous=previous, following=following)


@bp.get("/stock/fiche.pdf")
@allow(Role.COORDINATOR)
def month_file():
    """The month's stock sheet as a PDF (A4), to print and sign."""
    year, month_number = chosen_month()
    body = month_sheet_pdf(month_sheet(year, month_number), centre_identity())
    return download(body, f"fiche-de-stock-{year}-{month_number:02d}.pdf", "application/pdf")


def chosen_year() -> int:
    text = (request.args.get("annee") or "").strip()
    if not text:
        return local_day().year
    year_number = ascii_int(text, max_digits=4)
    if year_number is None or not FIRST_YEAR <= year_number <= LAST_YEAR:
        abort(400, _("Année invalide : choisissez une année entre %(a)d et %(b)d.", a=FIRST_YEAR, b=LAST_YEAR))
    return year_number


@bp.get("/stock/annee")
@allow(Role.COORDINATOR)
def year():
    """The year's arrivals by source and category (the habilitation's figures)."""
    return render_template("stock/year.html", figures=yearly_by_source(chosen_year()))


@bp.get("/stock/annee.xlsx")
@allow(Role.COORDINATOR)
def year_file():
    """The year's arrivals by source and category as a workbook, with a total per source."""
    figures = yearly_by_source(chosen_year())
    return download(yearly_xlsx(figures), f"stock-sources-{figures.year}.xlsx", XLSX)
