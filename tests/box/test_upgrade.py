"""`kiosk box upgrade FILE` on a box of its own (a virtual environment made for the test, its
dependencies borrowed from ours): a good wheel is taken; a broken one is rolled back by itself."""

import base64
import hashlib
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kiosk import PACKAGE_DIR

ROOT = PACKAGE_DIR.parent
VERSION = "0.1.0"


def wheel_of_this_source(folder: Path, version: str, broken: bool = False) -> Path:
    """A wheel of the current source, as `pip wheel` would make it (templates and static inside the
    package); broken: its `import kiosk` fails."""
    name = f"cepourmoi_kiosk-{version}"
    path = folder / f"{name}-py3-none-any.whl"
    files = {}
    for top, inside in (("kiosk", "kiosk"), ("templates", "kiosk/templates"), ("static", "kiosk/static")):
        for source in (ROOT / top).rglob("*"):
            if source.is_file() and "__pycache__" not in source.parts:
                files[f"{inside}/{source.relative_to(ROOT / top)}"] = source.read_bytes()
    if broken:
        files["kiosk/__init__.py"] = b'raise ImportError("a broken build, on purpose")\n'
    requires = "".join(f"Requires-Dist: {r}\n" for r in ("flask", "gunicorn"))
    files[f"{name}.dist-info/METADATA"] = f"Metadata-Version: 2.1\nName: cepourmoi-kiosk\nVersion: {version}\n{requires}".encode()
    files[f"{name}.dist-info/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{name}.dist-info/entry_points.txt"] = b"[console_scripts]\nkiosk = kiosk.cli:main\n"
    record = []
    for member, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{member},sha256={digest},{len(data)}")
    files[f"{name}.dist-info/RECORD"] = ("\n".join(record + [f"{name}.dist-info/RECORD,,"]) + "\n").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in files.items():
            archive.writestr(member, data)
    return path


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wheels")
    return {"current": wheel_of_this_source(folder, VERSION), "next": wheel_of_this_source(folder, "0.1.1"),
            "broken": wheel_of_this_source(folder, "0.1.2", broken=True)}


@pytest.fixture
def box(tmp_path, wheels):
    """A virtual environment holding this version (installed from its wheel), and a migrated database
    with one participant in it; run(*args) runs its own `kiosk`."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    ours = next(Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "borrowed.pth").write_text(f"{ours}\n")  # flask, gunicorn, pip... from our environment
    python = venv / "bin/python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-index", "--no-deps", "--quiet", str(wheels["current"])],
                   check=True, capture_output=True)
    env = {**os.environ, "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"), "KIOSK_SECRET_KEY": "test-secret-key",
           "KIOSK_DATABASE_URL": f"sqlite:///{tmp_path / 'box.sqlite3'}", "PYTHONPATH": ""}

    def run(*args):
        return subprocess.run([str(venv / "bin/kiosk"), *map(str, args)], env=env, capture_output=True, text=True,
                              timeout=600, cwd=tmp_path)

    assert run("init-db").returncode == 0
    assert run("participant", "add", "--first-name", "Aïcha", "--last-name", "Diallo").returncode == 0
    run.python, run.db = python, tmp_path / "box.sqlite3"
    return run


def installed_version(box) -> str:
    return subprocess.run([str(box.python), "-c", "import importlib.metadata as m; print(m.version('cepourmoi-kiosk'))"],
                          capture_output=True, text=True, cwd=box.db.parent).stdout.strip()


def first_names(path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT first_name FROM participant")]
    finally:
        connection.close()


def test_a_broken_package_is_rolled_back_and_the_box_still_works(box, wheels):
    """A package whose import fails: does the upgrade fail in one line, put the previous version and
    the database back by itself, and leave a box that answers /healthz and keeps its data?"""
    result = box("box", "upgrade", wheels["broken"])
    assert result.returncode != 0
    assert "revenue à la version 0.1.0" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "échec : migration de la base" in result.stdout
    assert installed_version(box) == VERSION
    health = box("box", "health")
    assert health.returncode == 0 and health.stdout.strip() == "ok"
    assert first_names(box.db) == ["Aïcha"]


def test_a_good_package_is_installed_after_a_backup(box, wheels, tmp_path):
    """A working package: is it installed and migrated, with the database saved before?"""
    result = box("box", "upgrade", wheels["next"])
    assert result.returncode == 0, result.stderr
    assert "0.1.0 → 0.1.1" in result.stdout and installed_version(box) == "0.1.1"
    [saved] = (tmp_path / "instance/upgrades").glob("*-depuis-0.1.0/base-avant.sqlite3")
    assert first_names(saved) == ["Aïcha"] and box("box", "health").returncode == 0


def test_a_file_that_is_not_a_package_is_refused(box, tmp_path):
    """A stray file: one plain line, nothing changed?"""
    stray = tmp_path / "photo.jpg"
    stray.write_bytes(b"\xff\xd8")
    result = box("box", "upgrade", stray)
    assert result.returncode != 0 and "n'est pas un paquet" in result.stderr
    assert installed_version(box) == VERSION and not (tmp_path / "instance/upgrades").exists()
