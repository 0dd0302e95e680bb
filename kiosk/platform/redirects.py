"""Where a form may send people back to: only a path on this box, never another site."""

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """The target if it is a plain local path ("/dashboard?date=..."), else None.

    Browsers drop tabs and newlines and read a backslash as a slash, so "/\\t/evil" or "/\\\\evil"
    would leave the box: any such character, or anything with a scheme or a host, is refused.
    """
    if not target or not target.startswith("/") or len(target) > 2000:
        return None
    if "\\" in target or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target
