"""The words people read on the dashboard: the shared tables of kiosk/labels.py, and its own few."""

from flask_babel import lazy_gettext as _l

from kiosk.labels import CALL_CHANNELS, CALL_OUTCOMES, EXIT_REASONS, label
from kiosk.models import RefusalReason

__all__ = ["CALL_CHANNELS", "CALL_OUTCOMES", "EXIT_REASONS", "NO_REFERRER", "NO_STRUCTURE", "REFUSAL_REASONS", "label"]

REFUSAL_REASONS = {
    RefusalReason.UNKNOWN: _l("Carte inconnue"),
    RefusalReason.REPLACED: _l("Carte remplacée par une nouvelle"),
    RefusalReason.REVOKED: _l("Carte arrêtée"),
    RefusalReason.EXITED: _l("Personne sortie du programme"),
    RefusalReason.ANONYMISED: _l("Données effacées"),
}

NO_STRUCTURE = _l("Structure non renseignée")
NO_REFERRER = _l("Sans orienteur")

