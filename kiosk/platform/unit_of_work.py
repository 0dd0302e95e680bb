"""The request (or CLI command) is the unit of work: one transaction, committed in one place.

A view or command runs inside `unit_of_work()`: what it did is committed when it returns, and rolled
back when it raises (the error handlers then answer). Services add and flush; they never commit.

SQLite lets one writer in at a time (kiosk/platform/database.py). A request with an unsafe method
writes, so its transaction takes the write lock when it starts. A GET only reads; the rare GET that
writes (an audited reading, a first use) says so with `write_lock()`. A POST that usually writes
nothing (a card scanned a second time) is marked `@reads_first` and calls `write_lock()` only
when it has something to write.
"""

import functools
from contextlib import contextmanager

from flask import Flask, current_app, request
from flask.cli import with_appcontext

from kiosk.platform.database import BEGIN_OPTION
from kiosk.platform.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READS = {BEGIN_OPTION: "DEFERRED"}
WRITES = {BEGIN_OPTION: "IMMEDIATE"}
OPENED = "kiosk.unit_of_work.opened"  # in the request's environ: begin_request opened its transaction


@contextmanager
def unit_of_work():
    """Commit what happens inside when it ends well; roll it back when it raises."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


class App(Flask):
    """Flask, with every view run as the request's unit of work."""

    def dispatch_request(self):
        with unit_of_work():
            return super().dispatch_request()


def reads_first(view):
    """Mark a POST view that reads before it knows whether to write (it calls write_lock() then)."""
    view.reads_first = True
    return view


def write_lock() -> None:
    """Hold the database's write lock from now on, for a request that began by only reading.

    What was read so far is ended first (SQLite cannot turn a read into a write safely). Inside a
    transaction that already holds the lock (a write request, a CLI command), nothing changes.
    """
    session = db.session()
    if session.in_transaction():
        if session.connection().get_execution_options().get(BEGIN_OPTION) != "DEFERRED":
            return
        session.commit()
    session.connection(execution_options=WRITES)


def begin_request() -> None:
    """Open the request's transaction: with the write lock for an unsafe method, without for a read."""
    if request.endpoint == "static" or db.session().in_transaction():
        return  # a static file reads nothing; a test's own transaction is joined as it is
    view = current_app.view_functions.get(request.endpoint)
    writes = request.method not in SAFE_METHODS and not getattr(view, "reads_first", False)
    db.session.connection(execution_options=WRITES if writes else READS)
    request.environ[OPENED] = True


def end_request(_error=None) -> None:
    """End what the request opened and no view committed: a request refused before its view (the
    guard's 403, the login page's redirect) stores nothing and leaves no transaction behind."""
    if request.environ.pop(OPENED, False) and db.session().in_transaction():
        db.session.rollback()


def with_unit_of_work(command):
    """A CLI command run in the app's context as one unit of work (committed when it ends well)."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        with unit_of_work():
            return command(*args, **kwargs)

    return with_appcontext(run)


def init_app(app: Flask) -> None:
    """Open each request's transaction before anything else reads (the guard among them), and end it."""
    app.before_request(begin_request)
    app.teardown_request(end_request)
