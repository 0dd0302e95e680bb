"""Age bands and sexes, counted from the optional year of birth and sex."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Bands that add up to what each funder asks: SENACS (18–25, 26–59, 60+) and ESF+ (under 30, over 54).
AGE_BANDS = (
    ("under_18", None, 17, _l("Moins de 18 ans")),
    ("18_25", 18, 25, _l("18 à 25 ans")),
    ("26_29", 26, 29, _l("26 à 29 ans")),
    ("30_44", 30, 44, _l("30 à 44 ans")),
    ("45_54", 45, 54, _l("45 à 54 ans")),
    ("55_59", 55, 59, _l("55 à 59 ans")),
    ("60_plus", 60, None, _l("60 ans et plus")),
)
UNKNOWN = "unknown"
AGE_LABELS = {code: text for code, _low, _high, text in AGE_BANDS} | {UNKNOWN: _l("Âge non renseigné")}
SEX_LABELS = {"f": _l("Femmes"), "m": _l("Hommes"), "x": _l("Non précisé (choix de la personne)"), UNKNOWN: _l("Non renseigné")}


def age_band(birth_year: int | None, year: int) -> str:
    """The band of someone's age reached during the year (year − year of birth)."""
    if birth_year is None:
        return UNKNOWN
    age = year - birth_year
    return next(code for code, low, high, _text in AGE_BANDS
                if (low is None or age >= low) and (high is None or age <= high))


def count(rows, year: int) -> tuple[dict[str, int], dict[str, int]]:
    """({band: people}, {sex: people}) from (birth_year, sex, people) rows (people counted by year of
    birth and sex in SQL: a few hundred rows for a network's 100,000 people), every band and sex present."""
    bands = {code: 0 for code in AGE_LABELS}
    sexes = {code: 0 for code in SEX_LABELS}
    for birth_year, sex, people in rows:
        bands[age_band(birth_year, year)] += people
        sexes[sex if sex in SEX_LABELS else UNKNOWN] += people
    return bands, sexes
