"""What people type, made fit to store: spaces tidied, invisible control characters detected."""

import unicodedata

# Cc: control characters (NUL, escape, DEL...); Cs: lone surrogates, which cannot even be stored.
HIDDEN_CATEGORIES = ("Cc", "Cs")


def tidy(value: str | None) -> str:
    """'  Marie \\t Claire ' -> 'Marie Claire' (tabs and line breaks count as spaces)."""
    return " ".join((value or "").split())


def has_control_characters(value: str) -> bool:
    """True when the text holds a character nobody can see or type on purpose (NUL, escape...)."""
    return any(unicodedata.category(ch) in HIDDEN_CATEGORIES for ch in value)
