"""The pictograms an activity can wear (static/img/pictograms/NAME.svg), with their names."""

from flask import url_for
from flask_babel import lazy_gettext as _l

PICTOGRAMS = {
    "cooking": _l("Cuisine"),
    "relax": _l("Détente, gestion du stress"),
    "makeover": _l("Relooking, image de soi"),
    "sport": _l("Sport, bouger"),
    "computer": _l("Informatique"),
    "garden": _l("Jardin"),
    "art": _l("Arts, bricolage"),
    "music": _l("Musique"),
    "talk": _l("Groupe de parole"),
    "money": _l("Budget"),
    "health": _l("Santé"),
    "job": _l("Emploi"),
    "other": _l("Autre"),
}


def pictogram_url(name: str | None) -> str:
    """The pictogram's image (the generic one for an unknown or missing name)."""
    return url_for("static", filename=f"img/pictograms/{name if name in PICTOGRAMS else 'other'}.svg")
