"""Words shown on the privacy pages for stored codes (reasons, outcomes, audit actions)."""

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

EXIT_REASONS = {
    "work": _l("Emploi"),
    "training": _l("Formation"),
    "moved": _l("Déménagement"),
    "not_interested": _l("Ne souhaite plus venir"),
    "other": _l("Autre"),
}
CHECKIN_SOURCES = {"card": _l("Carte"), "host": _l("Accueil sans carte")}
CALL_CHANNELS = {"call": _l("Appel"), "text": _l("SMS"), "referrer": _l("Par l'orienteur"), "other": _l("Autre")}
CALL_OUTCOMES = {
    "reached": _l("Jointe"),
    "no_answer": _l("Pas de réponse"),
    "message_left": _l("Message laissé"),
    "will_come": _l("Va revenir"),
    "not_coming": _l("Ne reviendra pas"),
    "other": _l("Autre"),
}
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


def label(table: dict, code) -> str:
    """The word for a stored code, or the code itself when it has none."""
    if code is None:
        return ""
    return str(table.get(str(code), code))


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
