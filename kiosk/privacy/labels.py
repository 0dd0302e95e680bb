"""Words shown on the privacy pages for stored codes (reasons, outcomes, audit actions)."""

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from kiosk.audit import AuditAction
from kiosk.outcomes import labels as outcome_labels
from kiosk.labels import CALL_CHANNELS, CALL_OUTCOMES, EXIT_REASONS, label

CHECKIN_SOURCES = {"card": _l("Carte"), "host": _l("Accueil sans carte")}
# Every action and entity recorded by record_audit / record_reading has its words here
# (tests/privacy/test_audit_labels.py collects them from the code).
AUDIT_ACTIONS = {
    AuditAction.VIEW: _l("a consulté"),
    AuditAction.EXPORT: _l("a téléchargé un fichier"),
    AuditAction.ANONYMISE: _l("a anonymisé"),
    AuditAction.CREATE: _l("a créé"),
    AuditAction.UPDATE: _l("a modifié"),
    AuditAction.CANCEL: _l("a annulé"),
    AuditAction.DELETE: _l("a supprimé"),
    AuditAction.EXIT: _l("a noté une sortie"),
    AuditAction.RETURN: _l("a noté un retour"),
    AuditAction.EPICERIE_ACCESS: _l("a ouvert l'accès à l'épicerie"),
    AuditAction.CARD_REPLACE: _l("a remplacé la carte"),
    AuditAction.CARD_PRINT: _l("a imprimé des cartes"),
    AuditAction.IMPORT: _l("a importé une liste"),
    AuditAction.DISABLE: _l("a désactivé"),
    AuditAction.PASSWORD: _l("a changé le mot de passe de"),
    AuditAction.CHECKIN_HOST: _l("a enregistré sans carte la présence de"),
    AuditAction.REVOKE: _l("a révoqué"),
    AuditAction.BOX_CLOCK_SET: _l("a mis à l'heure l'horloge de"),
    AuditAction.PLAN: _l("a planifié"),
    AuditAction.REGISTER: _l("a inscrit"),
    AuditAction.UNREGISTER: _l("a désinscrit"),
    AuditAction.MOVE_UP: _l("a donné une place libérée (liste d'attente)"),
    AuditAction.CHECKIN_REMOVE: _l("a retiré une présence enregistrée par erreur"),
    AuditAction.SEARCH: _l("a cherché par leur nom des fiches de"),
    AuditAction.TEST_SMS: _l("a envoyé un SMS d'essai :"),
    AuditAction.CONSENT: _l("a noté l'accord pour les SMS de"),
    AuditAction.LADDER_STEP: _l("a franchi une étape de relance pour"),
    AuditAction.STOCK_ARRIVAL: _l("a enregistré un arrivage de denrées :"),
    AuditAction.STOCK_LOSS: _l("a enregistré une perte de denrées :"),
    AuditAction.STOCK_WORKSHOP_USE: _l("a pris dans le stock pour l'atelier cuisine :"),
    AuditAction.EPICERIE_OVERRIDE: _l("a passé outre une limite de l'épicerie pour"),
    AuditAction.PIN_SET: _l("a changé le code tablette de"),
    AuditAction.PIN_LOCKED: _l("a bloqué, après trop d'essais, le code tablette de"),
}
AUDIT_ENTITIES = {
    "messages_settings": _l("réglages des messages"),
    "product": _l("produit de la liste des prix"),
    "outbox_message": _l("message"),
    "participant": _l("participant"),
    "check_in": _l("passage"),
    "basket": _l("panier"),
    "card": _l("carte"),
    "checkin": _l("passage"),
    "setting": _l("réglage"),
    "user": _l("compte"),
    "device": _l("appareil"),
    "site": _l("centre du réseau"),
    "box": _l("la boîte"),
    "epicerie_access": _l("accès à l'épicerie"),
    "epicerie_rules": _l("règles de l'épicerie"),
    "category": _l("catégorie de l'épicerie"),
    "follow_up_call": _l("essai de contact"),
    "followup_list": _l("liste des personnes à rappeler"),
    "centre_logo": _l("logo du centre"),
    "milestone": _l("étape du parcours"),
    "milestone_kind": _l("type d'étape du parcours"),
    "self_assessment": _l("auto-évaluation"),
    "situation": _l("situation à l'entrée ou à la sortie"),
    "esf_participants": _l("fichier des participants FSE+"),
    "funder_file": _l("fichier de chiffres pour un financeur"),
    "server_setting": _l("réglage du réseau"),
    "year_report": _l("bilan de l'année"),
    "activity": _l("activité"),
    "workshop_day": _l("atelier"),
    "weekly_pattern": _l("rythme de la semaine"),
    "registration": _l("inscription à un atelier"),
    "household": _l("foyer de l'épicerie"),
    "referent_list": _l("liste des personnes orientées"),
    "day_note": _l("note du jour"),
    "stock_arrival": _l("arrivage de denrées"),
    "stock_loss": _l("perte de denrées"),
    "workshop_use": _l("ingrédient de l'atelier cuisine"),
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
        "outcome_labels": outcome_labels,
        "kind_label": outcome_labels.kind_label,
    }
