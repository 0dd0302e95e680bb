"""A consistent copy of the live SQLite database, safe while the server writes."""

import os
import sqlite3
import tempfile
from pathlib import Path

from kiosk.extensions import db


class BackupError(RuntimeError):
    """A backup that could not be made; the message says why in plain words."""


def sqlite_path() -> str:
    """The live database file; backups of other databases are pg_dump's job."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError("la sauvegarde intégrée ne vaut que pour SQLite ; pour PostgreSQL utilisez pg_dump")
    return url.database


def backup_to(out: str) -> int:
    """Copy with SQLite's online backup API to a temporary file, sync, check, then rename."""
    source_path = sqlite_path()
    target = Path(out).resolve()
    if not target.parent.is_dir():
        raise BackupError(f"le dossier {target.parent} n'existe pas")
    if not os.path.exists(source_path):
        raise BackupError("aucune base de données à sauvegarder")
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", dir=target.parent)
    os.close(fd)
    try:
        source = sqlite3.connect(source_path, timeout=30)
        copy = sqlite3.connect(tmp_name)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
            source.close()
        if verdict != "ok":
            raise BackupError(f"la copie n'est pas intègre : {verdict}")
        with open(tmp_name, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"sauvegarde impossible : {exc}") from exc
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return target.stat().st_size
