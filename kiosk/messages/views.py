"""The messages settings page (coordinator), a person's contact preference, and the phone's webhook."""

from datetime import date, timedelta
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.auth.access import PUBLIC, allow, csrf_only_with_session, keeps_input_on_csrf_failure
from kiosk.messages.consent import ConsentError, honour_stop, is_stop, preference_of, set_preference
from kiosk.messages.forms import AddressForm, ContactForm, MessagesSettingsForm, TestSmsForm
from kiosk.messages.gateways import without_password
from kiosk.messages.labels import status_label, step_label
from kiosk.messages.letters import letter_for, letters_between, prepare_letter, set_postal_address
from kiosk.messages.queries import contact_log, gateway_state
from kiosk.messages.sender import deliver_now
from kiosk.messages.services import RULES, queue_test_sms, save_messages_settings, site_of_webhook
from kiosk.messages.what_works import measured, row_label, what_works_chart
from kiosk.models import Channel, OutboxMessage, Participant, PostalAddress, Role
from kiosk.platform.downloads import download
from kiosk.privacy.export import postal_address_of
from kiosk.platform.forms import EmptyForm
from kiosk.platform.timezone import local_day, utcnow
from kiosk.platform.extensions import db
from kiosk.settings import get_int_setting, get_setting
from kiosk.sites.scope import scoped_to

bp = Blueprint("messages", __name__, url_prefix="/messages")
LETTER_DAYS = 30


@bp.app_context_processor
def helpers() -> dict:
    """The person's page shows their contact preference and log (templates/messages/_person.html)."""
    return {"contact_log": contact_log, "contact_form": contact_form, "contact_preference": preference_of,
            "step_label": step_label, "status_label": status_label, "address_form": address_form,
            "letter_form": EmptyForm, "what_works_chart": what_works_chart, "works_label": row_label,
            "what_works_year": what_works_year, "what_works_recent": what_works_recent,
            "postal_address_of": postal_address_of}


def what_works_year(year: int):
    """What works over a calendar year (the yearly report)."""
    return measured(date(year, 1, 1), date(year, 12, 31))


def what_works_recent(referrer_id: int | None = None):
    """What works over the last twelve months (the dashboard; a referent's own people)."""
    today = local_day()
    return measured(today - timedelta(days=365), today, referrer_id=referrer_id, today=today)


def address_form(participant) -> AddressForm:
    address = db.session.get(PostalAddress, participant.id)
    return AddressForm(formdata=None, postal_address=address.lines if address else "")


def contact_form(participant) -> ContactForm:
    preference = preference_of(participant)
    return ContactForm(formdata=None, sms_consent="yes" if preference.sms_consent else "no",
                       channel=preference.channel.value, language=preference.language)


def render_settings(form=None, test_form=None, status=200):
    form = form or MessagesSettingsForm(
        formdata=None, sms_url=without_password(get_setting("sms_url")), sms_signature=get_setting("sms_signature"),
        sms_reminders=get_setting("sms_reminders") == "1", **{key: get_int_setting(key) for key in RULES})
    form.sms_url.data = without_password(form.sms_url.data or "")  # a password typed is never echoed
    token = get_setting("sms_webhook_token")
    hook = url_for(".incoming", token=token, _external=True) if token else None
    has_password = bool(urlsplit(get_setting("sms_url") or "").password)
    return render_template("messages/settings.html", form=form, has_password=has_password, test_form=test_form or TestSmsForm(formdata=None),
                           state=gateway_state(), webhook_url=hook), status


@bp.get("/settings")
@allow(Role.COORDINATOR)
def settings():
    """The gateway, the SMS signature and the ladder's rules, with a test button."""
    return render_settings()


@bp.post("/settings")
@allow(Role.COORDINATOR)
@keeps_input_on_csrf_failure
def save_settings():
    """Save the gateway and the ladder's rules."""
    form = MessagesSettingsForm()
    if form.validate_on_submit():
        try:
            save_messages_settings(form.sms_url.data or "", form.sms_signature.data or "", form.sms_reminders.data,
                                   {key: form[key].data for key in RULES}, form.sms_password.data or "")
        except ValueError as exc:  # refused before anything was written
            form.sms_url.errors = [str(exc)]
        else:
            flash(_("Réglages des messages enregistrés."), "success")
            return redirect(url_for(".settings"), code=303)
    return render_settings(form=form, status=422)


@bp.post("/test")
@allow(Role.COORDINATOR)
def send_test():
    """Send a test SMS to the coordinator's own number, now, and say what the phone answered."""
    form = TestSmsForm()
    if not form.validate_on_submit():
        return render_settings(test_form=form, status=422)
    try:
        message = queue_test_sms(form.phone.data, current_user)
    except ValueError as exc:  # refused before anything was written
        form.phone.errors = [str(exc)]
        return render_settings(test_form=form, status=422)
    result = deliver_now(message.id)  # the sender commits the queued message with its claim (sender.py)
    if result.sms:
        flash(_("SMS d'essai envoyé : regardez votre téléphone."), "success")
    else:
        flash(_("Le SMS d'essai n'est pas parti : %(error)s", error="; ".join(result.errors)), "error")
    return redirect(url_for(".settings"), code=303)


@bp.post("/participant/<int:participant_id>/contact")
@allow(Role.COORDINATOR)
def save_contact(participant_id):
    """Record a person's SMS consent (who, when), preferred channel and language."""
    participant = db.get_or_404(Participant, participant_id)
    form = ContactForm()
    if form.validate_on_submit():
        try:
            set_preference(participant, form.sms_consent.data == "yes", form.channel.data, form.language.data,
                           user=current_user, source="page")
        except ConsentError as exc:  # refused before anything was written
            flash(str(exc), "error")
        else:
            flash(_("Préférences de contact enregistrées."), "success")
    else:
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
    return redirect(url_for("people.show", participant_id=participant_id, _anchor="contact-title"), code=303)


@bp.post("/incoming/<token>")
@allow(PUBLIC)
@csrf_only_with_session
def incoming(token):
    """The phone's `sms:received` webhook: a "STOP" reply withdraws that number's SMS consent."""
    site_id = site_of_webhook(token)  # each centre's phone posts to its own secret address
    if site_id is None:
        abort(404)
    body = request.get_json(silent=True)
    payload = body.get("payload") if isinstance(body, dict) else None
    if not isinstance(payload, dict) or body.get("event") != "sms:received":
        return jsonify({"status": "ignored"}), 200
    text, sender = payload.get("message"), payload.get("phoneNumber") or payload.get("sender")
    if not isinstance(text, str) or not isinstance(sender, str) or not is_stop(text):
        return jsonify({"status": "ignored"}), 200
    with scoped_to(site_id):
        stopped = honour_stop(sender)
        db.session.flush()  # what it changed and audited belongs to that centre
    return jsonify({"status": "stopped", "people": len(stopped)}), 200


@bp.post("/participant/<int:participant_id>/address")
@allow(Role.COORDINATOR)
def save_address(participant_id):
    """Keep or erase a person's postal address (asked only to send them letters)."""
    participant = db.get_or_404(Participant, participant_id)
    form = AddressForm()
    try:
        if not form.validate_on_submit():
            raise ValueError(" ".join(error for errors in form.errors.values() for error in errors))
        set_postal_address(participant, form.postal_address.data or "")
    except ValueError as exc:  # refused before anything was written
        flash(str(exc), "error")
    else:
        flash(_("Adresse postale enregistrée."), "success")
    return redirect(url_for("people.show", participant_id=participant_id, _anchor="address-title"), code=303)


@bp.post("/participant/<int:participant_id>/letter")
@allow(Role.COORDINATOR)
def ask_letter(participant_id):
    """Prepare a letter for a person who prefers paper: on their log, then its PDF."""
    participant = db.get_or_404(Participant, participant_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    message = prepare_letter(participant, utcnow())
    return redirect(url_for(".letter_pdf", message_id=message.id), code=303)


@bp.get("/letters")
@allow(Role.COORDINATOR)
def letters():
    """The letters of the last 30 days, to print (one by one or all in one PDF)."""
    recent = letters_between(utcnow() - timedelta(days=LETTER_DAYS))
    with_address = {row.participant_id for row in db.session.scalars(
        db.select(PostalAddress).where(PostalAddress.participant_id.in_({m.participant_id for m in recent})))}
    return render_template("messages/letters.html", letters=recent, with_address=with_address, days=LETTER_DAYS)


@bp.get("/letters/<int:message_id>.pdf")
@allow(Role.COORDINATOR)
def letter_pdf(message_id):
    """One letter, as an A4 PDF for a window envelope."""
    message = db.get_or_404(OutboxMessage, message_id)
    if message.channel != Channel.LETTER or message.participant is None:
        abort(404)
    today = local_day()
    from kiosk.messages.letter_pdf import render_letters  # reportlab: loaded on the first letter printed

    return download(render_letters([letter_for(message.participant, today)], today),
                    f"courrier-{message.id}.pdf", "application/pdf")


@bp.get("/letters/recent.pdf")
@allow(Role.COORDINATOR)
def letters_pdf():
    """All the letters of the last 30 days in one PDF (one page each)."""
    today = local_day()
    recent = letters_between(utcnow() - timedelta(days=LETTER_DAYS))
    if not recent:
        abort(404)
    from kiosk.messages.letter_pdf import render_letters  # reportlab: loaded on the first letter printed

    return download(render_letters([letter_for(m.participant, today) for m in recent], today),
                    f"courriers-{today.isoformat()}.pdf", "application/pdf")
