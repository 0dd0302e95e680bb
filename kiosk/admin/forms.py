"""Forms for accounts and devices."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class UserForm(FlaskForm):
    username = StringField(_l("Identifiant"), validators=[
        DataRequired(), Length(max=80),
        Regexp(r"^\S+$", message=_l("Sans espace, s'il vous plaît.")),
    ])
    display_name = StringField(_l("Nom affiché (facultatif)"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("Rôle"), choices=[
        SelectChoice("volunteer", _l("Bénévole")),
        SelectChoice("coordinator", _l("Coordination")),
        SelectChoice("referent", _l("Travailleur social (référent)")),
    ])
    referrer = StringField(_l("Orienteur rattaché (pour un référent)"), validators=[Optional(), Length(max=120)])
    password = PasswordField(_l("Mot de passe (8 caractères au moins)"), validators=[DataRequired(), Length(min=8, max=200)])


class DeviceForm(FlaskForm):
    name = StringField(_l("Nom de l'appareil"), validators=[DataRequired(), Length(max=80)])
    kind = SelectField(_l("Type"), choices=[
        SelectChoice("tablet", _l("Tablette de l'épicerie")),
        SelectChoice("kiosk", _l("Borne d'accueil")),
    ])


class PasswordForm(FlaskForm):
    password = PasswordField(_l("Nouveau mot de passe (8 caractères au moins)"),
                             validators=[DataRequired(), Length(min=8, max=200)])
