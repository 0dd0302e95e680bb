"""Errors in plain French: an HTML page for people, JSON under /api/. Never a traceback."""

from flask import current_app, flash, jsonify, make_response, render_template, request
from markupsafe import escape
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from kiosk.platform.clock import ClockSuspect
from kiosk.platform.extensions import db


class ValidationFailed(Exception):
    """Invalid input: 422 with {"errors": {field: message}} under /api/."""

    def __init__(self, errors: dict[str, str], headers: dict[str, str] | None = None):
        super().__init__(errors)
        self.errors = errors
        self.headers = headers or {}  # e.g. X-Epicerie-Limit: the body stays {"errors": ...} exactly


def messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Demande incorrecte"), _("Ce qui a été envoyé n'est pas compris.")),
        401: (_("Connexion nécessaire"), _("Connectez-vous pour continuer.")),
        403: (_("Accès refusé"), _("Cette page n'est pas pour votre rôle.")),
        404: (_("Page introuvable"), _("Cette page n'existe pas ou plus.")),
        405: (_("Action impossible"), _("Cette action n'est pas permise ici.")),
        409: (_("Déjà en cours"), _("La même demande est déjà en cours. Réessayez.")),
        410: (_("Plus valable"), _("Ce lien ou cette carte n'est plus valable.")),
        413: (_("Trop volumineux"), _("Le fichier envoyé est trop gros.")),
        422: (_("Données invalides"), _("Vérifiez ce qui a été saisi.")),
        429: (_("Trop d'essais"), _("Patientez quelques minutes avant de réessayer.")),
        500: (_("Erreur du serveur"), _("Un problème est survenu. Réessayez ; sinon prévenez la coordination.")),
        503: (_("Serveur occupé"), _("Le serveur est occupé, réessayez dans un instant.")),
    }


def is_api() -> bool:
    return request.path.startswith("/api/")


def render_error(code: int, detail: str | None = None, title: str | None = None):
    """The error page (JSON under /api/); `title` when the code's usual heading would mislead (a 503
    is not always a busy server)."""
    usual_title, text = messages().get(code, messages()[500] if code >= 500 else messages()[400])
    title = title or usual_title
    if is_api():
        return jsonify(error=detail or text), code
    try:
        return render_template("errors/error.html", code=code, title=title, text=detail or text), code
    except Exception:  # the error page itself failed: answer plainly rather than with a traceback
        current_app.logger.exception("error page failed")
        return f"<!doctype html><html lang=fr><title>{escape(title)}</title><h1>{escape(title)}</h1>", code


def handle_http(error: HTTPException):
    return render_error(error.code or 500, error.description if _is_ours(error) else None)


def _is_ours(error: HTTPException) -> bool:
    """Descriptions we wrote (abort(400, "...")) are shown; Werkzeug's English defaults are not."""
    return type(error).description != error.description


def handle_csrf(error: CSRFError):
    """A form whose token expired is shown again with what was typed; elsewhere a plain 400."""
    message = _("Le formulaire a expiré. Vérifiez ce qui est saisi et envoyez à nouveau.")
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if is_api() or not getattr(view, "rerender_on_csrf_failure", False):
        return render_error(400, _("Le formulaire a expiré. Rechargez la page et recommencez."))
    flash(message, "error")
    response = make_response(view(**(request.view_args or {})))
    response.status_code = 400
    return response


def handle_validation(error: ValidationFailed):
    if is_api():
        return jsonify(errors=error.errors), 422, error.headers
    return render_error(422)


STORAGE_FAULTS = ("disk is full", "readonly database", "read-only", "disk i/o error", "unable to open database")


def handle_database_error(error: OperationalError):
    """The database refused: busy (retry), or its disk is full or read-only (reads still work)."""
    db.session.rollback()
    reason = str(getattr(error, "orig", error)).lower()
    if "locked" in reason or "busy" in reason:
        return render_error(503, _("Le serveur est occupé, réessayez."))
    current_app.logger.error("database error: %s", reason)
    if any(fault in reason for fault in STORAGE_FAULTS):
        return render_error(503, _("Le boîtier ne peut plus enregistrer (disque plein ou protégé en écriture). "
                                   "Rien n'a été enregistré : prévenez la coordination."),
                            title=_("Enregistrement impossible"))
    return render_error(503, _("La base de données ne répond pas. Réessayez dans un instant."),
                        title=_("Base de données indisponible"))


def handle_overflow(error: OverflowError):
    """A number too large for the database (a pasted id of 40 digits): bad input, not a crash."""
    db.session.rollback()
    return render_error(400, _("Ce nombre est trop grand."))


def handle_data_error(error: DataError):
    """A value the database cannot hold (a NUL byte for PostgreSQL): bad input, not a crash."""
    db.session.rollback()
    return render_error(400, _("Un caractère saisi n'est pas permis."))


def handle_unexpected(error: Exception):
    db.session.rollback()
    if isinstance(error, HTTPException) and not isinstance(error, InternalServerError):
        return handle_http(error)
    current_app.logger.exception("unexpected error")
    return render_error(500)


def handle_clock_suspect(error: ClockSuspect):
    """The box's clock is behind what it stored: nothing is dated by it (CONTRACT.md, "The box's clock")."""
    db.session.rollback()
    message = _("L'horloge de la boîte retarde : rien n'est enregistré. "
                "La coordination peut la remettre à l'heure depuis le tableau de bord.")
    if is_api():
        return jsonify(error=message, clock="suspect"), 503
    return render_error(503, message)


def init_app(app) -> None:
    app.register_error_handler(ClockSuspect, handle_clock_suspect)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(ValidationFailed, handle_validation)
    app.register_error_handler(OperationalError, handle_database_error)
    app.register_error_handler(OverflowError, handle_overflow)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(Exception, handle_unexpected)
