"""Putting a backup back, and the quick check of the database when the server starts."""

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from kiosk.backup.crypto import DecryptionError, decrypt_file, is_encrypted
from kiosk.backup.snapshot import BackupError, backup_to, first_problem, integrity_verdict, sqlite_path
from kiosk.platform.extensions import db

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass
class RestoreResult:
    kept_copy: Path | None  # the database as it was just before, or None if there was none
    replaced_file: bool  # the damaged file was swapped rather than overwritten in place


def storage_problem() -> str | None:
    """What keeps the server from using the SQLite file other than damage, said with the safe action:
    a missing file (never made empty here: the server would die on it), a read-only disk (the data is
    fine: restoring a backup would lose what was recorded since)."""
    try:
        path = sqlite_path()
    except BackupError:
        return None
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.exists(path):
        return (f"la base de données {path} est introuvable ; le serveur ne démarre pas. "
                "Créez-la avec : kiosk init-db (ou, si elle a été déplacée, remettez-la à sa place)")
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    if read_only or not (os.access(folder, os.W_OK) and os.access(path, os.W_OK)):
        return (f"le disque de la base de données ({folder}) est en lecture seule ; le serveur ne démarre pas. "
                "Les données ne sont pas abîmées : ne restaurez pas de sauvegarde. "
                "Vérifiez la carte ou le disque (il se met en lecture seule quand il a une erreur), puis redémarrez la boîte")
    return None


def check_database() -> str | None:
    """PRAGMA quick_check on the live SQLite file: None when sound (or nothing to check), else the problem."""
    try:
        path = sqlite_path()
    except BackupError:
        return None  # PostgreSQL checks itself
    if not os.path.exists(path):
        return None  # created empty by init-db
    try:
        connection = sqlite3.connect(path, timeout=30)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return str(exc)
    verdict = first_problem(rows)
    return None if verdict == "ok" else verdict


def _prepare_candidate(source: Path, workdir: Path, passphrase: str | None) -> str:
    """A plain, checked copy of the backup beside the live database (the backup file is left as it is)."""
    with open(source, "rb") as handle:
        start = handle.read(len(SQLITE_HEADER))
    encrypted = is_encrypted(source)
    if not encrypted and start != SQLITE_HEADER:
        raise BackupError(f"{source.name} n'est pas une sauvegarde de CéPourMoi (ni SQLite, ni chiffrée)")
    if encrypted and not passphrase:
        raise BackupError("cette sauvegarde est chiffrée : donnez sa phrase de passe dans KIOSK_BACKUP_PASSPHRASE")
    fd, candidate = tempfile.mkstemp(prefix=".restore-", dir=workdir)
    os.close(fd)
    try:
        if encrypted:
            decrypt_file(source, candidate, passphrase)
        else:
            reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            writer = sqlite3.connect(candidate)
            try:
                reader.backup(writer)
            finally:
                writer.close()
                reader.close()
        verdict = integrity_verdict(candidate)
        if verdict != "ok":
            raise BackupError(f"la sauvegarde est abîmée, rien n'a été changé : {verdict}")
        _check_is_ours(candidate)
    except DecryptionError as exc:
        os.unlink(candidate)
        raise BackupError(f"{exc} ; rien n'a été changé") from exc
    except (BackupError, sqlite3.Error, OSError) as exc:
        os.unlink(candidate)
        if isinstance(exc, BackupError):
            raise
        raise BackupError(f"sauvegarde illisible, rien n'a été changé : {exc}") from exc
    return candidate


def _check_is_ours(candidate: str) -> None:
    connection = sqlite3.connect(candidate)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        connection.close()
    if not {"participant", "alembic_version"} <= tables:
        raise BackupError("ce fichier SQLite n'est pas une base de CéPourMoi ; rien n'a été changé")


def _keep_current(live: Path, now: datetime) -> Path:
    """Copy the current database aside before it is replaced (consistently if it can be read)."""
    copy = live.with_name(f"{live.name}.avant-restauration-{now.strftime('%Y%m%d-%H%M%S')}Z")
    try:
        backup_to(copy)
    except BackupError:
        # Damaged beyond the backup API: keep the raw files, that is all there is.
        shutil.copy2(live, copy)
        for extra in ("-wal", "-shm"):
            if os.path.exists(f"{live}{extra}"):
                shutil.copy2(f"{live}{extra}", f"{copy}{extra}")
    return copy


def _write_into_live(candidate: str, live: Path) -> None:
    """Overwrite the live database in place with the backup API: open connections see the new data."""
    source = sqlite3.connect(candidate)
    target = sqlite3.connect(live, timeout=30)
    try:
        source.backup(target)
        target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        target.close()
        source.close()


def restore_from(path, passphrase: str | None = None) -> RestoreResult:
    """Check a backup, keep a copy of the current database, put the backup in its place.

    The schema upgrade that follows is the caller's (the CLI runs the migrations).
    """
    live = Path(sqlite_path()).resolve()
    source = Path(path).resolve()
    if not source.is_file():
        raise BackupError(f"fichier introuvable : {path}")
    if source == live:
        raise BackupError("ce fichier est la base en service elle-même")
    live.parent.mkdir(parents=True, exist_ok=True)
    candidate = _prepare_candidate(source, live.parent, passphrase)
    db.engine.dispose()
    try:
        kept = _keep_current(live, datetime.now(timezone.utc)) if live.exists() else None
        damaged = live.exists() and check_database() is not None
        if not live.exists() or damaged:
            for extra in ("-wal", "-shm"):
                if os.path.exists(f"{live}{extra}"):
                    os.unlink(f"{live}{extra}")
            os.replace(candidate, live)
            return RestoreResult(kept_copy=kept, replaced_file=damaged)
        try:
            _write_into_live(candidate, live)
        except sqlite3.Error as exc:
            raise BackupError(f"restauration impossible, la base actuelle n'a pas changé : {exc}") from exc
        return RestoreResult(kept_copy=kept, replaced_file=False)
    finally:
        if os.path.exists(candidate):
            os.unlink(candidate)
        db.engine.dispose()
