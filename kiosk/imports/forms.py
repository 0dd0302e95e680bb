"""Forms of the import page: the file, then the confirmation of its preview."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length


class ImportForm(FlaskForm):
    file = FileField(_l("Fichier (CSV ou Excel .xlsx)"), validators=[FileRequired(_l("Choisissez un fichier."))])


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(max=64)])

