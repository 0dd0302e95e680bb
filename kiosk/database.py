"""SQLite as a box needs it: WAL, full sync, foreign keys, a busy timeout, BEGIN IMMEDIATE for writes.

pysqlite's own transaction handling is switched off and SQLAlchemy emits BEGIN itself, following
the SQLAlchemy recipe "Serializable isolation / Savepoints / Transactional DDL" for pysqlite.
"""

import sqlite3
import threading

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.engine import Engine

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def wants_write_lock() -> bool:
    """Say whether the transaction about to start may write (and so takes the lock up front)."""
    if not has_request_context():
        return True  # CLI commands, the scheduler, tests
    if g.get("checking_identity", False):
        return False  # the guard only reads who is asking; the view takes the lock when it starts
    return request.method not in READ_ONLY_METHODS or g.get("write_intent", False)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Attach the connection pragmas and the BEGIN handling to a SQLite engine."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    # Writers of this process queue on a Python lock before asking SQLite for its write lock:
    # handing over is then immediate, where SQLite's busy handler would sleep up to 100 ms a try.
    writers = threading.Lock()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if not wants_write_lock():
            connection.exec_driver_sql("BEGIN")
            return
        if not writers.acquire(timeout=busy_timeout_ms / 1000):
            # As SQLite itself would after its busy timeout: the view answers 503 "réessayez".
            raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
        connection.info["holds_writer_lock"] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            release(connection)
            raise

    def release(connection):
        if connection.info.pop("holds_writer_lock", False):
            writers.release()

    event.listen(engine, "commit", release)
    event.listen(engine, "rollback", release)
