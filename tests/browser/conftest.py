"""Real-browser fixtures: the production server (gunicorn via `kiosk serve`) on loopback, driven by
Debian's Chromium through Playwright. A missing browser fails the run; it is never skipped."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
import requests

from kiosk import create_app
from kiosk.platform.extensions import db
from tests.conftest import TEST_PASSWORD, test_config

ROOT = Path(__file__).resolve().parents[2]
KIOSK_BIN = Path(sys.executable).with_name("kiosk")
AXE_SOURCE = (ROOT / "tests/vendor/axe-core/axe.min.js").read_text()
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORTS = {"kiosk": (1920, 1080), "tablet": (1280, 800), "phone": (390, 844)}


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    pytest.fail("Chromium introuvable : installez le paquet Debian « chromium » (make test le fait en root).")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """The real server on a fresh database, plus an in-process app on the same file for set-up."""

    def __init__(self, tmp_path: Path, database_url: str, extra_args=(), scheme="http"):
        self.database_url = database_url
        self.db_path = Path(database_url.removeprefix("sqlite:///")) if database_url.startswith("sqlite") else None
        self.port = free_port()
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "KIOSK_DATABASE_URL": database_url,
            "KIOSK_SECRET_KEY": "test-secret-key",
            "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"),
        }
        self.app = create_app(test_config(database_url))
        tmp_path.mkdir(parents=True, exist_ok=True)
        self.log = open(tmp_path / "server.log", "w+")
        self.process = None
        self.process = subprocess.Popen(
            [str(KIOSK_BIN), "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", "1", "--threads", "4", *extra_args],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            self._wait_until_up()
        except Exception:
            self.stop()
            raise

    def _wait_until_up(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the server stopped: " + self.read_log())
            try:
                with warnings.catch_warnings():  # the box's own certificate, not trusted by this client
                    warnings.simplefilter("ignore")
                    if requests.get(self.url + "/healthz", timeout=1, verify=False).status_code == 200:
                        return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not answer: " + self.read_log())

    def read_log(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def run_cli(self, *args) -> subprocess.CompletedProcess:
        """Run a `kiosk` command against this server's database."""
        return subprocess.run([str(KIOSK_BIN), *args], env=self.env, capture_output=True, text=True, timeout=60)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        with self.app.app_context():
            db.engine.dispose()


def set_weekly_day(live, weekday: int | None) -> None:
    """Set the weekly pattern's day on the live database (None: no weekly workshop)."""
    from kiosk.settings import set_setting

    with live.app.app_context():
        set_setting("workshop_weekday", "" if weekday is None else str(weekday))
        db.session.commit()


@pytest.fixture
def live_server(tmp_path, database_url):
    """The production server on loopback; today is a day of the weekly pattern, so scans count."""
    from kiosk.platform.timezone import local_day

    server = LiveServer(tmp_path, database_url)
    with server.app.app_context():
        today = local_day()
    set_weekly_day(server, today.weekday())
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
    )
    yield browser
    browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"JavaScript errors on the page: {errors}"


def check_axe(page, context_selector=None):
    """Run axe-core in the page and fail on any violation (WCAG 2.1 AA and best practices)."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async (selector) => {
            const r = await axe.run(selector || document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }""",
        context_selector,
    )
    assert result == [], "axe-core violations:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in result
    )


OVERFLOW_SCRIPT = """() => {
    const width = document.documentElement.clientWidth;
    const culprits = [];
    for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && !el.closest('.table-wrap')) culprits.push(el.tagName + '.' + el.className);
    }
    return {scroll: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 8)};
}"""


def screenshot(page, name: str, sizes=("kiosk", "tablet", "phone")):
    """Save screenshots at kiosk, tablet and phone sizes under screenshots/ (to be looked at),
    and fail when the page scrolls sideways at any of them."""
    SCREENSHOTS.mkdir(exist_ok=True)
    original = page.viewport_size
    for size in sizes:
        width, height = VIEWPORTS[size]
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate(OVERFLOW_SCRIPT)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)
        assert overflow["scroll"] <= overflow["width"] + 1, f"{name} scrolls sideways at {size}: {overflow}"
    page.set_viewport_size(original)


# A scanner types a whole code in a few milliseconds. Sent key by key through Playwright on a
# starved CI machine, two keys of one code can arrive more than 500 ms apart, and the scanner
# listener (static/js/scanner.js) rightly starts afresh after such a gap, as it does after a
# stray key press. So the keys go as one burst, in one task of the page: keydown and keyup on the
# focused element, as the scanner's keyboard would send them, then Enter.
SCANNER_BURST = """(text) => {
  const target = document.activeElement || document.body;
  for (const key of [...text, "Enter"]) {
    target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
    target.dispatchEvent(new KeyboardEvent("keyup", { key, bubbles: true }));
  }
}"""


def scanner_types(page, text: str) -> None:
    """A USB or Bluetooth scanner reads a card: its characters, then Enter, in one burst."""
    page.evaluate(SCANNER_BURST, text)


def login(page, live, role="coordinator", username=None, **kwargs):
    """Create a user on the live database and log in through the real form."""
    from kiosk.auth.services import add_user
    from kiosk.models import Role

    username = username or f"{role}-{os.urandom(3).hex()}"
    with live.app.app_context():
        if role == "referent":
            kwargs.setdefault("referrer_name", "Mme Briand")
        add_user(username, Role(role), TEST_PASSWORD, **kwargs)
        db.session.commit()
    page.goto(live.url + "/login")
    page.fill("#username", username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    # The page change itself: "networkidle" can come before the login's redirect has even started.
    page.wait_for_url(lambda url: not url.split("?")[0].endswith("/login"))
    return username
