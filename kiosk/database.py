"""SQLite as a box needs it: WAL, full sync, foreign keys, a busy timeout, BEGIN IMMEDIATE for writes.

pysqlite's own transaction handling is switched off and SQLAlchemy emits BEGIN itself, following
the SQLAlchemy recipe "Serializable isolation / Savepoints / Transactional DDL" for pysqlite.
"""

import sqlite3
import threading
from contextlib import contextmanager

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def wants_write_lock() -> bool:
    """Say whether the transaction about to start may write (and so takes the lock up front)."""
    if has_app_context() and g.get("reading", False):
        return False  # inside `reading()`: the writes come after, in a transaction of their own
    if not has_request_context():
        return True  # CLI commands, the scheduler, tests
    return request.method not in READ_ONLY_METHODS or g.get("write_intent", False)


class DriverQuery:
    """A Core SELECT run straight on a pooled driver connection, outside any transaction of ours
    (on SQLite the SELECT is then its own read, and never takes the write lock).

    For the lookup that every request of a kiosk or tablet makes, its device cookie: there,
    SQLAlchemy's connection, transaction and result layers cost five times the query. The
    statement is compiled once per database; values come back as the driver gives them.
    """

    def __init__(self, statement):
        self.statement = statement
        self.compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}

    def first(self, params: dict) -> tuple | None:
        from kiosk.extensions import db

        dialect = db.engine.dialect
        if dialect.name not in self.compiled:
            compiled = self.statement.compile(dialect=dialect)
            self.compiled[dialect.name] = (compiled.string, tuple(compiled.positiontup) if compiled.positional else None)
        sql, order = self.compiled[dialect.name]
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(sql, [params[name] for name in order] if order is not None else params)
            row = cursor.fetchone()
            cursor.close()
            return row
        finally:
            connection.close()  # back to the pool


@contextmanager
def reading():
    """Read through the ORM session in a plain transaction of its own, ended on the way out.

    A write request takes SQLite's write lock when its first statement runs. What it only reads
    first (the guard: who is asking) goes inside `with reading():`, so the lock is held for the
    writes alone, and a request that ends up writing nothing never takes it.
    Inside a transaction already open, this reads in that transaction and leaves it open.
    """
    from kiosk.extensions import db

    session = db.session()
    if session.in_transaction():
        yield
        return
    outer = g.get("reading", False)
    g.reading = True
    try:
        yield
    finally:
        g.reading = outer
        if session.in_transaction():
            session.commit()


def begin(connection, statement: str) -> None:
    """Emit BEGIN on the driver's own connection: three times cheaper than through SQLAlchemy's
    execution path, which the busiest requests (three short transactions each) would pay every time."""
    try:
        connection.connection.driver_connection.execute(statement)
    except sqlite3.Error as exc:
        raise DBAPIError.instance(statement, None, exc, sqlite3.Error) from exc


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
            begin(connection, "BEGIN")
            return
        if not writers.acquire(timeout=busy_timeout_ms / 1000):
            # As SQLite itself would after its busy timeout: the view answers 503 "réessayez".
            raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
        connection.info["holds_writer_lock"] = True
        try:
            begin(connection, "BEGIN IMMEDIATE")
        except BaseException:
            release(connection)
            raise

    def release(connection):
        if connection.info.pop("holds_writer_lock", False):
            writers.release()

    event.listen(engine, "commit", release)
    event.listen(engine, "rollback", release)
