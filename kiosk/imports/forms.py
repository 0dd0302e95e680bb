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



def same_person_choices(formdata) -> dict[int, int]:
    """The preview's answers "same person" per line (`same-<line>` = a participant id; "new" or
    anything else: a new person), as {line: participant id}."""
    choices = {}
    for name, value in formdata.items():
        line, person = name.removeprefix("same-"), value
        if name.startswith("same-") and line.isdigit() and person.isdigit() and len(line) < 9 and len(person) < 12:
            choices[int(line)] = int(person)
    return choices
