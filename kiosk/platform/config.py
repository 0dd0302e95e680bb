"""Configuration: defaults, then instance/config.py, then KIOSK_* environment variables."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

DEFAULTS = {
    "CENTRE_NAME": "Centre social — CéPourMoi",
    "TIMEZONE": "Europe/Paris",
    "BABEL_DEFAULT_LOCALE": "fr",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
    "LANGUAGES": ("fr", "en"),
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    # CSRF is checked by our own before_request, after credentials (see kiosk/auth/access.py).
    "WTF_CSRF_CHECK_DEFAULT": False,
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "cepourmoi_session",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    # The cookie is sent again only when the session changes. Re-sending it with every response (a
    # picture, the icon) let a request that started before a change put the old session back: the
    # language switched to English came back in French. A login lasts 12 hours from the login
    # anyway (its server row), so refreshing the cookie gained nothing.
    "SESSION_REFRESH_EACH_REQUEST": False,
    "DEVICE_COOKIE_NAME": "cepourmoi_device",
    # A kiosk's or tablet's cookie lasts this long without use (renewed at each request it makes;
    # 400 days is the most browsers keep a cookie anyway). Revoking a device ends it at once.
    "DEVICE_COOKIE_DAYS": 400,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
    "LOGIN_WINDOW_MINUTES": 15,
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
    # The server's workers copy SQLite's log back into the database file from a thread of their
    # own, this often (kiosk.platform.database.WalCheckpointer); 0 leaves it to the commit that fills the
    # log, as CLI commands and tests always do.
    "SQLITE_CHECKPOINT_SECONDS": 1,
    # True in the workers of `kiosk serve` (kiosk/serve.py).
    "SERVER_WORKER": False,
    # Connections kept open: at least one per server thread (kiosk serve raises it to --threads + 2).
    # A request over the pool's size would open a fresh connection and throw it away after.
    "DATABASE_POOL_SIZE": 10,
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    # The installed service may set the system clock (CAP_SYS_TIME): see kiosk/platform/clock.py.
    "CLOCK_SET_SYSTEM": False,
    # `kiosk serve`: a request's head must arrive within this many seconds, the whole request
    # within the other (a slow client holds no thread meanwhile; past it, 408).
    "SERVER_HEAD_SECONDS": 10,
    "SERVER_REQUEST_SECONDS": 120,
    # How the centre's devices reach the box (enrolment links, kiosk/devices/links.py): the installed
    # box is HTTPS on 443 behind nginx; `kiosk serve --host/--port` sets what it serves.
    "BOX_SCHEME": "https",
    "BOX_PORT": 443,
    "BOX_BIND_HOST": "",
    # Messages (kiosk/messages/): the gateway set by KIOSK_SMS_URL (a box alone: it wins over the settings
    # page; several centres: each centre's own page wins, this is the default, gateways.py), how long
    # a gateway may take to answer, how often the server's sender looks for what is due, and after
    # how long a message left "sending" (its sender killed) is checked with the gateway.
    "SMS_URL": "",
    "SMS_TIMEOUT_SECONDS": 10,
    "MESSAGES_SCHEDULER": True,
    "MESSAGES_CHECK_SECONDS": 300,
    "MESSAGES_STUCK_SECONDS": 90,
}

ENV_KEYS = {
    "KIOSK_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "KIOSK_SECRET_KEY": "SECRET_KEY",
    "KIOSK_TIMEZONE": "TIMEZONE",
    "KIOSK_CLOCK_SET_SYSTEM": "CLOCK_SET_SYSTEM",
    "KIOSK_SMS_URL": "SMS_URL",
    "KIOSK_MESSAGES_STUCK_SECONDS": "MESSAGES_STUCK_SECONDS",
}


def load_secret_key(instance_path: str) -> str:
    """Return the key kept in instance/secret_key, creating it (mode 0600) the first time."""
    path = Path(instance_path) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def configure(app, test_config=None) -> None:
    """Fill app.config in the order of the Flask tutorial: defaults, instance, environment, tests."""
    app.config.from_mapping(DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
        app.instance_path, "cepourmoi.sqlite3"
    )
    app.config.from_pyfile("config.py", silent=True)
    for env_key, config_key in ENV_KEYS.items():
        if os.environ.get(env_key):
            app.config[config_key] = os.environ[env_key]
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]
    if not is_in_memory(app.config["SQLALCHEMY_DATABASE_URI"]):
        engine_options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        engine_options.setdefault("pool_size", app.config["DATABASE_POOL_SIZE"])
        # The connection given back last is the next one taken (SQLAlchemy's "pool_use_lifo"): a
        # quiet box keeps serving from one or two warm connections, instead of cycling through all
        # of them and filling each one's SQLite page cache with the same pages (2 MB each).
        engine_options.setdefault("pool_use_lifo", True)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options


def is_in_memory(url: str) -> bool:
    """An SQLite database in memory (tests): one shared connection, no pool to size."""
    return url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url
