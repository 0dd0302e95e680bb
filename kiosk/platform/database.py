"""SQLite as a box needs it: WAL, full sync, foreign keys, a busy timeout, and BEGIN IMMEDIATE for writes.

pysqlite's own transaction handling is switched off and the "begin" event emits BEGIN itself, as
SQLAlchemy's pysqlite recipe ("Serializable isolation / Savepoints / Transactional DDL") does. A
transaction that will write asks for SQLite's write lock when it starts (BEGIN IMMEDIATE), and so
waits its turn within the busy timeout: a read transaction that starts writing later fails at once
with "database is locked" when another writer committed meanwhile. Which kind a transaction is,
the connection's `sqlite_begin` execution option says (set by kiosk/platform/unit_of_work.py);
without it, a transaction takes the lock (CLI commands, the scheduler, tests).
"""

import logging
import os
import sqlite3
import threading

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

log = logging.getLogger(__name__)

BEGIN_OPTION = "sqlite_begin"  # "DEFERRED" (reads first) or "IMMEDIATE" (the default: takes the write lock)


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
        dbapi_connection.isolation_level = None  # the recipe: pysqlite emits no BEGIN of its own
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        if checkpoint_seconds:
            cursor.execute("PRAGMA wal_autocheckpoint = 0")
        cursor.close()
        owner_only(engine.url.database)

    # The threads of a server's worker queue on a lock of their own before asking SQLite for its
    # write lock: handing over is then immediate, where SQLite's busy handler sleeps up to 100 ms a
    # try (measured by `make bench`, same machine, back to back: Thursday check-in p99 560 ms
    # without this queue, 89 ms with it). The lock is let go once SQLite's transaction has ended.
    writers, timeout = threading.Lock(), busy_timeout_ms / 1000

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if connection.get_execution_options().get(BEGIN_OPTION) == "DEFERRED":
            connection.exec_driver_sql("BEGIN DEFERRED")
            return
        if not writers.acquire(timeout=timeout):  # as SQLite itself would after its busy timeout: 503
            raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
        connection.info["writer"] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            release(connection.info)
            raise

    def release(info: dict) -> None:
        if info.pop("writer", False):
            writers.release()

    def end(connection, statement: str) -> None:
        """COMMIT or ROLLBACK a writer's transaction on the driver, then let the next writer in
        (SQLAlchemy's own call to the driver, which comes after this event, finds nothing left to end)."""
        if "writer" not in connection.info:
            return
        try:
            driver = connection.connection.driver_connection
            if driver.in_transaction:
                driver.execute(statement)
        except sqlite3.Error as exc:
            if statement == "COMMIT":  # a full disk at commit: 503; a failed ROLLBACK is retried by SQLAlchemy
                raise DBAPIError.instance(statement, None, exc, sqlite3.Error) from exc
        finally:
            release(connection.info)

    event.listen(engine, "commit", lambda connection: end(connection, "COMMIT"))
    event.listen(engine, "rollback", lambda connection: end(connection, "ROLLBACK"))
    # A connection that goes back to the pool without either (invalidated by a lost disk) lets go too.
    event.listen(engine, "checkin", lambda _dbapi_connection, record: release(record.info))

    if not checkpoint_seconds:
        return None
    checkpointer = WalCheckpointer(engine, checkpoint_seconds)
    checkpointer.start()
    return checkpointer
