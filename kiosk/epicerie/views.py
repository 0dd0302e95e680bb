"""The épicerie tablet, who serves at it, and the coordinator's rules (issue 5)."""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, gettext as _
from flask_login import current_user

from kiosk.auth.access import allow, current_device
from kiosk.platform.forms import EmptyForm
from kiosk.epicerie import categories as cats
from kiosk.epicerie.access import AccessError, access_rows, grant_access, open_until
from kiosk.epicerie.api import bp as api_bp
from kiosk.epicerie.duty import end_shift, on_duty, servers_to_pick, serving_user, start_shift
from kiosk.epicerie.pin_views import bp as pins_bp
from kiosk.epicerie.pins import PinError, users_with_pin
from kiosk.epicerie.product_views import bp as products_bp
from kiosk.platform.numbers import ascii_int
from kiosk.epicerie.first_use import make_sure_categories_exist
from kiosk.epicerie.forms import AccessForm, CategoryForm, RulesForm, ShiftForm, money_cents
from kiosk.epicerie.queries import household_baskets, household_summary
from kiosk.epicerie.rules import RulesChange, RulesError, change_rules, computed_allowance_cents, current_rules
from kiosk.epicerie.settings_page import settings_context
from kiosk.epicerie.tablet_page import tablet_context
from kiosk.platform.extensions import db
from kiosk.models import Category, DeviceKind, Participant, Role
from kiosk.platform.money import format_cents
from kiosk.platform.timezone import local_day

bp = Blueprint("epicerie", __name__)
bp.register_blueprint(api_bp)
bp.register_blueprint(pins_bp)
bp.register_blueprint(products_bp)
ID = "int(max=2147483647)"


@bp.get("/tablet")
@allow(DeviceKind.TABLET, Role.VOLUNTEER, Role.COORDINATOR)
def tablet():
    """The volunteers' screen: who serves first (name, then PIN), then households and baskets."""
    make_sure_categories_exist()
    if on_duty() is None:
        chosen = serving_user(ascii_int(request.args.get("server", ""), max_digits=9))
        return _shift_page(chosen, ShiftForm(formdata=None))
    return render_template("epicerie/tablet.html", **tablet_context())


def _shift_page(chosen, form, status=200):
    servers = servers_to_pick()
    return render_template("epicerie/shift.html", servers=servers, chosen=chosen, form=form,
                           with_pin=users_with_pin(u.id for u in servers)), status


@bp.post("/tablet/service")
@allow(DeviceKind.TABLET, Role.VOLUNTEER, Role.COORDINATOR)
def choose_server():
    """The volunteer on duty says who they are with their PIN (on an enrolled tablet)."""
    form = ShiftForm()
    if current_device() is None or current_user.is_authenticated:
        return redirect(url_for("epicerie.tablet"), code=303)
    chosen = serving_user(form.server_id.data)
    if chosen is None:
        flash(_("Ce nom ne peut pas servir à l'épicerie. Choisissez dans la liste."), "error")
        return redirect(url_for("epicerie.tablet"), code=303)
    if form.validate():
        try:
            start_shift(chosen, form.pin.data)
        except PinError as exc:
            form.pin.errors.append(str(exc))
        else:
            return redirect(url_for("epicerie.tablet"), code=303)
    return _shift_page(chosen, form, 422)  # the wrong try is counted (committed), then said


@bp.post("/tablet/fin-de-service")
@allow(DeviceKind.TABLET, Role.VOLUNTEER, Role.COORDINATOR)
def leave_shift():
    """The volunteer hands over: the tablet asks for the next name."""
    EmptyForm()
    end_shift()
    return redirect(url_for("epicerie.tablet"), code=303)


@bp.get("/epicerie/regles")
@allow(Role.COORDINATOR)
def settings():
    """The coordinator's rules: rate, visits, allowance, categories, households' access."""
    make_sure_categories_exist()
    return render_template("epicerie/settings.html", **settings_context(request.args.get("q", "")))


@bp.post("/epicerie/regles")
@allow(Role.COORDINATOR)
def update_rules():
    """Put new rules in force from now (the old ones stay in the history)."""
    form = RulesForm()
    if form.validate():
        try:
            change_rules(RulesChange(form.contribution_percent.data, form.visits_per_week.data,
                                     money_cents(form.allowance_base), money_cents(form.allowance_per_person),
                                     form.visits_per_month.data, form.banque_alimentaire_percent.data,
                                     form.enforce.data or "warning"),
                         by=current_user)
        except RulesError as exc:
            getattr(form, exc.field, form.contribution_percent).errors.append(str(exc))
        else:
            flash(_("Les nouvelles règles s'appliquent dès maintenant."), "success")
            return redirect(url_for("epicerie.settings"), code=303)
    return render_template("epicerie/settings.html", **settings_context("", rules_form=form)), 422


@bp.post("/epicerie/categories")
@allow(Role.COORDINATOR)
def add_category():
    """Add a tile at the end of the tablet's categories."""
    form = CategoryForm()
    if form.validate():
        try:
            category = cats.add_category(form.label.data)
        except cats.CategoryError as exc:
            form.label.errors.append(str(exc))
        else:
            flash(_("Catégorie « %(label)s » ajoutée.", label=category.label), "success")
            return redirect(url_for("epicerie.settings", _anchor="categories"), code=303)
    return render_template("epicerie/settings.html", **settings_context("", category_form=form)), 422


@bp.post(f"/epicerie/categories/<{ID}:category_id>")
@allow(Role.COORDINATOR)
def update_category(category_id):
    """Rename, move, hide or show a category (the button pressed says which)."""
    category = db.get_or_404(Category, category_id)
    form = CategoryForm()
    action = request.form.get("action")
    if action == "rename" and not form.validate():
        flash(form.label.errors[0], "error")
    else:
        try:
            _apply_category_action(category, action, form.label.data)
        except cats.CategoryError as exc:
            flash(str(exc), "error")
    return redirect(url_for("epicerie.settings", _anchor="categories"), code=303)


def _apply_category_action(category: Category, action: str | None, label: str | None) -> None:
    if action == "rename":
        cats.rename_category(category, label)
    elif action in ("up", "down"):
        cats.move_category(category, -1 if action == "up" else 1)
    elif action in ("hide", "show"):
        cats.set_category_active(category, action == "show")
    else:
        abort(400)


@bp.route(f"/epicerie/foyers/<{ID}:participant_id>", methods=["GET", "POST"])
@allow(Role.COORDINATOR)
def household(participant_id):
    """One household's access to the épicerie: history, and opening or renewing it."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.anonymised_at is not None:
        abort(404)
    rows = access_rows(participant.id)
    form = AccessForm()
    if request.method == "GET":
        _prefill_access(form, participant, rows)
    elif form.validate():
        try:
            grant_access(participant, form.starts_on.data, form.ends_on.data, money_cents(form.monthly_allowance),
                         form.household_size.data, by=current_user)
        except AccessError as exc:
            getattr(form, exc.field).errors.append(str(exc))
        else:
            flash(_("Accès à l'épicerie enregistré jusqu'au %(day)s.", day=format_date(form.ends_on.data, "long")),
                  "success")
            return redirect(url_for("epicerie.household", participant_id=participant.id), code=303)
    status = 422 if form.errors else 200
    return render_template(
        "epicerie/household.html", participant=participant, rows=rows, form=form,
        summary=household_summary(participant), baskets=household_baskets(participant.id),
        computed_allowance=computed_allowance_cents(current_rules(), participant.household_size),
    ), status


def _prefill_access(form: AccessForm, participant: Participant, rows) -> None:
    """A renewal starts the day after the current access ends (today when there is none)."""
    today = local_day()
    until = open_until(rows, today)
    form.starts_on.data = (until + timedelta(days=1)) if until else today
    form.ends_on.data = form.starts_on.data + timedelta(days=91)
    form.household_size.data = participant.household_size
    latest = rows[0] if rows else None
    if latest is not None and latest.monthly_allowance_cents is not None:
        form.monthly_allowance.data = format_cents(latest.monthly_allowance_cents).replace(".", ",")
