"""What each worker of the production server sets up for itself before its first request."""

import gc

from kiosk.platform.extensions import db
from kiosk.serve import KioskServer
from tests.conftest import ON_POSTGRES


def test_a_worker_freezes_what_it_built_and_checkpoints_in_the_background(monkeypatch, database_url):
    """Does a worker move its long-lived objects out of the garbage collector's sight (a full
    collection then no longer stops every thread for tens of milliseconds), and, on SQLite,
    checkpoint the log in a thread of its own rather than in a request's commit?"""
    monkeypatch.setenv("KIOSK_DATABASE_URL", database_url)
    monkeypatch.setenv("KIOSK_SECRET_KEY", "test-secret-key")
    monkeypatch.setenv("KIOSK_RETENTION_SCHEDULER", "0")
    gc.unfreeze()
    app = KioskServer({"workers": 1, "threads": 2}).load()
    checkpointer = app.extensions.get("wal_checkpointer")
    try:
        assert gc.get_freeze_count() > 10_000
        assert app.config["DATABASE_POOL_SIZE"] >= 4
        if not ON_POSTGRES:
            assert checkpointer is not None and checkpointer.is_alive()
    finally:
        gc.unfreeze()
        if checkpointer is not None:
            checkpointer.stop()
            checkpointer.join(5)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
