"""The messages settings page (coordinator), a person's contact preference, and the phone's webhook."""

import hmac

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.auth.access import PUBLIC, allow, csrf_only_with_session, keeps_input_on_csrf_failure
from kiosk.messages.consent import ConsentError, honour_stop, is_stop, preference_of, set_preference
from kiosk.messages.forms import ContactForm, MessagesSettingsForm, TestSmsForm
from kiosk.messages.labels import status_label, step_label
from kiosk.messages.queries import contact_log, gateway_state
from kiosk.messages.sender import deliver_now
from kiosk.messages.services import RULES, queue_test_sms, save_messages_settings
from kiosk.models import Participant, Role
from kiosk.platform.extensions import db
from kiosk.settings import get_int_setting, get_setting

bp = Blueprint("messages", __name__, url_prefix="/messages")


@bp.app_context_processor
def helpers() -> dict:
    """The person's page shows their contact preference and log (templates/messages/_person.html)."""
    return {"contact_log": contact_log, "contact_form": contact_form, "contact_preference": preference_of,
            "step_label": step_label, "status_label": status_label}


def contact_form(participant) -> ContactForm:
    preference = preference_of(participant)
    return ContactForm(formdata=None, sms_consent="yes" if preference.sms_consent else "no",
                       channel=preference.channel.value, language=preference.language)


def render_settings(form=None, test_form=None, status=200):
    form = form or MessagesSettingsForm(
        formdata=None, sms_url=get_setting("sms_url"), sms_signature=get_setting("sms_signature"),
        sms_reminders=get_setting("sms_reminders") == "1", **{key: get_int_setting(key) for key in RULES})
    token = get_setting("sms_webhook_token")
    hook = url_for(".incoming", token=token, _external=True) if token else None
    return render_template("messages/settings.html", form=form, test_form=test_form or TestSmsForm(formdata=None),
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
                                   {key: form[key].data for key in RULES})
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
    if not hmac.compare_digest(token, get_setting("sms_webhook_token") or "-"):
        abort(404)
    body = request.get_json(silent=True)
    payload = body.get("payload") if isinstance(body, dict) else None
    if not isinstance(payload, dict) or body.get("event") != "sms:received":
        return jsonify({"status": "ignored"}), 200
    text, sender = payload.get("message"), payload.get("phoneNumber") or payload.get("sender")
    if not isinstance(text, str) or not isinstance(sender, str) or not is_stop(text):
        return jsonify({"status": "ignored"}), 200
    stopped = honour_stop(sender)
    return jsonify({"status": "stopped", "people": len(stopped)}), 200
