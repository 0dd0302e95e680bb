"""The logo upload, checked and re-drawn: only a real PNG or JPEG image of sane size gets through.

The uploaded bytes are never kept: Pillow decodes them (with a cap on the pixels, against
decompression bombs), and a fresh PNG of at most 600 px is written from the pixels alone, so no
metadata, script or trailing payload survives.
"""

from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 25_000_000
MAX_SIDE = 600
ACCEPTED_FORMATS = {"PNG", "JPEG"}


class LogoError(ValueError):
    """An upload that is not a usable logo; the message says why in plain French."""


def clean_logo(data: bytes) -> bytes:
    """A re-drawn PNG of the uploaded image, or LogoError."""
    if not data:
        raise LogoError(_("Choisissez un fichier image (PNG ou JPEG)."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise LogoError(_("Image trop lourde : 2 Mo au plus."))
    try:
        with Image.open(BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise LogoError(_("Seules les images PNG ou JPEG sont acceptées."))
            if probe.width * probe.height > MAX_PIXELS:
                raise LogoError(_("Image trop grande : 25 millions de pixels au plus."))
            probe.verify()
        with Image.open(BytesIO(data)) as image:
            image.load()
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise LogoError(_("Ce fichier n'est pas une image lisible (PNG ou JPEG).")) from exc
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()
