"""The words people read for the codes stored in the database (exit reasons, follow-up calls).

One table per code, used by every screen, export and PDF, so a reason reads the same everywhere.
The tables are keyed by the models' enums; as those are StrEnums, the stored strings find them too.
"""

from flask_babel import lazy_gettext as _l

from kiosk.models import CallChannel, CallOutcome, ExitReason

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
    CallOutcome.REACHED: _l("Joint·e"),
    CallOutcome.NO_ANSWER: _l("Pas de réponse"),
    CallOutcome.MESSAGE_LEFT: _l("Message laissé"),
    CallOutcome.WILL_COME: _l("Va revenir"),
    CallOutcome.NOT_COMING: _l("Ne reviendra pas"),
    CallOutcome.OTHER: _l("Autre"),
}


def label(table: dict, code) -> str:
    """The words for a stored code ("" for none); an unexpected code is shown as it is rather than failing."""
    if code is None:
        return ""
    return str(table.get(code, code))


def exit_reason_label(reason) -> str:
    """The words for why someone left."""
    return label(EXIT_REASONS, reason)
