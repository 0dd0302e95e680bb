"""Numbers typed by people or sent by programs: ASCII digits only.

`str.isdigit()` accepts "²" and "①", which `int()` then refuses (a 500, a traceback), and `int()`
accepts Arabic-Indic digits no one at the centre means; every parser of a whole number uses this.
"""


def ascii_int(text, max_digits: int = 18) -> int | None:
    """The whole number that `text` spells in ASCII digits (surrounding blanks allowed), else None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
