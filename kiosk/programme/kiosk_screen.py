"""What the kiosk needs from the programme: today's session, the next one on a day without a
workshop, and its words in each language it speaks (French first; others pick them by a button).

A language joins the kiosk when its catalogue is in LANGUAGES: add `("ar", "العربية", "rtl")`
to KIOSK_LANGUAGES and `kiosk/translations/ar/`; the page sets `lang` and `dir` when it is chosen.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from kiosk.platform.timezone import local_day
from kiosk.programme.calendar import NoWorkshopDay, Session, next_workshop_after, workshop_day_for
from kiosk.programme.pictograms import pictogram_url

# code, its own name (shown on its button, never translated), writing direction
KIOSK_LANGUAGES = [("fr", "Français", "ltr"), ("en", "English", "ltr"), ("ar", "العربية", "rtl")]


def kiosk_words() -> dict[str, str]:
    """Every sentence the kiosk shows or says, in the current locale ({name}, {day}, {activity} filled by the page)."""
    return {
        "welcome": _("Bienvenue !"),
        "show_camera": _("Montrez votre carte à la caméra"),
        "show_scanner": _("Passez votre carte devant le lecteur"),
        "hello": _("Bonjour {name} !"),
        "spoken_hello": _("Bonjour {name}"),
        "today": _("Aujourd'hui :"),
        "already": _("Présence déjà enregistrée à"),
        "noted": _("C'est noté !"),
        "noted_lead": _("Votre passage sera envoyé dès que le réseau revient."),
        "unknown": _("Carte non reconnue"),
        "unknown_lead": _("Allez voir la personne de l'accueil, elle va vous aider."),
        "replaced": _("Cette carte ne marche plus"),
        "replaced_lead": _("Une nouvelle carte a été faite pour vous. Allez voir la personne de l'accueil."),
        "revoked": _("Cette carte ne marche plus"),
        "revoked_lead": _("Elle a été arrêtée. Allez voir la personne de l'accueil, elle va vous aider."),
        "exited": _("Allez voir l'accueil"),
        "exited_lead": _("Votre inscription à l'atelier est terminée. La personne de l'accueil peut vous réinscrire."),
        "anonymised": _("Cette carte ne marche plus"),
        "anonymised_lead": _("Les informations de cette carte ont été effacées. Allez voir la personne de l'accueil."),
        "problem": _("Ça n'a pas marché"),
        "problem_lead": _("Réessayez, ou allez voir la personne de l'accueil."),
        "forgot_title": _("Pas de souci !"),
        "forgot_lead": _("Allez voir la personne de l'accueil : elle vous inscrit avec votre nom."),
        "forgot": _("J'ai oublié ma carte"),
        "back": _("Retour"),
        "closed": _("Pas d'atelier aujourd'hui."),
        "next": _("Prochain atelier : {day}, {activity}"),
        "next_no_activity": _("Prochain atelier : {day}"),
        "no_next": _("Aucun atelier n'est encore prévu."),
        "choose_language": _("Langue"),
    }


def kiosk_languages() -> list[dict]:
    """The kiosk's languages whose catalogue the box has, each with its words."""
    available = current_app.config["LANGUAGES"]
    languages = []
    for code, name, direction in KIOSK_LANGUAGES:
        if code in available:
            with force_locale(code):
                languages.append({"code": code, "name": name, "dir": direction, "words": kiosk_words()})
    return languages


def session_summary(session: Session | None) -> dict | None:
    """A session as the kiosk shows it: its date, activity and pictogram."""
    if session is None:
        return None
    return {"date": session.day.isoformat(), "activity": session.activity,
            "pictogram": pictogram_url(session.pictogram) if session.activity else None}


def kiosk_context() -> dict:
    """Today's session (or the next one when there is none today) and the languages, for the page."""
    today = local_day()
    session = workshop_day_for(today)
    return {
        "today_session": session_summary(session),
        "next_session": None if session else session_summary(next_workshop_after(today)),
        "kiosk_languages": kiosk_languages(),
    }


def no_workshop_answer(closed: NoWorkshopDay) -> dict:
    """The 409 body of a scan on a day without a workshop (CONTRACT.md, "Workshops")."""
    following = session_summary(closed.next_session)
    return {
        "error": closed.message,
        "next_workshop": following["date"] if following else None,
        "next_activity": following["activity"] if following else None,
        "next_pictogram": following["pictogram"] if following else None,
    }
