"""What people type, made fit to store: spaces tidied, invisible control characters detected."""

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
