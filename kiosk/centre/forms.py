"""The centre's identity form and the logo upload form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from kiosk.centre.logo import MAX_UPLOAD_BYTES


class IdentityForm(FlaskForm):
    name = StringField(_l("Nom du centre"), validators=[
        DataRequired(message=_l("Indiquez le nom du centre.")),
        Length(max=120, message=_l("120 caractères au plus."))])
    address = TextAreaField(_l("Adresse (sur plusieurs lignes si besoin)"),
                            validators=[Length(max=300, message=_l("300 caractères au plus."))])
    privacy_contact = StringField(
        _l("Contact pour les données personnelles (nom, téléphone ou adresse électronique)"),
        validators=[Length(max=200, message=_l("200 caractères au plus."))])


class LogoForm(FlaskForm):
    logo = FileField(_l("Logo (PNG ou JPEG, 2 Mo au plus)"))

    def uploaded_bytes(self) -> bytes:
        """The file sent, read up to one byte past the limit (enough to refuse it), then closed: a
        large upload sits in a temporary file. No file: empty."""
        upload = self.logo.data
        if not upload:
            return b""
        try:
            return upload.read(MAX_UPLOAD_BYTES + 1)
        finally:
            upload.close()
