"""Uploaded import files held between the preview and the coordinator's confirmation.

Kept in instance/imports/ under a random name (mode 0600), for an hour at most: the file carries
people's names, so it does not linger, and the box's several server processes all see it.
"""

import os
import re
import secrets
import time
from pathlib import Path

from flask import current_app

KEEP_SECONDS = 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def stage_upload(data: bytes) -> str:
    """Keep an uploaded file for the confirmation step; returns its token."""
    purge_old_uploads()
    token = secrets.token_urlsafe(24)
    fd = os.open(_folder() / token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return token


def load_upload(token: str) -> bytes | None:
    """The file kept under this token, or None (unknown, malformed or expired)."""
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        return None
    path = _folder() / token
    try:
        if time.time() - path.stat().st_mtime > KEEP_SECONDS:
            return None
        return path.read_bytes()
    except OSError:
        return None


def drop_upload(token: str) -> None:
    """Forget a kept file."""
    if isinstance(token, str) and TOKEN.fullmatch(token):
        (_folder() / token).unlink(missing_ok=True)


def purge_old_uploads() -> None:
    """Remove the kept files older than an hour."""
    limit = time.time() - KEEP_SECONDS
    for path in _folder().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue
