"""The words of each SMS: short, plain, the first name only (never the last name), in the person's
language, signed with the wording the centre chose. Nothing in them names the programme or the
épicerie: a phone seen by someone else must not reveal it."""

from __future__ import annotations

from datetime import date, time

from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from kiosk.settings import get_setting


def _signature() -> str:
    return get_setting("sms_signature").strip()


def _signed(text: str) -> str:
    signature = _signature()
    return f"{text} {signature}" if signature else text


def _hour(starts: time) -> str:
    return starts.strftime("%H:%M")


def reminder_text(first_name: str, language: str, day: date, starts: time, activity: str | None) -> str:
    """The day-before reminder: activity and time."""
    with force_locale(language):
        when = format_date(day, _("EEEE d MMMM"))
        if activity:
            text = _("Bonjour %(name)s, à demain %(day)s à %(time)s pour l'atelier %(activity)s !",
                     name=first_name, day=when, time=_hour(starts), activity=activity)
        else:
            text = _("Bonjour %(name)s, à demain %(day)s à %(time)s pour l'atelier !",
                     name=first_name, day=when, time=_hour(starts))
        return _signed(text)


def we_miss_you_text(first_name: str, language: str, day: date | None, starts: time) -> str:
    """The "on vous attend" SMS after workshops missed in a row."""
    with force_locale(language):
        if day is None:
            text = _("Bonjour %(name)s, on ne vous a pas vu depuis quelques semaines. On vous attend !",
                     name=first_name)
        else:
            text = _("Bonjour %(name)s, on ne vous a pas vu depuis quelques semaines. "
                     "On vous attend %(day)s à %(time)s !",
                     name=first_name, day=format_date(day, _("EEEE d MMMM")), time=_hour(starts))
        return _signed(text + " " + _("(STOP pour ne plus recevoir de SMS)"))


def test_text(language: str = "fr") -> str:
    """The "send me a test" SMS."""
    with force_locale(language):
        return _signed(_("Essai : les SMS de la boîte fonctionnent."))
