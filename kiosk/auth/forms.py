"""Login and logout forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Identifiant"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(), Length(max=200)])

