"""The network's settings form: its name (the logo upload is the centre's LogoForm)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from kiosk.centre.services import NETWORK_NAME_MAX


class NetworkNameForm(FlaskForm):
    name = StringField(_l("Nom du réseau"), validators=[
        Length(max=NETWORK_NAME_MAX, message=_l("120 caractères au plus."))])
