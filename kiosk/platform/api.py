"""What every JSON route shares: reading the body, and the OpenAPI description assembled per feature."""

from importlib import import_module

from flask import abort, request
from flask_babel import gettext as _

from kiosk.platform.errors import ValidationFailed

# Each feature folder with /api/ routes has an openapi.py with PATHS (and optionally SCHEMAS).
OPENAPI_FEATURES = ("home", "checkin", "epicerie", "stock", "dashboard", "participants", "box")


def json_body() -> dict:
    """The request's JSON object, or 400 with a plain message."""
    try:
        payload = request.get_json(silent=True)
    except RecursionError:  # "[[[[..." nested deeper than the parser goes: bad input, not a 500
        payload = None
    if not isinstance(payload, dict):
        abort(400, _("Le corps de la requête doit être un objet JSON."))
    if holds_lone_surrogate(payload):
        abort(400, _("Le texte envoyé contient un caractère invalide."))
    return payload


def holds_lone_surrogate(value) -> bool:
    """Whether a parsed JSON value holds, in any key or string, a lone UTF-16 surrogate ("\\ud800"):
    JSON lets one through, but no database can store it."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def fail(**errors: str):
    """Refuse with 422 {"errors": {field: message}}."""
    raise ValidationFailed(errors)


def openapi_document() -> dict:
    """The OpenAPI 3 description of every /api/ route, gathered from the feature folders."""
    paths, schemas = {}, {"Error": ERROR_SCHEMA, "ValidationErrors": VALIDATION_SCHEMA}
    for feature in OPENAPI_FEATURES:
        try:
            module = import_module(f"kiosk.{feature}.openapi")
        except ModuleNotFoundError:
            continue
        paths.update(getattr(module, "PATHS", {}))
        schemas.update(getattr(module, "SCHEMAS", {}))
    return {
        "openapi": "3.0.3",
        "info": {"title": "CéPourMoi", "version": "1", "description": "L'API de la boîte du centre social."},
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "cepourmoi_session"},
                "device": {"type": "apiKey", "in": "cookie", "name": "cepourmoi_device"},
            },
        },
        "security": [{"session": []}, {"device": []}],
    }


ERROR_SCHEMA = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
VALIDATION_SCHEMA = {
    "type": "object",
    "required": ["errors"],
    "properties": {"errors": {"type": "object", "additionalProperties": {"type": "string"}}},
}


def error_responses(*codes: int) -> dict:
    """OpenAPI response entries for the usual error codes."""
    described = {
        400: "Requête invalide", 401: "Non connecté", 403: "Rôle ou appareil non autorisé",
        404: "Introuvable", 409: "Déjà en cours", 410: "Plus valable", 422: "Données invalides",
    }
    return {
        str(code): {
            "description": described.get(code, "Erreur"),
            "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/" + ("ValidationErrors" if code == 422 else "Error")
            }}},
        }
        for code in codes
    }
