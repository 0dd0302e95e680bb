"""The server sends what is due by itself: a daemon thread in each worker, as retention does
(kiosk/privacy/scheduler.py), looking every MESSAGES_CHECK_SECONDS. Two workers (or the CLI) may run
at once: the outbox's claim and its unique keys make each message go once."""

import logging
import os
import threading

from kiosk.messages.sender import send_due
from kiosk.platform.extensions import db
from kiosk.sites.scope import scoped_to, site_ids

log = logging.getLogger(__name__)


def run_once(app) -> None:
    """One pass of the sender in its own app context; errors are logged, never raised."""
    with app.app_context():
        try:
            for site_id in site_ids():  # each centre of a network in turn (a box: its one site)
                with scoped_to(site_id):
                    result = send_due()
                if result.sms or result.letters or result.failed:
                    log.info("messages (site %s): %s", site_id, result.as_json())
        except Exception:  # a failed pass must not end the thread; the next one tries again
            db.session.rollback()
            log.exception("messages: the pass failed")
        finally:
            db.session.remove()


class MessagesScheduler(threading.Thread):
    """The sender's loop inside one worker process; stop() ends it sooner."""

    def __init__(self, app, every: float):
        super().__init__(name="messages", daemon=True)
        self.app = app
        self.every = every
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.every):
            run_once(self.app)

    def stop(self) -> None:
        self.stopping.set()


def start_messages(app) -> MessagesScheduler | None:
    """Start this worker's sender, unless MESSAGES_SCHEDULER is off (KIOSK_MESSAGES_SCHEDULER=0: a benchmark)."""
    if not app.config.get("MESSAGES_SCHEDULER", True) or os.environ.get("KIOSK_MESSAGES_SCHEDULER") == "0":
        return None
    scheduler = MessagesScheduler(app, float(app.config["MESSAGES_CHECK_SECONDS"]))
    scheduler.start()
    return scheduler
