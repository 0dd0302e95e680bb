"""The dashboard's forms: a follow-up call, the call-back threshold, and the dates in the address bar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from kiosk.dashboard.labels import CALL_CHANNELS, CALL_OUTCOMES
from kiosk.platform.timezone import parse_iso_date

MAX_ABSENT_DAYS = 26
MAX_PERIOD_DAYS = 366 * 20


class CallForm(FlaskForm):
    """One attempt to reach someone: how, what came of it, a short note."""

    channel = SelectField(_l("Comment"), choices=[SelectChoice(c.value, text) for c, text in CALL_CHANNELS.items()],
                          validators=[DataRequired()])
    outcome = SelectField(
        _l("Résultat"),
        choices=[SelectChoice("", _l("Choisir…"))] + [SelectChoice(o.value, text) for o, text in CALL_OUTCOMES.items()],
        validators=[DataRequired()],
    )
    note = StringField(_l("Note (facultatif)"), validators=[Optional(), Length(max=200)])


class ThresholdForm(FlaskForm):
    """After how many missed workshop days someone is to be called back."""

    absent_days = IntegerField(
        _l("Ateliers manqués avant de rappeler"),
        validators=[DataRequired(_l("Indiquez un nombre.")), NumberRange(1, MAX_ABSENT_DAYS)],
    )


MAX_DAY_NOTE = 2000


class DayNoteForm(FlaskForm):
    """The coordinator's note for the day: left empty, the note is removed."""

    text = TextAreaField(_l("Note du jour"), validators=[Optional(), Length(
        max=MAX_DAY_NOTE, message=_l("La note est trop longue : %(max)d caractères au plus."))])


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    error: str | None = None


def parse_day(text: str | None, today: date) -> tuple[date, str | None]:
    """The ?date= of the day page: today when absent, an error message when malformed."""
    if not text:
        return today, None
    day = parse_iso_date(text.strip())
    if day is None:
        return today, _("Date invalide : choisissez une date du calendrier (AAAA-MM-JJ).")
    return day, None


def parse_period(start_text: str | None, end_text: str | None, today: date) -> Period:
    """The ?from=&to= of the report: the current calendar year by default, a message when wrong."""
    default = Period(date(today.year, 1, 1), date(today.year, 12, 31))
    if not start_text and not end_text:
        return default
    start = parse_iso_date((start_text or "").strip()) if start_text else default.start
    end = parse_iso_date((end_text or "").strip()) if end_text else default.end
    if start is None or end is None:
        return Period(default.start, default.end, _("Date invalide : choisissez des dates du calendrier (AAAA-MM-JJ)."))
    if end < start:
        return Period(default.start, default.end, _("La date de fin est avant la date de début."))
    if (end - start).days > MAX_PERIOD_DAYS:
        return Period(default.start, default.end, _("La période est trop longue (20 ans au plus)."))
    return Period(start, end)
