"""What people type, made fit to store and to compare: spaces tidied, control characters detected, search keys."""

import unicodedata

# Cc: control characters (NUL, escape, DEL...); Cs: lone surrogates, which cannot even be stored.
HIDDEN_CATEGORIES = ("Cc", "Cs")
# Direction overrides and isolates turn the text around them on a screen ("Trojan Source").
# Zero-width joiners stay allowed: Persian and Arabic names need them.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def tidy(value: str | None) -> str:
    """'  Marie \\t Claire ' -> 'Marie Claire' (tabs and line breaks count as spaces)."""
    return " ".join((value or "").split())


def has_control_characters(value: str) -> bool:
    """True when the text holds a character nobody can see or type on purpose (NUL, escape...)."""
    return any(unicodedata.category(ch) in HIDDEN_CATEGORIES or ch in DIRECTION_CONTROLS for ch in value)


def has_a_letter(value: str) -> bool:
    """Whether a name shows at least one letter (not only invisible or zero-width characters)."""
    return any(ch.isalpha() for ch in value)


def search_key(text: str) -> str:
    """'Maëlle LE GOFF' -> 'maelle le goff' (the form stored in Participant.search_name)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    # No accents, and no control characters (PostgreSQL refuses NUL in any query).
    plain = "".join(
        " " if ch.isspace() else ch
        for ch in decomposed
        if not unicodedata.combining(ch) and (ch.isprintable() or ch.isspace())
    )
    return " ".join(plain.casefold().replace("-", " ").replace("'", " ").split())
