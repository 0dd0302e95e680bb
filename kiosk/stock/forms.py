"""Forms of the stock pages: an arrival (a row per category), a loss, an ingredient for the workshop.

Kilos and euros are typed the French way ("1,5", "12,50"); every bound has its own plain message.
"""

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from kiosk.epicerie.basket_request import valid_idempotency_key
from kiosk.models import Category
from kiosk.stock.amounts import cents_from_text, grams_from_text
from kiosk.stock.arrival_request import StockLine
from kiosk.stock.labels import ARRIVAL_CHOICES, LOSS_REASONS


def check_kilos(_form, field):
    if (field.data or "").strip():
        try:
            grams_from_text(field.data)
        except ValueError:
            raise ValidationError(_l("Poids en kilos, de 0 à 9 999 (par exemple 1,5).")) from None


def check_euros(_form, field):
    if (field.data or "").strip():
        try:
            cents_from_text(field.data)
        except ValueError:
            raise ValidationError(_l("Valeur en euros, de 0 à 99 999,99 (par exemple 12,50).")) from None


def grams(field) -> int:
    text = (field.data or "").strip()
    return grams_from_text(text) if text else 0


def cents(field) -> int:
    text = (field.data or "").strip()
    return cents_from_text(text) if text else 0


def cents_or_none(field) -> int | None:
    """Cents, or None when the field was left empty (the service then prices it from the stock)."""
    text = (field.data or "").strip()
    return cents_from_text(text) if text else None


def kilos_field(label):
    return StringField(label, validators=[Optional(), Length(max=12), check_kilos])


def euros_field(label):
    return StringField(label, validators=[Optional(), Length(max=12), check_euros])


class ArrivalForm(FlaskForm):
    """Where the food comes from, then kilos and value for each category that came."""

    source = RadioField(_l("D'où viennent les denrées ?"), choices=[SelectChoice(value, label) for value, label in ARRIVAL_CHOICES.items()],
                        validators=[InputRequired(_l("Choisissez d'où viennent les denrées."))])
    received_on = DateField(_l("Date de l'arrivage"), validators=[Optional()])
    note = StringField(_l("Note (facultatif)"), validators=[Optional(), Length(max=200, message=_l("200 caractères au plus."))])
    key = HiddenField()

    def fields_of(self, category: Category):
        return self[f"weight_{category.id}"], self[f"value_{category.id}"]

    def stock_lines(self, categories: list[Category]) -> list[StockLine]:
        """The rows filled in with something other than zero, as stock lines."""
        lines = [StockLine(category, grams(self.fields_of(category)[0]), cents(self.fields_of(category)[1]))
                 for category in categories]
        return [line for line in lines if line.weight_g or line.value_cents]


def arrival_form(categories: list[Category], **kwargs) -> ArrivalForm:
    """The arrival form with a kilos field and a value field per category."""

    class Form(ArrivalForm):
        pass

    for category in categories:
        setattr(Form, f"weight_{category.id}", kilos_field(_l("Kilos")))
        setattr(Form, f"value_{category.id}", euros_field(_l("Valeur (€)")))
    form = Form(**kwargs)
    if valid_idempotency_key(form.key.data) is None:
        form.key.data = str(uuid.uuid4())  # a second tap on "Enregistrer" gives back the first arrival
    return form


class InventoryForm(FlaskForm):
    """The opening count: the day the stock starts, and what is on the shelves by category."""

    counted_on = DateField(_l("Jour de l'inventaire"), validators=[InputRequired(_l("Indiquez le jour de l'inventaire."))])

    def fields_of(self, category: Category):
        return self[f"weight_{category.id}"], self[f"value_{category.id}"]

    stock_lines = ArrivalForm.stock_lines


def inventory_form(categories: list[Category], **kwargs) -> InventoryForm:
    """The opening count's form with a kilos field and a value field per category."""

    class Form(InventoryForm):
        pass

    for category in categories:
        setattr(Form, f"weight_{category.id}", kilos_field(_l("Kilos")))
        setattr(Form, f"value_{category.id}", euros_field(_l("Valeur (€)")))
    return Form(**kwargs)


class LossForm(FlaskForm):
    category = SelectField(_l("Catégorie"), coerce=int, validators=[InputRequired(_l("Choisissez une catégorie."))])
    reason = RadioField(_l("Pourquoi ?"), choices=[SelectChoice(value, label) for value, label in LOSS_REASONS.items()],
                        validators=[InputRequired(_l("Choisissez la raison."))])
    weight = kilos_field(_l("Kilos perdus"))
    value = euros_field(_l("Valeur perdue (€)"))
    happened_on = DateField(_l("Date"), validators=[Optional()])
    note = StringField(_l("Note (facultatif)"), validators=[Optional(), Length(max=200, message=_l("200 caractères au plus."))])


def category_choices(categories: list[Category]) -> list[SelectChoice]:
    return [SelectChoice(category.id, category.label) for category in categories]


class IngredientForm(FlaskForm):
    ingredient = StringField(_l("Ingrédient"), validators=[
        DataRequired(_l("Nommez l'ingrédient (par exemple : carottes).")),
        Length(max=120, message=_l("120 caractères au plus."))])
    category = SelectField(_l("Catégorie du stock"), coerce=int,
                           validators=[InputRequired(_l("Choisissez une catégorie."))])
    weight = kilos_field(_l("Kilos"))
    value = euros_field(_l("Valeur (€)"))
