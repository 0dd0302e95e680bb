"""Forms of the épicerie screens: who serves, the rules, the categories, a household's access."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, PasswordField, SelectChoice, SelectField, StringField
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
    """The volunteer on duty taps their name, then types their PIN."""

    server_id = IntegerField(validators=[InputRequired()])
    pin = PasswordField(_l("Votre code"), validators=[InputRequired(_l("Tapez votre code.")),
                                                     Length(max=6, message=_l("Le code a de 4 à 6 chiffres."))])


class PinForm(FlaskForm):
    """A new PIN for the tablet, typed twice."""

    pin = PasswordField(_l("Nouveau code (4 à 6 chiffres)"),
                        validators=[InputRequired(_l("Tapez un code.")),
                                    Length(max=6, message=_l("Le code a de 4 à 6 chiffres."))])
    pin_again = PasswordField(_l("Le même code, encore une fois"),
                              validators=[InputRequired(_l("Tapez le code une seconde fois."))])

    def validate_pin_again(self, field):
        if self.pin.data and field.data != self.pin.data:
            raise ValidationError(_l("Les deux codes ne sont pas les mêmes."))


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
    visits_per_month = IntegerField(
        _l("Passages permis par mois (vide : pas de compte au mois)"),
        validators=[Optional(), NumberRange(1, 31, _l("Entre 1 et 31, ou rien."))])
    banque_alimentaire_percent = IntegerField(
        _l("Participation au plus sur les produits Banque Alimentaire (en %, vide : le même taux)"),
        validators=[Optional(), NumberRange(0, 100, _l("Un nombre entre 0 et 100."))])
    enforce = SelectField(
        _l("Au-delà du montant du mois ou des passages"), validate_choice=False, default="warning",
        choices=[SelectChoice("warning", _l("Avertir seulement (le panier est enregistré)")),
                 SelectChoice("limit", _l("Refuser le panier (la coordination peut passer outre, avec une raison)"))])


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


class ServerPinForm(PinForm):
    """The coordinator gives someone who serves a new PIN (also unlocks it)."""

    user_id = SelectField(_l("Pour"), coerce=int, validate_choice=False)


class ProductForm(FlaskForm):
    """A product of the price list."""

    category_id = SelectField(_l("Catégorie"), coerce=int, validate_choice=False)
    name = StringField(_l("Produit"), validators=[DataRequired(_l("Donnez un nom.")),
                                                  Length(max=80, message=_l("80 caractères au plus."))])
    unit = StringField(_l("Unité (kg, pièce, paquet…)"),
                       validators=[DataRequired(_l("Indiquez l'unité.")), Length(max=20, message=_l("20 caractères au plus."))])
    unit_value = StringField(_l("Valeur d'une unité (€)"),
                             validators=[DataRequired(_l("Indiquez un montant.")), Length(max=12), check_money])
    banque_alimentaire = BooleanField(_l("Produit de la Banque Alimentaire"))
