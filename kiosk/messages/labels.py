"""Words for the ladder's steps and the messages' states, in the screen's language."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kiosk.models import MessageStatus, Step

STEPS = {
    Step.REMINDER: _l("Rappel de l'atelier (SMS)"),
    Step.NO_SHOW: _l("Inscrit·e, pas venu·e"),
    Step.WE_MISS_YOU: _l("SMS « on vous attend »"),
    Step.CALL: _l("Appel de l'équipe"),
    Step.REFERENT: _l("Référent alerté"),
    Step.LETTER: _l("Courrier"),
    Step.HANDED_BACK: _l("Rendu au prescripteur"),
    Step.TEST: _l("SMS d'essai"),
}
STATUSES = {
    MessageStatus.PENDING: _l("en attente"),
    MessageStatus.SENDING: _l("en cours d'envoi"),
    MessageStatus.SENT: _l("envoyé"),
    MessageStatus.FAILED: _l("en échec, nouvel essai prévu"),
    MessageStatus.CANCELLED: _l("annulé"),
}
DELIVERY = {"Delivered": _l("reçu"), "Failed": _l("non reçu"), "Sent": _l("parti du téléphone"),
            "Pending": _l("pas encore parti")}


def step_label(step: Step) -> str:
    return str(STEPS[Step(step)])


def status_label(status: MessageStatus, delivery: str | None = None, channel: str | None = None) -> str:
    """« envoyé · reçu »: the outbox's state, and the phone's report where it gave one."""
    if channel == "letter" and MessageStatus(status) == MessageStatus.SENT:
        return _("prêt à imprimer")
    text = str(STATUSES[MessageStatus(status)])
    if delivery in DELIVERY:
        text += " · " + str(DELIVERY[delivery])
    return text


def channel_label(channel: str) -> str:
    return {"sms": _("SMS"), "letter": _("Courrier"), "team": _("Équipe")}.get(channel, channel)
