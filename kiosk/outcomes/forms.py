"""The forms of a person's path."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from kiosk.models import AREAS, Employment, Moment, Resources, Sex
from kiosk.outcomes import labels

NO_ANSWER = SelectChoice("", _l("Pas de réponse"))


def _choices(table):
    return [NO_ANSWER] + [SelectChoice(str(key), text) for key, text in table.items()]


class DemographicsForm(FlaskForm):
    birth_year = IntegerField(_l("Année de naissance"), validators=[Optional()])
    sex = RadioField(_l("Sexe"), choices=_choices(labels.SEXES), default="", validators=[Optional()])
    adults = IntegerField(_l("Adultes au foyer"), validators=[Optional()])
    children = IntegerField(_l("Enfants au foyer"), validators=[Optional()])

    def sex_value(self):
        return Sex(self.sex.data) if self.sex.data else None


class MilestoneForm(FlaskForm):
    kind = SelectField(_l("Étape"), coerce=int, validate_choice=False)
    happened_on = DateField(_l("Date"), validators=[InputRequired(message=_l("Indiquez la date (JJ/MM/AAAA)."))])
    result = StringField(_l("Ce qui en est sorti (pour une orientation)"), validators=[Length(max=200)])


class KindForm(FlaskForm):
    label = StringField(_l("Nouvelle étape pour la liste"), validators=[Length(max=80)])


class SituationForm(FlaskForm):
    moment = SelectField(_l("Moment"), choices=[SelectChoice(str(m), labels.MOMENTS[m]) for m in (Moment.ENTRY, Moment.EXIT)])
    recorded_on = DateField(_l("Date"), validators=[InputRequired(message=_l("Indiquez la date (JJ/MM/AAAA)."))])
    employment = SelectField(_l("Emploi"), choices=_choices(labels.EMPLOYMENT), default="")
    in_training = SelectField(_l("En formation"), choices=[NO_ANSWER, SelectChoice("yes", _l("Oui")), SelectChoice("no", _l("Non"))],
                              default="")
    resources = SelectField(_l("Ressources principales"), choices=_choices(labels.RESOURCES), default="")

    def values(self):
        """(moment, employment, in_training, resources) as the service takes them."""
        training = {"yes": True, "no": False}.get(self.in_training.data)
        return (Moment(self.moment.data), Employment(self.employment.data) if self.employment.data else None,
                training, Resources(self.resources.data) if self.resources.data else None)


SCALE = [SelectChoice(str(n), t) for n, t in labels.SCALE.items()]


class AssessmentForm(FlaskForm):
    """Five questions, each answered by tapping a face (1 to 4); none is required."""

    food = RadioField(labels.AREAS["food"], choices=SCALE,
                      validators=[Optional()])
    social = RadioField(labels.AREAS["social"], choices=SCALE,
                        validators=[Optional()])
    esteem = RadioField(labels.AREAS["esteem"], choices=SCALE,
                        validators=[Optional()])
    money = RadioField(labels.AREAS["money"], choices=SCALE,
                       validators=[Optional()])
    rights = RadioField(labels.AREAS["rights"], choices=SCALE,
                        validators=[Optional()])

    def scores(self) -> dict[str, int | None]:
        return {area: int(self[area].data) if self[area].data else None for area in AREAS}
