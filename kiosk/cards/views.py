"""Card screens: the QR on the participant's page, replacing a lost card, printing cards."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from kiosk.cards.codes import unseal_code
from kiosk.cards.qr import qr_svg
from kiosk.cards.queries import unprinted_participants
from kiosk.cards import services as cards
from kiosk.people.queries import get_participant
from kiosk.platform.downloads import download
from kiosk.platform.forms import EmptyForm
from kiosk.platform.timezone import local_day

bp = Blueprint("cards", __name__, url_prefix="/participants")


@bp.get("/<int:participant_id>/card.svg")
def card_image(participant_id):
    """The QR code of the participant's working card, as an SVG image (never cached)."""
    participant = get_participant(participant_id)
    card = cards.working_card(participant)
    code = unseal_code(card.code_sealed) if card is not None else None
    if code is None:
        abort(404)
    svg = qr_svg(code, _("Carte de %(name)s", name=participant.first_name))
    return Response(svg, mimetype="image/svg+xml", headers={"X-Content-Type-Options": "nosniff"})


@bp.route("/<int:participant_id>/card/replace", methods=["GET", "POST"])
def replace_card(participant_id):
    """Replace a lost card after a confirmation: the old one stops working at once."""
    participant = get_participant(participant_id)
    form = EmptyForm()
    if form.validate_on_submit():
        cards.replace_card(participant)
        flash(_("Nouvelle carte créée : l'ancienne ne fonctionne plus. Imprimez la nouvelle."))
        return redirect(url_for("people.show", participant_id=participant.id), code=303)
    return render_template("cards/replace_card.html", participant=participant, form=form)


@bp.post("/<int:participant_id>/card/print")
def print_card(participant_id):
    """The participant's card as a PDF to print (marked printed)."""
    from kiosk.cards.printing import print_cards  # here, not at start: keeps the server small
    participant = get_participant(participant_id)
    EmptyForm()
    try:
        pdf, _cards = print_cards([participant])
    except cards.CardError as error:
        flash(str(error), "error")
        return redirect(url_for("people.show", participant_id=participant.id), code=303)
    return download(pdf, "carte.pdf", "application/pdf")


@bp.post("/cards/print")
def print_unprinted():
    """Every card not yet printed (of people in the programme), as A4 sheets to print."""
    from kiosk.cards.printing import print_cards  # here, not at start: keeps the server small
    EmptyForm()
    participants = unprinted_participants()
    if not participants:
        flash(_("Toutes les cartes sont déjà imprimées."))
        return redirect(url_for("people.index"), code=303)
    pdf, cards = print_cards(participants)
    return download(pdf, f"cartes-{local_day().isoformat()}.pdf", "application/pdf")

