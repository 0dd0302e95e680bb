"""The nightly backup of the installed box: into the instance folder, and onto each USB key that is
mounted, rotated, encrypted when a passphrase file is there; the status page reads the outcome."""

from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from kiosk.backup.snapshot import BackupError, BackupResult, backup_into
from kiosk.box.status import record_last_backup
from kiosk.box.units import USB_ROOTS
from kiosk.platform.clock import now

LOCAL_FOLDER = "backups"
USB_FOLDER = "cepourmoi-sauvegardes"
PASSPHRASE_FILE = "backup-passphrase"
MOUNTS = "/proc/self/mounts"


@dataclass
class NightlyBackup:
    written: list[BackupResult] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    encrypted: bool = False


def _unescape(field_: str) -> str:
    """/proc/self/mounts writes a space as \\040 (and tab, newline, backslash likewise)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field_ = field_.replace(code, char)
    return field_


def usb_keys(roots=USB_ROOTS, mounts: str = MOUNTS) -> list[Path]:
    """The file systems mounted below /media or /mnt (a USB key, a second disk), writable ones first seen."""
    try:
        lines = Path(mounts).read_text().splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        parts = line.split()
        if len(parts) < 4:
            continue
        point, options = Path(_unescape(parts[1])), parts[3].split(",")
        if "ro" in options or point in found:
            continue
        if any(point.is_relative_to(root) and point != Path(root) for root in roots):
            found.append(point)
    return found


def passphrase_file() -> Path:
    return Path(current_app.instance_path) / PASSPHRASE_FILE


def read_passphrase() -> str | None:
    """The passphrase in instance/backup-passphrase (mode 0600), or None: backups are then plain."""
    try:
        passphrase = passphrase_file().read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if len(passphrase) < 8:
        raise BackupError(f"la phrase de passe de {passphrase_file()} est trop courte (8 caractères au moins)")
    return passphrase


def backup_targets(keys: list[Path]) -> list[Path]:
    """The box's own folder first, then a folder on each key (made when missing)."""
    targets = [Path(current_app.instance_path) / LOCAL_FOLDER]
    targets += [key / USB_FOLDER for key in keys]
    return targets


def nightly_backup(keep: int, keys: list[Path]) -> NightlyBackup:
    """Back up into every target; one that fails does not stop the others. Recorded for the status page
    when at least one copy was written."""
    passphrase = read_passphrase()
    outcome = NightlyBackup(encrypted=bool(passphrase))
    for target in backup_targets(keys):
        try:
            target.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            outcome.failures.append(f"{target} : {exc.strerror or exc}")
            continue
        try:
            outcome.written.append(backup_into(target, keep, passphrase))
        except BackupError as exc:
            outcome.failures.append(str(exc))
    if outcome.written:
        record_last_backup(now(), [str(result.path.parent) for result in outcome.written], outcome.encrypted)
    return outcome
