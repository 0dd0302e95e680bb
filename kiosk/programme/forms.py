"""Forms of the calendar, the activities, registrations and corrections."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from kiosk.programme.corrections import REMOVAL_REASONS
from kiosk.programme.pictograms import PICTOGRAMS

WEEKDAYS = [SelectChoice(value, label) for value, label in [
    ("", _l("Pas d'atelier chaque semaine")), ("0", _l("lundi")), ("1", _l("mardi")), ("2", _l("mercredi")),
    ("3", _l("jeudi")), ("4", _l("vendredi")), ("5", _l("samedi")), ("6", _l("dimanche")),
]]
DATE_NEEDED = _l("Indiquez une date.")
CAPACITY = _l("Places (vide : sans limite)")
CAPACITY_RANGE = _l("La capacité doit être d'au moins 1 place (laissez vide pour sans limite).")


class PatternForm(FlaskForm):
    """The weekly pattern: the workshop's day of the week and its hours."""

    weekday = SelectField(_l("Jour de l'atelier"), choices=WEEKDAYS, validators=[Optional()])
    starts = TimeField(_l("Début"), validators=[InputRequired(_l("Indiquez l'heure de début."))])
    ends = TimeField(_l("Fin"), validators=[InputRequired(_l("Indiquez l'heure de fin."))])


class SessionForm(FlaskForm):
    """A session planned one by one, or changed."""

    day = DateField(_l("Date"), validators=[InputRequired(DATE_NEEDED)])
    activity = SelectField(_l("Activité"), coerce=int, validators=[InputRequired(_l("Choisissez une activité."))])
    capacity = IntegerField(CAPACITY, validators=[Optional(), NumberRange(1, 500, CAPACITY_RANGE)])
    room = StringField(_l("Salle (facultatif)"), validators=[Optional(), Length(max=80)])
    note = StringField(_l("Note (facultatif)"), validators=[Optional(), Length(max=200)])


class TermForm(FlaskForm):
    """A term planned in one go: the weekly days of the next weeks, the activities in turn."""

    start = DateField(_l("À partir du"), validators=[InputRequired(DATE_NEEDED)])
    weeks = IntegerField(_l("Nombre de semaines"), default=12,
                         validators=[InputRequired(_l("Indiquez un nombre de semaines.")),
                                     NumberRange(1, 52, _l("Entre 1 et 52 semaines."))])
    activities = SelectMultipleField(_l("Activités, dans l'ordre de la rotation"), coerce=int,
                                     validators=[InputRequired(_l("Choisissez au moins une activité."))])
    capacity = IntegerField(CAPACITY, validators=[Optional(), NumberRange(1, 500, CAPACITY_RANGE)])


class CancelForm(FlaskForm):
    """Cancelling a session: its reason, and the confirmation when people are registered."""

    reason = StringField(_l("Raison de l'annulation"), validators=[Optional(), Length(max=200)])
    confirm = BooleanField(_l("Je confirme : les personnes inscrites ne sont pas attendues ce jour-là"))


class ActivityForm(FlaskForm):
    """An activity: its name and pictogram, and whether the centre still offers it."""

    name = StringField(_l("Nom de l'activité"), validators=[InputRequired(_l("Donnez un nom d'activité.")),
                                                           Length(max=80)])
    pictogram = SelectField(_l("Pictogramme"), choices=[SelectChoice(name, label) for name, label in PICTOGRAMS.items()],
                            default="other")
    active = BooleanField(_l("Proposée en ce moment"), default=True)


class RegisterForm(FlaskForm):
    """Registering someone to a session."""

    participant = SelectField(_l("Personne à inscrire"), coerce=int,
                              validators=[InputRequired(_l("Choisissez une personne."))])


class RemovePresenceForm(FlaskForm):
    """Removing a presence recorded by mistake: why."""

    reason = SelectField(_l("Raison"), choices=[SelectChoice(value, label) for value, label in
                                  [("", _l("Choisissez…")), *REMOVAL_REASONS.items()]],
                         validators=[InputRequired(_l("Choisissez la raison de la correction."))])
