"""The words of a person's path: milestone kinds, the five areas, the scale, situations, sex."""

from flask_babel import lazy_gettext as _l

from kiosk.models import Employment, Moment, Resources, Sex

BUILT_IN_KINDS = {
    "training_started": _l("Entrée en formation"),
    "job_contract": _l("Contrat de travail ou d'insertion"),
    "work_immersion": _l("Immersion en entreprise"),
    "sortir_obtained": _l("Carte SORTIR obtenue"),
    "sortir_used": _l("Carte SORTIR utilisée"),
    "rights_opened": _l("Droits ouverts"),
    "orientation": _l("Orientation vers un autre service"),
}

AREAS = {
    "food": _l("Se nourrir"),
    "social": _l("Voir du monde, ne pas rester seul·e"),
    "esteem": _l("Confiance en soi"),
    "money": _l("S'en sortir avec l'argent"),
    "rights": _l("Faire valoir ses droits"),
}

# 1 to 4: a face and a few words; the face is what someone who reads little goes by.
SCALE = {
    1: _l("Ça va mal"),
    2: _l("Ça va moyen"),
    3: _l("Ça va plutôt bien"),
    4: _l("Ça va bien"),
}

MOMENTS = {
    Moment.ENTRY: _l("À l'entrée"),
    Moment.THREE_MONTHS: _l("À trois mois"),
    Moment.EXIT: _l("À la sortie"),
}

EMPLOYMENT = {
    Employment.EMPLOYED: _l("En emploi"),
    Employment.JOB_SEEKER: _l("Demandeur·se d'emploi"),
    Employment.INACTIVE: _l("Sans emploi, n'en cherche pas"),
}

RESOURCES = {
    Resources.WAGES: _l("Salaire"),
    Resources.RSA: _l("RSA"),
    Resources.UNEMPLOYMENT: _l("Allocation chômage"),
    Resources.AAH: _l("AAH"),
    Resources.OTHER: _l("Autres ressources"),
    Resources.NONE: _l("Aucune ressource"),
}

SEXES = {
    Sex.FEMALE: _l("Femme"),
    Sex.MALE: _l("Homme"),
    Sex.UNSAID: _l("Non précisé"),
}


def kind_label(kind) -> str:
    """A milestone kind's name: the translated one for built-in kinds, the centre's own otherwise."""
    return str(BUILT_IN_KINDS.get(kind.code, kind.label))
