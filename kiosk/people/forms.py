"""Forms of the participants screens."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from kiosk.labels import EXIT_REASONS


class ParticipantForm(FlaskForm):
    """A participant's details: only what the centre needs."""

    first_name = StringField(_l("Prénom"), validators=[DataRequired(_l("Le prénom manque.")), Length(max=80)])
    last_name = StringField(_l("Nom"), validators=[DataRequired(_l("Le nom manque.")), Length(max=80)])
    phone = TelField(_l("Téléphone (facultatif)"), validators=[Optional(), Length(max=30)])
    household_size = IntegerField(
        _l("Personnes au foyer"),
        default=1,
        validators=[
            InputRequired(_l("Indiquez le nombre de personnes au foyer.")),
            NumberRange(1, 30, _l("Un nombre entre 1 et 30.")),
        ],
    )
    referrer_name = StringField(_l("Orienté·e par (travailleur social)"), validators=[Optional(), Length(max=120)])
    structure = StringField(_l("Structure (CDAS, CCAS, association…)"), validators=[Optional(), Length(max=120)])


class NewParticipantForm(ParticipantForm):
    """Adding someone: their details, the day they enter, and maybe épicerie access."""

    entered_on = DateField(_l("Entrée dans le programme le"), validators=[InputRequired(_l("Indiquez une date."))])
    epicerie_until = DateField(_l("Accès à l'épicerie jusqu'au (facultatif)"), validators=[Optional()])
    same_person_checked = BooleanField(_l("C'est bien une autre personne"))


class ExitForm(FlaskForm):
    left_on = DateField(_l("Date de sortie"), validators=[InputRequired(_l("Indiquez une date."))])
    reason = SelectField(
        _l("Raison"),
        choices=[SelectChoice(reason.value, label) for reason, label in EXIT_REASONS.items()],
        validators=[InputRequired()],
    )
    close_epicerie = BooleanField(_l("Fermer son accès à l'épicerie"), default=True)
    stop_card = BooleanField(_l("Arrêter sa carte (la borne l'enverra voir l'accueil)"), default=True)


class ReturnForm(FlaskForm):
    entered_on = DateField(_l("Date de retour"), validators=[InputRequired(_l("Indiquez une date."))])
    epicerie_until = DateField(_l("Rouvrir l'accès à l'épicerie jusqu'au (facultatif)"), validators=[Optional()])


class EpicerieForm(FlaskForm):
    until = DateField(_l("Accès à l'épicerie jusqu'au"), validators=[InputRequired(_l("Indiquez une date."))])
