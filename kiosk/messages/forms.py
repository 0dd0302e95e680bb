"""The messages settings form, the "send me a test" form, and a person's contact preference form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

RUNG = [InputRequired(message=_l("Un nombre d'ateliers entre 1 et 52.")),
        NumberRange(1, 52, message=_l("Un nombre d'ateliers entre 1 et 52."))]


class MessagesSettingsForm(FlaskForm):
    sms_url = StringField(_l("Adresse de la passerelle SMS"), validators=[Optional(), Length(max=300)])
    # Write-only: never shown back; left blank, the password already kept stays.
    sms_password = PasswordField(_l("Mot de passe de la passerelle"), validators=[Optional(), Length(max=100)])
    sms_signature = StringField(_l("Signature des SMS"), validators=[
        Length(max=60, message=_l("60 caractères au plus."))])
    sms_reminders = BooleanField(_l("Rappel la veille de chaque atelier"))
    ladder_sms_after = IntegerField(_l("SMS « on vous attend » après (ateliers manqués)"), validators=RUNG)
    followup_absent_days = IntegerField(_l("Appel de l'équipe après"), validators=RUNG)
    ladder_referent_after = IntegerField(_l("Alerte au référent après"), validators=RUNG)
    ladder_letter_after = IntegerField(_l("Courrier après"), validators=RUNG)
    ladder_handback_after = IntegerField(_l("Retour au prescripteur après"), validators=RUNG)


class TestSmsForm(FlaskForm):
    phone = StringField(_l("Votre numéro de portable"), validators=[
        InputRequired(message=_l("Indiquez votre numéro de portable.")), Length(max=30)])


class ContactForm(FlaskForm):
    sms_consent = RadioField(_l("Accepte de recevoir des SMS"), choices=[
        SelectChoice("yes", _l("Oui")), SelectChoice("no", _l("Non"))], validators=[InputRequired(message=_l("Choisissez oui ou non."))])
    channel = SelectField(_l("Pour la joindre, de préférence"), choices=[
        SelectChoice("sms", _l("SMS")), SelectChoice("letter", _l("Courrier")), SelectChoice("none", _l("Aucun message"))])
    language = SelectField(_l("Langue des messages"), choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")])


class AddressForm(FlaskForm):
    postal_address = TextAreaField(_l("Adresse postale (pour les courriers seulement)"), validators=[Length(max=300)])
