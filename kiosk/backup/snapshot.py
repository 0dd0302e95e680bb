"""A consistent copy of the live SQLite database, safe while the server writes; rotation in a folder."""

import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from kiosk.backup.crypto import encrypt_file
from kiosk.platform.extensions import db


class BackupError(RuntimeError):
    """A backup that could not be made; the message says why in plain words."""


# cepourmoi-20250612-101500Z.sqlite3, -1, -2... when two are made in the same second; .enc if encrypted.
ROTATED_NAME = re.compile(r"^cepourmoi-(\d{8}-\d{6})Z(?:-(\d+))?\.sqlite3(\.enc)?$")


@dataclass
class BackupResult:
    path: Path
    size: int
    encrypted: bool
    removed: list[Path] = field(default_factory=list)


def sqlite_path() -> str:
    """The live database file; backups of other databases are pg_dump's job."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            "la sauvegarde intégrée ne vaut que pour SQLite ; pour PostgreSQL utilisez pg_dump et pg_restore"
        )
    return url.database


def first_problem(rows) -> str:
    """'ok', or the first problem SQLite's integrity_check or quick_check reported, on one line."""
    lines = [line.strip() for row in rows for line in str(row[0]).splitlines()]
    lines = [line for line in lines if line and not line.startswith("***")]
    if lines == ["ok"]:
        return "ok"
    return lines[0] if lines else "aucune réponse"


def integrity_verdict(path) -> str:
    """'ok', or the first problem PRAGMA integrity_check found, for a database file."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return str(exc)
    return first_problem(rows)


def _fsync_dir(directory: Path) -> None:
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _snapshot(source_path: str, tmp_name: str) -> None:
    """SQLite's online backup API into tmp_name, made self-contained (no WAL), checked and synced."""
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(tmp_name)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
        verdict = first_problem(copy.execute("PRAGMA integrity_check").fetchall())
    finally:
        copy.close()
        source.close()
    if verdict != "ok":
        raise BackupError(f"la copie n'est pas intègre : {verdict}")
    with open(tmp_name, "rb") as handle:
        os.fsync(handle.fileno())


def backup_to(out, passphrase: str | None = None) -> int:
    """Copy with SQLite's online backup API to a temporary file, sync, check, then rename.

    With a passphrase, the checked copy is encrypted on the way; the plain copy is made beside the
    live database (never on the target disk, which may be a USB stick) and removed.
    """
    source_path = sqlite_path()
    target = Path(out).resolve()
    if not target.parent.is_dir():
        raise BackupError(f"le dossier {target.parent} n'existe pas (disque ou clé USB branché ?)")
    if not os.path.exists(source_path):
        raise BackupError("aucune base de données à sauvegarder")
    live = Path(source_path).resolve()
    if target in {live, live.with_name(live.name + "-wal"), live.with_name(live.name + "-shm")}:
        raise BackupError("la sauvegarde ne peut pas remplacer la base en service : choisissez un autre fichier")
    plain_dir = Path(source_path).resolve().parent if passphrase else target.parent
    temporaries = []
    try:
        fd, plain_tmp = tempfile.mkstemp(prefix=".backup-", dir=plain_dir)
        os.close(fd)
        temporaries.append(plain_tmp)
        _snapshot(source_path, plain_tmp)
        final_tmp = plain_tmp
        if passphrase:
            fd, final_tmp = tempfile.mkstemp(prefix=".backup-", dir=target.parent)
            os.close(fd)
            temporaries.append(final_tmp)
            encrypt_file(plain_tmp, final_tmp, passphrase)
        os.replace(final_tmp, target)
        _fsync_dir(target.parent)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"sauvegarde impossible : {exc}") from exc
    finally:
        for name in temporaries:
            if os.path.exists(name):
                os.unlink(name)
    return target.stat().st_size


def rotated_backups(directory: Path) -> list[Path]:
    """Our timestamped backups in a folder, oldest first (other files are never touched)."""
    found = []
    for path in directory.iterdir():
        match = ROTATED_NAME.match(path.name)
        if match and path.is_file():
            found.append(((match.group(1), int(match.group(2) or 0)), path))
    return [path for _key, path in sorted(found)]


def _new_name(directory: Path, now: datetime, encrypted: bool) -> Path:
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%d-%H%M%S")
    suffix = ".sqlite3.enc" if encrypted else ".sqlite3"
    taken = {path.name for path in directory.iterdir()}
    name, number = f"cepourmoi-{stamp}Z{suffix}", 0
    while name in taken or name.replace(".enc", "") in taken or name + ".enc" in taken:
        number += 1
        name = f"cepourmoi-{stamp}Z-{number}{suffix}"
    return directory / name


def backup_into(directory, keep: int, passphrase: str | None = None, now: datetime | None = None) -> BackupResult:
    """Write a timestamped backup into a folder (a second disk, a USB stick) and keep the newest `keep`."""
    if keep < 1:
        raise BackupError("--keep doit valoir au moins 1")
    folder = Path(directory).resolve()
    if not folder.is_dir():
        raise BackupError(f"le dossier {folder} n'existe pas (disque ou clé USB branché ?)")
    if not os.access(folder, os.W_OK):
        raise BackupError(f"impossible d'écrire dans le dossier {folder}")
    target = _new_name(folder, now or datetime.now(timezone.utc), bool(passphrase))
    size = backup_to(target, passphrase)
    # The new file is always kept, even if a clock set wrong (a Pi has no battery clock) named it older.
    others = [path for path in rotated_backups(folder) if path != target]
    removed = others[: max(0, len(others) - (keep - 1))]
    for old in removed:
        old.unlink()
    if removed:
        _fsync_dir(folder)
    return BackupResult(path=target, size=size, encrypted=bool(passphrase), removed=removed)
