"""Creating and upgrading the schema through the migrations (Flask-Migrate / Alembic)."""

import logging

from flask_migrate import upgrade


def upgrade_schema() -> None:
    """Bring the database to the latest migration; safe to run again, never drops data."""
    logging.getLogger("alembic").setLevel(logging.WARNING)
    upgrade()
