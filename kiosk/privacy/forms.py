"""Privacy forms: the anonymisation confirmation and the retention period."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from kiosk.privacy.retention import MAX_RETENTION_YEARS, MIN_RETENTION_YEARS


class AnonymiseForm(FlaskForm):
    confirm = BooleanField(
        _l("Je confirme : effacer le nom, le prénom et le téléphone de cette personne. "
           "On ne pourra pas revenir en arrière."),
        validators=[DataRequired(message=_l("Cochez la case pour confirmer."))],
    )


class RetentionForm(FlaskForm):
    years = IntegerField(
        _l("Années sans contact avant l'anonymisation"),
        validators=[InputRequired(), NumberRange(MIN_RETENTION_YEARS, MAX_RETENTION_YEARS)],
    )
