"""Durability: consistent backups (rotated, optionally encrypted), restore, and the start-up check.

SQLite only; a centre on PostgreSQL uses pg_dump and pg_restore.
"""

from kiosk.backup.restore import RestoreResult, check_database, restore_from
from kiosk.backup.snapshot import BackupError, BackupResult, backup_into, backup_to, integrity_verdict, sqlite_path

__all__ = [
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "backup_into",
    "backup_to",
    "check_database",
    "integrity_verdict",
    "restore_from",
    "sqlite_path",
]
