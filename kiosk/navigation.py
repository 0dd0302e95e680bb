"""The menu each role sees; entries whose screen does not exist yet are left out."""

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kiosk.models import Role

MENU = [
    ("dashboard.today", _l("Aujourd'hui"), {Role.COORDINATOR}),
    ("dashboard.followup", _l("À rappeler"), {Role.COORDINATOR}),
    ("people.index", _l("Participants"), {Role.COORDINATOR}),
    ("programme.calendar", _l("Calendrier"), {Role.COORDINATOR}),
    ("dashboard.trends", _l("Tendances"), {Role.COORDINATOR}),
    ("reports.report", _l("Bilan"), {Role.COORDINATOR}),
    ("epicerie.tablet", _l("Épicerie"), {Role.COORDINATOR, Role.VOLUNTEER}),
    ("checkin.host", _l("Accueil sans carte"), {Role.COORDINATOR, Role.VOLUNTEER}),
    ("epicerie.settings", _l("Règles de l'épicerie"), {Role.COORDINATOR}),
    ("dashboard.referent", _l("Mes participants"), {Role.REFERENT}),
    ("checkin.kiosk_screen", _l("Borne"), {Role.COORDINATOR}),
    ("admin.index", _l("Comptes et appareils"), {Role.COORDINATOR}),
    ("centre.settings", _l("Le centre"), {Role.COORDINATOR}),
    ("messages.settings", _l("Messages"), {Role.COORDINATOR}),
    ("privacy.manage", _l("Confidentialité"), {Role.COORDINATOR}),
    ("box.status", _l("État de la boîte"), {Role.COORDINATOR}),
]


def menu_items():
    if not current_user.is_authenticated:
        return []
    endpoints = current_app.view_functions
    return [
        {"endpoint": endpoint, "label": label, "current": request.endpoint == endpoint}
        for endpoint, label, roles in MENU
        if current_user.role in roles and endpoint in endpoints
    ]


def init_app(app) -> None:
    app.context_processor(lambda: {"menu_items": menu_items})
