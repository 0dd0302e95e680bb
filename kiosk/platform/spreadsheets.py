"""What every spreadsheet the box writes shares: text that no spreadsheet will run as a formula.

A cell starting with =, +, -, @ (or a tab or carriage return) is taken for a formula by Excel and
LibreOffice; a leading apostrophe makes it plain text (OWASP "CSV injection"). Numbers and dates
are left as they are.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A text cell that a spreadsheet would take for a formula, made plain text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
