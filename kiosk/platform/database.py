"""SQLite as a box needs it: WAL, full sync, foreign keys, a busy timeout, BEGIN IMMEDIATE for writes.

pysqlite's own transaction handling is switched off: SQLAlchemy's transactions emit BEGIN, COMMIT
and ROLLBACK themselves, following the SQLAlchemy recipe "Serializable isolation / Savepoints /
Transactional DDL" for pysqlite, and a statement run outside them (`DriverStatement`) is a
transaction of its own.
"""

import logging
import os
import sqlite3
import threading
import weakref
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from typing import NamedTuple

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

log = logging.getLogger(__name__)

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def wants_write_lock() -> bool:
    """Say whether the transaction about to start may write (and so takes the lock up front)."""
    if has_app_context() and g.get("reading", False):
        return False  # inside `reading()`: the writes come after, in a transaction of their own
    if not has_request_context():
        return True  # CLI commands, the scheduler, tests
    return request.method not in READ_ONLY_METHODS or g.get("write_intent", False)


class Compiled(NamedTuple):
    """A statement as one database's driver takes it, with SQLAlchemy's conversions of its values."""

    sql: str
    names: tuple[str, ...] | None  # the parameters' order, for a driver with positional parameters
    binds: dict[str, Callable]  # SQLAlchemy's conversion of each parameter that has one
    results: tuple[Callable | None, ...]  # and of each result column


class DriverStatement:
    """A Core statement run straight on a pooled driver connection, with SQLAlchemy's own
    conversions of parameters and results (dates, UTC times, enums) but without its connection,
    transaction and result layers, which cost several times the query itself.

    For the few statements of the busiest requests: a kiosk's or tablet's device lookup, a scan's
    read and its INSERT. The statement (or, where it differs by database, a function of the
    dialect's name that makes it) is compiled once per database.
    """

    def __init__(self, statement):
        self.statement = statement
        self.compiled: dict[str, Compiled] = {}

    def compile(self, dialect) -> Compiled:
        if dialect.name not in self.compiled:
            statement = self.statement(dialect.name) if callable(self.statement) else self.statement
            compiled = statement.compile(dialect=dialect)
            binds = {}
            for name, bind in compiled.binds.items():
                processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
                if processor is not None:
                    binds[name] = processor
            results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                            for column in statement.exported_columns)
            names = tuple(compiled.positiontup) if compiled.positional else None
            self.compiled[dialect.name] = Compiled(compiled.string, names, binds, results)
        return self.compiled[dialect.name]

    def first(self, params: dict) -> tuple | None:
        """The first row of a SELECT, read outside any transaction of ours (on SQLite a read of
        its own, which never waits for the write lock)."""
        return self.run(params, write=False)

    def write(self, params: dict) -> tuple | None:
        """Run an INSERT ... RETURNING of one row as a transaction of its own, and return the row
        (None when it inserted nothing). On SQLite the process's write lock is held for this one
        statement."""
        return self.run(params, write=True)

    def run(self, params: dict, write: bool) -> tuple | None:
        from kiosk.platform.extensions import db

        engine = db.engine
        compiled = self.compile(engine.dialect)
        values = {name: compiled.binds[name](value) if name in compiled.binds else value
                  for name, value in params.items()}
        arguments = [values[name] for name in compiled.names] if compiled.names is not None else values
        error = engine.dialect.loaded_dbapi.Error
        with writer_lock(engine) if write else nullcontext():
            connection = cursor = None
            try:
                connection = engine.raw_connection()
                cursor = connection.cursor()
                cursor.execute(compiled.sql, arguments)
                # Read to the end: on SQLite (autocommit) the statement's transaction commits as its
                # last row is read, and a failure to commit is raised here, not lost at close().
                rows = cursor.fetchall() if write else [cursor.fetchone()]
                if write:
                    connection.commit()  # PostgreSQL; nothing left to commit on SQLite
            except error as exc:  # a missing file, a full disk, a lock held too long: 503, as elsewhere
                raise DBAPIError.instance(compiled.sql, arguments, exc, error) from exc
            finally:
                if cursor is not None:
                    cursor.close()
                if connection is not None:
                    connection.close()  # back to the pool (which rolls back what was not committed)
        if not rows or rows[0] is None:
            return None
        return tuple(value if convert is None else convert(value) for convert, value in zip(compiled.results, rows[0]))


@contextmanager
def reading():
    """Read through the ORM session in a plain transaction of its own, ended on the way out.

    A write request takes SQLite's write lock when its first statement runs. What it only reads
    first (the guard: who is asking) goes inside `with reading():`, so the lock is held for the
    writes alone, and a request that ends up writing nothing never takes it.
    Inside a transaction already open, this reads in that transaction and leaves it open.
    """
    from kiosk.platform.extensions import db

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


# The lock that the writers of this process queue on (see configure_sqlite), by engine.
WRITER_LOCKS: "weakref.WeakKeyDictionary[Engine, tuple[threading.Lock, float]]" = weakref.WeakKeyDictionary()


@contextmanager
def writer_lock(engine: Engine):
    """Hold this process's SQLite write queue (nothing on another database) for a write made
    outside SQLAlchemy's transactions; give up after the busy timeout, as SQLite would."""
    lock, timeout = WRITER_LOCKS.get(engine, (None, 0))
    if lock is None:
        yield
        return
    acquire_writer(lock, timeout)
    try:
        yield
    finally:
        lock.release()


def acquire_writer(lock: threading.Lock, timeout: float) -> None:
    if not lock.acquire(timeout=timeout):
        # As SQLite itself would after its busy timeout: the view answers 503 "réessayez".
        raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))


def begin(connection, statement: str) -> None:
    """Emit BEGIN on the driver's own connection: three times cheaper than through SQLAlchemy's
    execution path, which the busiest requests (three short transactions each) would pay every time."""
    try:
        connection.connection.driver_connection.execute(statement)
    except sqlite3.Error as exc:
        raise DBAPIError.instance(statement, None, exc, sqlite3.Error) from exc


class WalCheckpointer(threading.Thread):
    """Copies the write-ahead log back into the database file, in the background.

    Left to itself, SQLite does it right after the commit that brings the log past 1,000 pages:
    that request then copies about 4 MB into the database file and syncs it before it can answer,
    and the commits of the scans behind it wait on the same disk (60 ms stalls of every queued
    scan, measured under the benchmark's load). The server's workers switch that off on their
    connections (`wal_autocheckpoint = 0`) and run this thread instead: a PASSIVE checkpoint
    every second, which waits for no one and blocks no reader or writer. Durability is
    unchanged: a commit is on disk, in the log, before it is acknowledged.
    """

    def __init__(self, engine: Engine, every_seconds: float):
        super().__init__(name="wal-checkpoint", daemon=True)
        self.engine = engine
        self.every_seconds = every_seconds
        self.stopping = threading.Event()
        self.last: tuple[int, int, int] | None = None  # (busy, pages in the log, pages copied back)
        self.failing = False

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
        except Exception:  # a full or read-only disk: the writes say so; tried again each time
            if not self.failing:  # said once, not every second
                log.warning("WAL checkpoint failed; tried again every %s s", self.every_seconds, exc_info=True)
            self.failing = True
            return None
        if self.failing:
            log.warning("WAL checkpoint works again")
            self.failing = False
        return self.last

    def stop(self) -> None:
        self.stopping.set()


def owner_only(path: str | None) -> None:
    """The database holds people's records: its file and SQLite's -wal and -shm beside it are for
    the box's own user only (0600, as the secret key). SQLite gives the -wal and -shm the mode of
    the database file; those already there are set too."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    for name in (path, path + "-wal", path + "-shm"):
        try:
            if os.stat(name).st_mode & 0o077:
                os.chmod(name, 0o600)
        except OSError:  # not there (yet), or not ours to change: SQLite says what matters
            pass


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
        owner_only(engine.url.database)

    # Writers of this process queue on a Python lock before asking SQLite for its write lock:
    # handing over is then immediate, where SQLite's busy handler would sleep up to 100 ms a try.
    # So the lock is let go only once SQLite's transaction has ended (see `end`).
    writers, timeout = threading.Lock(), busy_timeout_ms / 1000
    WRITER_LOCKS[engine] = (writers, timeout)

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if not wants_write_lock():
            begin(connection, "BEGIN")
            return
        acquire_writer(writers, timeout)
        connection.info["holds_writer_lock"] = True
        try:
            begin(connection, "BEGIN IMMEDIATE")
        except BaseException:
            release(connection)
            raise

    def release(connection):
        if connection.info.pop("holds_writer_lock", False):
            writers.release()

    def end(connection, statement: str):
        """COMMIT or ROLLBACK on the driver, then let the next writer in. SQLAlchemy's own call
        to the driver, which comes after these events, then finds no transaction left to end."""
        try:
            driver = connection.connection.driver_connection
            if driver.in_transaction:
                driver.execute(statement)
        except sqlite3.Error as exc:
            if statement == "COMMIT":  # a full disk at commit: 503; a failed ROLLBACK is retried by SQLAlchemy
                raise DBAPIError.instance(statement, None, exc, sqlite3.Error) from exc
        finally:
            release(connection)

    event.listen(engine, "commit", lambda connection: end(connection, "COMMIT"))
    event.listen(engine, "rollback", lambda connection: end(connection, "ROLLBACK"))

    if not checkpoint_seconds:
        return None
    checkpointer = WalCheckpointer(engine, checkpoint_seconds)
    checkpointer.start()
    return checkpointer
