"""`kiosk box upgrade FILE`: a new version brought on a USB key, installed with a way back.

Backup first, keep the installed files of the running version, install the file (no index, no
dependency fetched), migrate, restart, check health; when any step after the backup fails, put
the previous files and the database back by itself, and check again."""

import shutil
import subprocess
import sys
import time
import urllib.error
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from flask import current_app

from kiosk.backup.restore import restore_from
from kiosk.backup.snapshot import backup_to
from kiosk.box.units import SERVICE, SOCKET

DIST = "cepourmoi-kiosk"
SUFFIXES = (".whl", ".tar.gz", ".zip")
UNIT_FILE = Path("/etc/systemd/system") / SERVICE


class UpgradeFailed(RuntimeError):
    """A step of the upgrade failed; the message says which, in plain words."""


@dataclass
class Upgrade:
    previous: str
    installed: str | None = None
    rolled_back: bool = False
    steps: list[str] = field(default_factory=list)


def kiosk_script() -> str:
    return str(Path(sys.executable).with_name("kiosk"))


def _run(step: str, command: list[str], timeout: int = 600) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise UpgradeFailed(f"{step} : {lines[-1] if lines else 'code ' + str(result.returncode)}")


def keep_installed_files(folder: Path) -> list[tuple[Path, Path]]:
    """Copy every file the running version installed (its RECORD) aside: (where it goes, the copy)."""
    dist = metadata.distribution(DIST)
    kept = []
    for number, relative in enumerate(dist.files or []):
        source = Path(dist.locate_file(relative)).resolve()
        if source.is_file() and "__pycache__" not in source.parts:
            copy = folder / f"{number:05d}-{source.name}"
            shutil.copy2(source, copy)
            kept.append((source, copy))
    return kept


def put_back(kept: list[tuple[Path, Path]]) -> None:
    """Remove whatever version is installed now and put the kept files back where they were."""
    subprocess.run([sys.executable, "-m", "pip", "uninstall", "--yes", "--quiet", DIST],
                   capture_output=True, text=True, timeout=600)
    for target, copy in kept:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(copy, target)


def service_installed() -> bool:
    return UNIT_FILE.is_file() and shutil.which("systemctl") is not None


def check_health(service: bool, wait_s: float = 60) -> None:
    """Restart the service and wait for /healthz on its socket; without a service, ask the new code
    to build the app and answer /healthz itself."""
    if not service:
        _run("contrôle de santé", [kiosk_script(), "box", "health"], timeout=120)
        return
    _run("redémarrage", ["systemctl", "restart", SERVICE], timeout=120)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if _socket_healthz(SOCKET) == 200:
            return
        time.sleep(1)
    raise UpgradeFailed("contrôle de santé : /healthz ne répond pas 200 après le redémarrage")


def _socket_healthz(path: str) -> int | None:
    import http.client
    import socket

    class UnixConnection(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(5)
            self.sock.connect(path)

    try:
        connection = UnixConnection("localhost")
        connection.request("GET", "/healthz")
        return connection.getresponse().status
    except (OSError, http.client.HTTPException, urllib.error.URLError):
        return None


def upgrade(file: Path) -> Upgrade:
    """Install FILE with a way back (see the module's docstring). Raises UpgradeFailed when even the
    way back failed; returns rolled_back=True when the new version was refused and the old one runs."""
    if not file.is_file() or not file.name.endswith(SUFFIXES):
        raise UpgradeFailed(f"{file} n'est pas un paquet de CéPourMoi (.whl, .tar.gz ou .zip)")
    outcome = Upgrade(previous=metadata.version(DIST))
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    folder = Path(current_app.instance_path) / "upgrades" / f"{stamp}-depuis-{outcome.previous}"
    (folder / "files").mkdir(parents=True, mode=0o700)
    backup = folder / "base-avant.sqlite3"
    backup_to(backup)
    outcome.steps.append(f"sauvegarde : {backup}")
    kept = keep_installed_files(folder / "files")
    service = service_installed()
    try:
        _run("installation", [sys.executable, "-m", "pip", "install", "--no-index", "--no-deps",
                              "--disable-pip-version-check", "--quiet", "--force-reinstall", str(file)])
        outcome.installed = _installed_version()
        _run("migration de la base", [kiosk_script(), "init-db"])
        check_health(service)
    except (UpgradeFailed, subprocess.TimeoutExpired, OSError) as exc:
        outcome.steps.append(f"échec : {exc}")
        put_back(kept)
        restore_from(backup)
        check_health(service)
        outcome.rolled_back = True
        outcome.steps.append(f"retour à la version {outcome.previous} et à la base d'avant")
    return outcome


def _installed_version() -> str | None:
    result = subprocess.run([sys.executable, "-c", f"from importlib.metadata import version; print(version('{DIST}'))"],
                            capture_output=True, text=True, timeout=60)
    return result.stdout.strip() or None
