"""Restoring a backup: checked first, the current database kept aside, then migrated."""

import sqlite3

import pytest

from kiosk.backup import backup_to, check_database
from kiosk.platform.extensions import db
from kiosk.models import Participant
from tests.backup.conftest import PASSPHRASE, checkpoint, damage, names_in
from tests.conftest import sqlite_only

pytestmark = sqlite_only  # the box's SQLite file; PostgreSQL has pg_dump


def participant_names() -> set[str]:
    db.session.remove()
    names = set(db.session.scalars(db.select(Participant.first_name)))
    db.session.remove()
    return names


@pytest.fixture
def saved(app, make_participant, tmp_path):
    """A database with Awa, backed up; then Loïc was added after the backup."""
    make_participant("Awa", "Diallo")
    db.session.remove()
    backup_to(tmp_path / "saved.sqlite3")
    make_participant("Loïc", "Le Gall")
    db.session.remove()
    return tmp_path / "saved.sqlite3"


def kept_copies(db_path):
    return sorted(db_path.parent.glob(db_path.name + ".avant-restauration-*Z"))


def test_restore_round_trip(saved, db_path, runner):
    """Does `kiosk restore FILE --yes` bring back the backup's data and keep the database it replaced?"""
    result = runner.invoke(args=["restore", str(saved), "--yes"])
    assert result.exit_code == 0, result.output
    assert participant_names() == {"Awa"}
    [copy] = kept_copies(db_path)
    assert f"Copie de la base d'avant gardée : {copy}" in result.output
    assert names_in(copy) == {"Awa", "Loïc"}
    assert "Base restaurée" in result.output
    connection = sqlite3.connect(db_path)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone()  # migrations ran
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()
    assert check_database() is None


def test_restore_while_a_connection_stays_open(saved, db_path, runner):
    """With the server's connection open, does it see the restored data at once (the file is not swapped)?"""
    server = sqlite3.connect(db_path)
    assert {row[0] for row in server.execute("SELECT first_name FROM participant")} == {"Awa", "Loïc"}
    inode = db_path.stat().st_ino
    assert runner.invoke(args=["restore", str(saved), "--yes"]).exit_code == 0
    assert {row[0] for row in server.execute("SELECT first_name FROM participant")} == {"Awa"}
    assert db_path.stat().st_ino == inode
    server.close()


def test_encrypted_restore_with_the_passphrase(saved, db_path, runner, tmp_path):
    """Does an encrypted backup restore with its passphrase, and refuse a wrong one in one line, unchanged?"""
    encrypted = tmp_path / "saved.enc"
    backup_to(encrypted, PASSPHRASE)
    db.session.remove()
    wrong = runner.invoke(args=["restore", str(encrypted), "--yes"],
                          env={"KIOSK_BACKUP_PASSPHRASE": "pas la bonne phrase"})
    assert wrong.exit_code != 0
    assert wrong.output.strip().splitlines() == [
        "Error: phrase de passe incorrecte pour cette sauvegarde ; rien n'a été changé"]
    assert participant_names() == {"Awa", "Loïc"} and kept_copies(db_path) == []
    missing = runner.invoke(args=["restore", str(encrypted), "--yes"])
    assert missing.exit_code != 0 and "KIOSK_BACKUP_PASSPHRASE" in missing.output
    right = runner.invoke(args=["restore", str(encrypted), "--yes"], env={"KIOSK_BACKUP_PASSPHRASE": PASSPHRASE})
    assert right.exit_code == 0, right.output
    assert participant_names() == {"Awa", "Loïc"}  # the encrypted copy was taken after Loïc came


def test_wrong_passphrase_from_the_real_command(saved, tmp_path, kiosk):
    """From the real command, is a wrong passphrase one French line on stderr and a non-zero exit?"""
    backup_to(tmp_path / "saved.enc", PASSPHRASE)
    result = kiosk("restore", tmp_path / "saved.enc", "--yes", env={"KIOSK_BACKUP_PASSPHRASE": "pas la bonne phrase"})
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Erreur : phrase de passe incorrecte pour cette sauvegarde ; rien n'a été changé"]


def test_restore_refuses_what_is_not_a_sound_backup(saved, db_path, runner, tmp_path):
    """Are a missing file, a text file, a damaged backup and another program's database refused,
    each in one line, leaving the database as it was and making no copy?"""
    (tmp_path / "notes.txt").write_text("bonjour")
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(saved.read_bytes())
    damage(damaged)
    foreign = tmp_path / "foreign.sqlite3"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE photo (id INTEGER PRIMARY KEY)")
    connection.close()
    cases = {
        tmp_path / "absent.sqlite3": "fichier introuvable",
        tmp_path / "notes.txt": "n'est pas une sauvegarde de CéPourMoi",
        damaged: "la sauvegarde est abîmée, rien n'a été changé",
        foreign: "n'est pas une base de CéPourMoi",
    }
    for path, message in cases.items():
        result = runner.invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code != 0, path
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], result.output
    assert participant_names() == {"Awa", "Loïc"}
    assert kept_copies(db_path) == []


def test_restore_asks_first(saved, runner):
    """Without --yes, does answering no leave everything as it was?"""
    result = runner.invoke(args=["restore", str(saved)], input="n\n")
    assert result.exit_code != 0
    assert participant_names() == {"Awa", "Loïc"}


def test_restore_over_a_damaged_database(saved, db_path, runner):
    """When the live database is damaged, does restore still put the backup back and say to restart?"""
    damage(db_path)
    assert check_database() is not None
    result = runner.invoke(args=["restore", str(saved), "--yes"])
    assert result.exit_code == 0, result.output
    assert "redémarrez le serveur" in result.output
    assert check_database() is None
    assert participant_names() == {"Awa"}
    assert len(kept_copies(db_path)) == 1


def test_restore_where_there_was_no_database(saved, db_path, runner):
    """On a new box with no database yet, does restore simply put the backup in place?"""
    checkpoint(db_path)
    db_path.unlink()
    result = runner.invoke(args=["restore", str(saved), "--yes"])
    assert result.exit_code == 0, result.output
    assert participant_names() == {"Awa"}
    assert kept_copies(db_path) == []
