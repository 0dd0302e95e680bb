"""The menu each role sees, grouped by what the person does; entries whose screen does not exist yet
are left out, and a group with a single entry is shown as that entry."""

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kiosk.models import Role

FLAT_UP_TO = 4  # so few entries are shown as they are, without groups
COORDINATOR, VOLUNTEER, REFERENT = {Role.COORDINATOR}, {Role.COORDINATOR, Role.VOLUNTEER}, {Role.REFERENT}
NETWORK = {Role.NETWORK}

MENU = [
    (_l("La journée"), [
        ("dashboard.today", _l("Aujourd'hui"), COORDINATOR),
        ("checkin.host", _l("Accueil sans carte"), VOLUNTEER),
        ("epicerie.tablet", _l("Épicerie"), VOLUNTEER),
        ("stock.index", _l("Stock de l'épicerie"), VOLUNTEER),
        ("checkin.kiosk_screen", _l("Borne"), COORDINATOR),
    ]),
    (_l("Les personnes"), [
        ("people.index", _l("Participants"), COORDINATOR),
        ("dashboard.followup", _l("À rappeler"), COORDINATOR),
        ("programme.calendar", _l("Calendrier"), COORDINATOR),
        ("dashboard.referent", _l("Mes participants"), REFERENT),
    ]),
    (_l("Les chiffres"), [
        ("sites.network", _l("Bilans du réseau"), NETWORK),
        ("dashboard.trends", _l("Tendances"), COORDINATOR),
        ("reports.report", _l("Bilan"), COORDINATOR),
        ("stock.month", _l("Fiche de stock"), COORDINATOR),
        ("stock.year", _l("Denrées par source"), COORDINATOR),
    ]),
    (_l("Réglages"), [
        ("sites.settings", _l("Le réseau"), NETWORK),
        ("epicerie.settings", _l("Règles de l'épicerie"), COORDINATOR),
        ("centre.settings", _l("Le centre"), COORDINATOR),
        ("admin.index", _l("Comptes et appareils"), COORDINATOR),
        ("messages.settings", _l("Messages"), COORDINATOR),
        ("privacy.manage", _l("Confidentialité"), COORDINATOR),
        ("box.status", _l("État de la boîte"), COORDINATOR),
    ]),
]


def menu_groups() -> list[dict]:
    """The groups of the menu this user sees: [{"label", "current", "items": [{"endpoint", "label", "current"}]}]."""
    if not current_user.is_authenticated:
        return []
    endpoints = current_app.view_functions
    groups = []
    for group_label, entries in MENU:
        items = [
            {"endpoint": endpoint, "label": label, "current": request.endpoint == endpoint}
            for endpoint, label, roles in entries
            if current_user.role in roles and endpoint in endpoints
        ]
        if items:
            groups.append({"label": group_label, "items": items, "current": any(i["current"] for i in items)})
    if sum(len(group["items"]) for group in groups) <= FLAT_UP_TO:  # a volunteer's two screens: no groups
        groups = [{"label": item["label"], "items": [item], "current": item["current"]}
                  for group in groups for item in group["items"]]
    return groups


def menu_items() -> list[dict]:
    """Every entry this user sees, in the menu's order."""
    return [item for group in menu_groups() for item in group["items"]]


def init_app(app) -> None:
    app.context_processor(lambda: {"menu_items": menu_items, "menu_groups": menu_groups})
