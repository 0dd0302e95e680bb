"""French first, English kept in step: the locale choice and the template filters for dates and money."""

from flask import current_app, has_request_context, request, session
from flask_babel import format_datetime, get_locale

from kiosk.platform.extensions import babel
from kiosk.platform.money import format_cents, format_euros
from kiosk.platform.timezone import to_local


def select_locale() -> str:
    """The language chosen on the screen, else the browser's if we speak it, else French."""
    if not has_request_context():  # the command line speaks the centre's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    languages = current_app.config["LANGUAGES"]
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or "fr"


def local_time(moment, fmt="HH:mm") -> str:
    """A stored UTC time shown in the centre's zone."""
    if moment is None:
        return ""
    return format_datetime(to_local(moment), fmt)


def init_app(app) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.root_path + "/translations"),
    )
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["euros"] = format_euros
    app.jinja_env.filters["cents"] = format_cents
