"""The quick check of the database when the server starts."""

from kiosk.backup import check_database
from tests.backup.conftest import damage
from tests.conftest import sqlite_only

pytestmark = sqlite_only  # the box's SQLite file; PostgreSQL has pg_dump


def test_sound_database_passes(app, make_participant):
    """Does a sound database pass the quick check?"""
    make_participant("Awa", "Diallo")
    assert check_database() is None


def test_damaged_database_is_reported_in_one_line(app, db_path, make_participant):
    """Is a damaged database reported, in one line?"""
    make_participant("Awa", "Diallo")
    damage(db_path)
    problem = check_database()
    assert problem and "\n" not in problem


def test_serve_refuses_a_damaged_database(app, db_path, make_participant, kiosk):
    """Does `kiosk serve` stop before starting the server, with one plain line saying what to do?"""
    make_participant("Awa", "Diallo")
    damage(db_path)
    result = kiosk("serve", "--host", "127.0.0.1", "--port", "1", timeout=60)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Erreur : la base de données est abîmée (")
    assert lines[0].endswith("Restaurez la dernière sauvegarde : kiosk restore FICHIER")
    assert "CéPourMoi est prêt" not in result.stdout
