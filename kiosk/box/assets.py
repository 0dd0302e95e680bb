"""Static file URLs carry their content's version (?v=), so nginx may let browsers keep them a year:
an upgrade changes the URL of each file it changes, and of no other."""

import hashlib
from pathlib import Path

from flask import current_app


def _version(filename: str, cache: dict) -> str | None:
    if filename not in cache:
        try:
            data = (Path(current_app.static_folder) / filename).read_bytes()
        except OSError:
            data = None
        cache[filename] = hashlib.sha256(data).hexdigest()[:12] if data is not None else None
    return cache[filename]


def init_app(app) -> None:
    """Add ?v=<hash of the file> to every url_for('static', ...)."""
    versions: dict = {}

    @app.url_defaults
    def static_version(endpoint, values):
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = _version(values["filename"], versions)
            if version:
                values["v"] = version
