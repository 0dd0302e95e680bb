"""SQLite as a box needs it: WAL, full sync, foreign keys, a busy timeout, BEGIN IMMEDIATE for writes.

pysqlite's own transaction handling is switched off and SQLAlchemy emits BEGIN itself, following
the SQLAlchemy recipe "Serializable isolation / Savepoints / Transactional DDL" for pysqlite.
"""

import logging
import sqlite3
import threading
from contextlib import contextmanager

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

log = logging.getLogger(__name__)

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Connection option: on SQLite, no BEGIN; each statement is then its own transaction (the driver
# runs in autocommit). For the busiest write, one INSERT: the write lock is held for that statement
# alone. On PostgreSQL the option changes nothing (the statements share a transaction as usual).
STATEMENT_TRANSACTIONS = "kiosk_statement_transactions"


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


def statement_connection():
    """The session's connection, on which each statement commits by itself (STATEMENT_TRANSACTIONS).

    Inside a transaction the caller already has open, it is that transaction's connection, as is.
    Whether the write lock is taken still follows `wants_write_lock` (not inside `reading()`), and
    the lock is released when the session commits or rolls back.
    """
    from kiosk.extensions import db

    session = db.session()
    if session.in_transaction():
        return session.connection()
    return session.connection(execution_options={STATEMENT_TRANSACTIONS: True})


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


class WalCheckpointer(threading.Thread):
    """Copies the write-ahead log back into the database file, in the background.

    Left to itself, SQLite does it inside the commit that brings the log past 1,000 pages: that
    one request then writes about 4 MB and syncs the database file while it holds the write lock,
    and every scan queued behind it waits as long (60 ms stalls measured under the benchmark's
    load, a fifth of all check-ins slowed). The server switches that off on its connections
    (`wal_autocheckpoint = 0`) and runs this thread instead: a PASSIVE checkpoint every few
    seconds, which waits for no one and blocks no reader or writer. Durability is unchanged:
    a commit is on disk, in the log, before it is acknowledged.
    """

    def __init__(self, engine: Engine, every_seconds: float):
        super().__init__(name="wal-checkpoint", daemon=True)
        self.engine = engine
        self.every_seconds = every_seconds
        self.stopping = threading.Event()
        self.last: tuple[int, int, int] | None = None  # (busy, pages in the log, pages copied back)

    def run(self) -> None:
        while not self.stopping.wait(self.every_seconds):
            self.checkpoint()

    def checkpoint(self) -> tuple[int, int, int] | None:
        try:
            connection = self.engine.raw_connection()
            try:
                cursor = connection.cursor()
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                self.last = tuple(cursor.fetchone())
                cursor.close()
            finally:
                connection.close()
        except Exception:  # a full or read-only disk: the writes say so; try again next time
            log.warning("WAL checkpoint failed", exc_info=True)
            return None
        return self.last

    def stop(self) -> None:
        self.stopping.set()


def configure_sqlite(engine: Engine, busy_timeout_ms: int, checkpoint_seconds: float = 0) -> WalCheckpointer | None:
    """Attach the connection pragmas and the BEGIN handling to a SQLite engine.

    With `checkpoint_seconds`, the log is checkpointed by a background thread (WalCheckpointer),
    which is started and returned, instead of by whichever commit fills it.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        if checkpoint_seconds:
            cursor.execute("PRAGMA wal_autocheckpoint = 0")
        cursor.close()

    # Writers of this process queue on a Python lock before asking SQLite for its write lock:
    # handing over is then immediate, where SQLite's busy handler would sleep up to 100 ms a try.
    writers = threading.Lock()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        one_statement = connection.get_execution_options().get(STATEMENT_TRANSACTIONS, False)
        if not wants_write_lock():
            if not one_statement:
                begin(connection, "BEGIN")
            return
        if not writers.acquire(timeout=busy_timeout_ms / 1000):
            # As SQLite itself would after its busy timeout: the view answers 503 "réessayez".
            raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
        connection.info["holds_writer_lock"] = True
        if one_statement:
            return
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

    if not checkpoint_seconds:
        return None
    checkpointer = WalCheckpointer(engine, checkpoint_seconds)
    checkpointer.start()
    return checkpointer
