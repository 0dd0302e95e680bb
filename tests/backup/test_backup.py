"""Backups: consistent while the server writes, rotated in a folder, encrypted when asked."""

import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest

from kiosk.backup import BackupError, backup_into, backup_to, integrity_verdict
from kiosk.platform.extensions import db
from tests.backup.conftest import PASSPHRASE, names_in
from tests.conftest import sqlite_only

pytestmark = sqlite_only  # the box's SQLite file; PostgreSQL has pg_dump


def bulk(db_path, rows: int) -> None:
    """Some weight, so that a backup takes a while: referrers with long structure names."""
    connection = sqlite3.connect(db_path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany("INSERT INTO referrer (name, structure) VALUES (?, ?)",
                           ((f"bulk-{n}", "x" * 400) for n in range(rows)))
    connection.execute("COMMIT")
    connection.close()


class Writer(threading.Thread):
    """Commits one participant-like row after another until told to stop; remembers what it committed."""

    def __init__(self, db_path):
        super().__init__(daemon=True)
        self.db_path = db_path
        self.committed: list[int] = []
        self.stopping = threading.Event()
        self.started_writing = threading.Event()

    def run(self):
        connection = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        number = 0
        while not self.stopping.is_set():
            number += 1
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO referrer (name) VALUES (?)", (f"writer-{number}",))
            connection.execute("COMMIT")
            self.committed.append(number)
            if number == 50:
                self.started_writing.set()
        connection.close()


def writer_rows(path) -> list[int]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(int(name.split("-")[1]) for (name,) in
                      connection.execute("SELECT name FROM referrer WHERE name LIKE 'writer-%'"))
    finally:
        connection.close()


def test_backup_while_another_thread_writes(app, db_path, tmp_path):
    """Is a backup taken during a stream of commits sound, with every row committed before it started?"""
    bulk(db_path, 20_000)
    writer = Writer(db_path)
    writer.start()
    assert writer.started_writing.wait(60)
    committed_before = list(writer.committed)
    backup_to(tmp_path / "copy.sqlite3")
    committed_after = len(writer.committed)
    writer.stopping.set()
    writer.join(60)
    assert integrity_verdict(tmp_path / "copy.sqlite3") == "ok"
    saved = writer_rows(tmp_path / "copy.sqlite3")
    assert set(committed_before) <= set(saved)
    assert saved == list(range(1, len(saved) + 1))  # a snapshot: a prefix of the commits, no holes
    assert len(saved) <= committed_after


def test_cli_backup_while_another_process_writes(app, db_path, tmp_path, kiosk):
    """Does `kiosk backup --out` (another process) give a sound copy while this process keeps writing?"""
    bulk(db_path, 5_000)
    writer = Writer(db_path)
    writer.start()
    assert writer.started_writing.wait(60)
    committed_before = list(writer.committed)
    result = kiosk("backup", "--out", tmp_path / "copy.sqlite3")
    writer.stopping.set()
    writer.join(60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Sauvegarde écrite : {tmp_path / 'copy.sqlite3'} (")
    assert "intégrité vérifiée" in result.stdout
    assert integrity_verdict(tmp_path / "copy.sqlite3") == "ok"
    assert set(committed_before) <= set(writer_rows(tmp_path / "copy.sqlite3"))


def test_backup_file_stands_alone(app, make_participant, tmp_path):
    """Is the copy a plain SQLite file in rollback mode (no -wal needed beside it) with the data?"""
    make_participant("Awa", "Diallo")
    db.session.remove()
    backup_to(tmp_path / "copy.sqlite3")
    assert not (tmp_path / "copy.sqlite3-wal").exists()
    connection = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()
    assert names_in(tmp_path / "copy.sqlite3") == {"Awa"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup-")] == []


def stamp(hour: int) -> datetime:
    return datetime(2025, 1, 1, hour, tzinfo=timezone.utc)


def test_rotation_keeps_the_newest_n(app, tmp_path):
    """In a folder, are only the newest N backups kept, and other files left alone?"""
    folder = tmp_path / "usb"
    folder.mkdir()
    (folder / "photos.zip").write_bytes(b"not ours")
    results = [backup_into(folder, keep=3, now=stamp(hour)) for hour in range(6)]
    assert sorted(p.name for p in folder.iterdir()) == [
        "cepourmoi-20250101-030000Z.sqlite3", "cepourmoi-20250101-040000Z.sqlite3",
        "cepourmoi-20250101-050000Z.sqlite3", "photos.zip"]
    assert [p.name for p in results[3].removed] == ["cepourmoi-20250101-000000Z.sqlite3"]
    assert all(integrity_verdict(path) == "ok" for path in folder.glob("cepourmoi-*"))


def test_rotation_in_the_same_second_and_with_a_clock_behind(app, tmp_path):
    """Two backups in one second both get names; a clock set back never deletes the backup just made."""
    first = backup_into(tmp_path, keep=5, now=stamp(10))
    second = backup_into(tmp_path, keep=5, now=stamp(10))
    assert (first.path.name, second.path.name) == (
        "cepourmoi-20250101-100000Z.sqlite3", "cepourmoi-20250101-100000Z-1.sqlite3")
    behind = backup_into(tmp_path, keep=2, now=stamp(1))
    assert behind.path.exists()
    assert sorted(p.name for p in tmp_path.glob("cepourmoi-*")) == [
        "cepourmoi-20250101-010000Z.sqlite3", "cepourmoi-20250101-100000Z-1.sqlite3"]


def test_cli_rotation_with_keep(app, tmp_path, runner):
    """Does `kiosk backup --dir D --keep 2`, run three times, leave two backups?"""
    folder = tmp_path / "second-disk"
    folder.mkdir()
    outputs = [runner.invoke(args=["backup", "--dir", str(folder), "--keep", "2"]) for _ in range(3)]
    assert all(result.exit_code == 0 for result in outputs), outputs[-1].output
    assert len(list(folder.glob("cepourmoi-*.sqlite3"))) == 2
    assert "Anciennes sauvegardes supprimées" in outputs[-1].output


def test_cli_backup_to_two_folders(app, tmp_path, runner):
    """With --dir given twice (the box's disk and a USB stick), is a backup written in each?"""
    disk, stick = tmp_path / "disk", tmp_path / "stick"
    disk.mkdir()
    stick.mkdir()
    result = runner.invoke(args=["backup", "--dir", str(disk), "--dir", str(stick)])
    assert result.exit_code == 0, result.output
    assert len(list(disk.glob("cepourmoi-*"))) == 1 and len(list(stick.glob("cepourmoi-*"))) == 1


def test_cli_backup_with_the_stick_missing(app, tmp_path, runner):
    """If the USB stick is not plugged in, is the disk backup still made and the failure reported?"""
    disk = tmp_path / "disk"
    disk.mkdir()
    result = runner.invoke(args=["backup", "--dir", str(disk), "--dir", str(tmp_path / "absent")])
    assert result.exit_code != 0
    assert len(list(disk.glob("cepourmoi-*"))) == 1
    assert "absent n'existe pas (disque ou clé USB branché ?)" in result.output


def test_encrypted_backup_is_not_readable_as_sqlite(app, make_participant, tmp_path, runner):
    """With --encrypt, is the file unreadable as SQLite and free of the names it holds?"""
    make_participant("Zéphyrine", "Quirinovsky")
    result = runner.invoke(args=["backup", "--out", str(tmp_path / "copy.enc"), "--encrypt"],
                           env={"KIOSK_BACKUP_PASSPHRASE": PASSPHRASE})
    assert result.exit_code == 0, result.output
    assert "chiffrée" in result.output
    raw = (tmp_path / "copy.enc").read_bytes()
    assert not raw.startswith(b"SQLite format 3") and "Quirinovsky".encode() not in raw
    connection = sqlite3.connect(tmp_path / "copy.enc")
    with pytest.raises(sqlite3.DatabaseError):
        connection.execute("SELECT * FROM sqlite_master").fetchall()
    connection.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup-")] == []


def test_encrypted_rotation(app, tmp_path, runner):
    """Do encrypted backups in a folder get the .enc name and rotate like the others?"""
    env = {"KIOSK_BACKUP_PASSPHRASE": PASSPHRASE}
    (tmp_path / "usb").mkdir()
    for _ in range(2):
        result = runner.invoke(args=["backup", "--dir", str(tmp_path / "usb"), "--keep", "1", "--encrypt"], env=env)
        assert result.exit_code == 0, result.output
    assert [p.suffix for p in (tmp_path / "usb").iterdir()] == [".enc"]


@pytest.mark.parametrize("args, env, message", [
    ([], {}, "indiquez soit --out FICHIER, soit --dir DOSSIER"),
    (["--out", "{tmp}/a", "--dir", "{tmp}"], {}, "indiquez soit --out FICHIER, soit --dir DOSSIER"),
    (["--out", "{tmp}/a", "--keep", "3"], {}, "--keep va avec --dir"),
    (["--dir", "{tmp}", "--keep", "0"], {}, "--keep doit valoir au moins 1"),
    (["--dir", "{tmp}/clé-absente"], {}, "n'existe pas (disque ou clé USB branché ?)"),
    (["--out", "{tmp}/nulle-part/a.sqlite3"], {}, "n'existe pas"),
    (["--out", "{tmp}/a", "--encrypt"], {}, "--encrypt demande une phrase de passe dans KIOSK_BACKUP_PASSPHRASE"),
    (["--out", "{tmp}/a", "--encrypt"], {"KIOSK_BACKUP_PASSPHRASE": "court"}, "trop courte"),
])
def test_cli_backup_bad_input_is_refused(app, tmp_path, runner, args, env, message):
    """Is each mistake told in one line, with a non-zero exit and nothing written?"""
    result = runner.invoke(args=["backup", *[arg.format(tmp=tmp_path) for arg in args]], env=env)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert not (tmp_path / "a").exists()


def test_cli_error_is_one_plain_line_on_stderr(app, tmp_path, kiosk):
    """From the real command, is a mistake one French line on stderr, no traceback, exit non-zero?"""
    result = kiosk("backup", "--dir", tmp_path / "clé-absente")
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"Erreur : le dossier {tmp_path / 'clé-absente'} n'existe pas (disque ou clé USB branché ?)"]


def test_backup_of_a_missing_database_is_refused(app, db_path, tmp_path):
    """Is a backup with no database file refused plainly rather than making an empty copy?"""
    db.session.remove()
    db.engine.dispose()
    db_path.unlink()
    with pytest.raises(BackupError, match="aucune base de données"):
        backup_to(tmp_path / "copy.sqlite3")
    assert not (tmp_path / "copy.sqlite3").exists()


def test_rotation_ignores_foreign_files_with_similar_names(app, tmp_path):
    """Are files that merely look like ours (another prefix, a .txt) never deleted by rotation?"""
    lookalikes = ["cepourmoi-notes.sqlite3", "cepourmoi-20250101-000000Z.sqlite3.txt", "autre-20250101-000000Z.sqlite3"]
    for name in lookalikes:
        (tmp_path / name).write_text("x")
    for hour in range(3):
        backup_into(tmp_path, keep=1, now=stamp(hour) + timedelta(minutes=1))
    assert all((tmp_path / name).exists() for name in lookalikes)
    assert len(list(tmp_path.glob("cepourmoi-2025*Z.sqlite3"))) == 1
