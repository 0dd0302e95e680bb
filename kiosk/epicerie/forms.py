"""Forms of the épicerie screens: who serves, the rules, the categories, a household's access."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from kiosk.platform.money import MoneyError, parse_cents


def money_cents(field) -> int | None:
    """The field's amount in cents ("12,50" or "12.50"), None when left empty."""
    text = (field.data or "").strip()
    return parse_cents(text) if text else None


def check_money(_form, field):
    try:
        money_cents(field)
    except MoneyError:
        raise ValidationError(_l("Montant en euros, par exemple 12,50.")) from None


class ShiftForm(FlaskForm):
    """The volunteer on duty taps their name."""

    server_id = IntegerField(validators=[InputRequired()])


class RulesForm(FlaskForm):
    contribution_percent = IntegerField(
        _l("Participation demandée au foyer (en %)"),
        validators=[InputRequired(_l("Indiquez un taux.")), NumberRange(0, 100, _l("Un nombre entre 0 et 100."))])
    visits_per_week = IntegerField(
        _l("Passages permis par semaine"),
        validators=[InputRequired(_l("Indiquez un nombre.")), NumberRange(1, 7, _l("Entre 1 et 7."))])
    allowance_base = StringField(
        _l("Montant mensuel de base (€)"),
        validators=[DataRequired(_l("Indiquez un montant.")), Length(max=12), check_money])
    allowance_per_person = StringField(
        _l("En plus, par personne du foyer (€)"),
        validators=[DataRequired(_l("Indiquez un montant.")), Length(max=12), check_money])


class CategoryForm(FlaskForm):
    label = StringField(_l("Nom de la catégorie"),
                        validators=[DataRequired(_l("Donnez un nom.")), Length(max=80, message=_l("80 caractères au plus."))])


class AccessForm(FlaskForm):
    starts_on = DateField(_l("Du"), validators=[InputRequired(_l("Indiquez une date."))])
    ends_on = DateField(_l("Jusqu'au"), validators=[InputRequired(_l("Indiquez une date."))])
    household_size = IntegerField(
        _l("Personnes au foyer"),
        validators=[InputRequired(_l("Indiquez un nombre.")), NumberRange(1, 30, _l("Entre 1 et 30."))])
    monthly_allowance = StringField(
        _l("Montant mensuel (€), laisser vide pour le calcul selon les règles"),
        validators=[Optional(), Length(max=12), check_money])

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("La fin est avant le début."))
