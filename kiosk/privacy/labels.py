"""Words shown on the privacy pages for stored codes (reasons, outcomes, audit actions)."""

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from kiosk.labels import CALL_CHANNELS, CALL_OUTCOMES, EXIT_REASONS, label

CHECKIN_SOURCES = {"card": _l("Carte"), "host": _l("Accueil sans carte")}
AUDIT_ACTIONS = {
    "view": _l("a consulté"),
    "export": _l("a téléchargé le fichier de"),
    "anonymise": _l("a anonymisé"),
    "create": _l("a créé"),
    "update": _l("a modifié"),
    "cancel": _l("a annulé"),
    "delete": _l("a supprimé"),
}
AUDIT_ENTITIES = {
    "participant": _l("participant"),
    "basket": _l("panier"),
    "card": _l("carte"),
    "checkin": _l("passage"),
    "setting": _l("réglage"),
    "user": _l("compte"),
    "device": _l("appareil"),
}
ROLES = {
    "coordinator": _l("Coordination"),
    "volunteer": _l("Bénévole"),
    "referent": _l("Référent social"),
    "kiosk": _l("Borne"),
    "tablet": _l("Tablette"),
    "system": _l("Automatique (conservation)"),
}


def kilos(grams: int) -> str:
    """1500 -> "1,5 kg" in French, "1.5 kg" in English."""
    return f"{format_decimal(grams / 1000, format='#,##0.0')}\u00a0kg"


def template_globals() -> dict:
    return {
        "privacy_label": label,
        "kilos": kilos,
        "EXIT_REASONS": EXIT_REASONS,
        "CHECKIN_SOURCES": CHECKIN_SOURCES,
        "CALL_CHANNELS": CALL_CHANNELS,
        "CALL_OUTCOMES": CALL_OUTCOMES,
        "AUDIT_ACTIONS": AUDIT_ACTIONS,
        "AUDIT_ENTITIES": AUDIT_ENTITIES,
        "ROLES": ROLES,
    }
