"""Is the database answering, and can it still be written (not only read)?"""

from flask import current_app
from sqlalchemy import text

from kiosk.platform.extensions import db

# A write that changes nothing, rolled back: it still needs the write lock and a writable file.
PROBE = text("UPDATE alembic_version SET version_num = version_num")


def database_writable() -> bool:
    """True when the database reads and takes a write; after a failure the pool is renewed, so a
    connection opened read-only (a file or folder protected at the time) does not outlive the fault."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            connection.execute(PROBE)
            connection.rollback()
    except Exception:  # any database failure means "not healthy", never a 500
        current_app.logger.warning("health check: the database cannot be written", exc_info=True)
        db.engine.dispose()
        return False
    return True
