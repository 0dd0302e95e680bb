"""Issue 15, point 3: reading an uploaded spreadsheet (seconds, for a big one) holds no database write
lock, so check-ins and baskets go on meanwhile (scripts/attack-figures.py saw /healthz fail and
check-ins wait 5 s while a 1-million-cell file was read)."""

import io
import re
import sqlite3

import pytest

from kiosk.models import Participant, Role
from kiosk.platform.extensions import db

CSV = "Nom;Prénom\nBenali;Fatima\n"


@pytest.fixture
def lock_probe(database_url, db_path):
    """What another connection could do while the file is read: take the write lock at once, or not."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's single write lock")
    seen = []

    def try_write_lock():
        other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            seen.append("free")
        except sqlite3.OperationalError as exc:
            seen.append(str(exc))
        finally:
            other.close()

    return seen, try_write_lock


def wrap(monkeypatch, target: str, probe):
    module, name = target.rsplit(".", 1)
    original = getattr(__import__(module, fromlist=[name]), name)

    def reading(*args, **kwargs):
        probe()
        return original(*args, **kwargs)

    monkeypatch.setattr(target, reading)


def test_the_preview_reads_the_file_without_the_write_lock(client, auth, lock_probe, monkeypatch):
    auth.login(Role.COORDINATOR)
    seen, probe = lock_probe
    wrap(monkeypatch, "kiosk.imports.services.read_table", probe)
    response = client.post("/participants/import", data={"file": (io.BytesIO(CSV.encode()), "liste.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert seen == ["free"]


def test_the_confirmation_reads_the_file_before_taking_the_write_lock(client, auth, lock_probe, monkeypatch):
    auth.login(Role.COORDINATOR)
    html = client.post("/participants/import", data={"file": (io.BytesIO(CSV.encode()), "liste.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    seen, probe = lock_probe
    wrap(monkeypatch, "kiosk.imports.views.read_table", probe)
    assert client.post("/participants/import/confirm", data={"token": token}).status_code == 303
    assert seen == ["free"]
    db.session.expire_all()
    assert db.session.scalar(db.select(Participant.first_name).where(Participant.last_name == "Benali")) == "Fatima"
