"""The programme blueprint and what its route modules share."""

from datetime import date, timedelta

from flask import Blueprint, abort, flash
from flask_babel import format_date
from wtforms import SelectChoice

from kiosk.platform.timezone import local_day, parse_iso_date
from kiosk.programme.calendar import (
    next_workshop_after,
    no_workshop_message,
    spoken_day,
    weekly_pattern,
    workshop_day_for,
)
from kiosk.programme.pictograms import PICTOGRAMS, pictogram_url
from kiosk.programme.queries import active_activities

bp = Blueprint("programme", __name__, url_prefix="/programme")


@bp.app_context_processor
def pictograms() -> dict:
    """Every template may show an activity's pictogram."""
    return {"pictogram_url": pictogram_url}


@bp.app_template_global()
def no_workshop_notice() -> dict | None:
    """For the host's desk: on a day without a workshop, what to say and the next one's pictogram."""
    today = local_day()
    if workshop_day_for(today) is not None:
        return None
    following = next_workshop_after(today)
    return {"message": no_workshop_message(following),
            "pictogram": pictogram_url(following.pictogram if following and following.activity else "calendar")}


@bp.context_processor
def helpers() -> dict:
    return {"spoken_day": spoken_day, "pictogram_names": PICTOGRAMS, "pattern": weekly_pattern,
            "long_day": lambda day: format_date(day, "EEEE d MMMM yyyy")}


def day_from_url(text: str) -> date:
    """The date of a session's address, or 404."""
    day = parse_iso_date(text)
    if day is None:
        abort(404)
    return day


def show_error(form, error) -> None:
    """Put a service's refusal next to its field (or at the top); the service refused before writing."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        flash(str(error), "error")


def activity_choices(form_field) -> None:
    """The activities offered, as a select's choices."""
    form_field.choices = [SelectChoice(a.id, a.name) for a in active_activities()]


def weeks_around(today: date) -> tuple[date, date]:
    """The calendar's span: four weeks back, twelve ahead."""
    return today - timedelta(weeks=4), today + timedelta(weeks=12)
