"""Forms of the import page: the file, then the confirmation of its preview."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length

from kiosk.platform.numbers import ascii_int


class ImportForm(FlaskForm):
    file = FileField(_l("Fichier (CSV ou Excel .xlsx)"), validators=[FileRequired(_l("Choisissez un fichier."))])


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(max=64)])



def same_person_choices(formdata) -> dict[int, int]:
    """The preview's answers "same person" per line (`same-<line>` = a participant id; "new" or
    anything else: a new person), as {line: participant id}."""
    choices = {}
    for name, value in formdata.items():
        line, person = name.removeprefix("same-"), value
        line_number, person_id = ascii_int(line, max_digits=8), ascii_int(person, max_digits=11)
        if name.startswith("same-") and line_number is not None and person_id is not None:
            choices[line_number] = person_id
    return choices
