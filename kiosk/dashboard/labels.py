"""The words people read for the dashboard's stored codes (exit reasons, call channels...)."""

from flask_babel import lazy_gettext as _l

from kiosk.models import CallChannel, CallOutcome, ExitReason, RefusalReason

EXIT_REASONS = {
    ExitReason.WORK: _l("Emploi"),
    ExitReason.TRAINING: _l("Formation"),
    ExitReason.MOVED: _l("Déménagement"),
    ExitReason.NOT_INTERESTED: _l("Ne souhaite plus venir"),
    ExitReason.OTHER: _l("Autre raison"),
}

CALL_CHANNELS = {
    CallChannel.CALL: _l("Appel"),
    CallChannel.TEXT: _l("SMS"),
    CallChannel.REFERRER: _l("Par l'orienteur"),
    CallChannel.OTHER: _l("Autre"),
}

CALL_OUTCOMES = {
    CallOutcome.REACHED: _l("Joint(e)"),
    CallOutcome.NO_ANSWER: _l("Pas de réponse"),
    CallOutcome.MESSAGE_LEFT: _l("Message laissé"),
    CallOutcome.WILL_COME: _l("Va revenir"),
    CallOutcome.NOT_COMING: _l("Ne reviendra pas"),
    CallOutcome.OTHER: _l("Autre"),
}

REFUSAL_REASONS = {
    RefusalReason.UNKNOWN: _l("Carte inconnue"),
    RefusalReason.REPLACED: _l("Carte remplacée ou retirée"),
}

NO_STRUCTURE = _l("Structure non renseignée")
NO_REFERRER = _l("Sans orienteur")


def label(mapping: dict, code) -> str:
    """The label of a stored code; an unexpected code is shown as it is rather than failing."""
    try:
        return str(mapping[code])
    except KeyError:
        return str(code)
