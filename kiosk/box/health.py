"""Is the database answering, and can it still be written (not only read)?"""

import os
import sqlite3
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from kiosk.platform.extensions import db

# A write that changes nothing, rolled back: it still needs a connection allowed to write.
PROBE = "UPDATE alembic_version SET version_num = version_num"


def sqlite_writable(path: Path, timeout_s: float) -> bool:
    """The file system holding the database is neither read-only nor full, the box's user may write
    the file and its folder, and a connection takes a write.

    SQLite hands a new connection the descriptor of one closed earlier in this process (to keep its
    POSIX locks), so the write probe alone would not see a file made read-only since."""
    folder = os.statvfs(path.parent)
    if folder.f_flag & os.ST_RDONLY or folder.f_bavail == 0:
        return False
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return False  # the box's own user lost the right to write (root is never refused here)
    connection = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=timeout_s, isolation_level=None)
    try:
        connection.execute("BEGIN")
        connection.execute(PROBE)
        connection.execute("ROLLBACK")
    finally:
        connection.close()
    return True


def database_writable() -> bool:
    """True when the database reads and would take a write."""
    url = db.engine.url
    try:
        if url.get_backend_name() == "sqlite":
            timeout = current_app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
            return sqlite_writable(Path(url.database), timeout)
        with db.engine.connect() as connection:
            connection.execute(text(PROBE))
            connection.rollback()
    except Exception:  # any database failure means "not healthy", never a 500
        current_app.logger.warning("health check: the database cannot be written", exc_info=True)
        return False
    return True
