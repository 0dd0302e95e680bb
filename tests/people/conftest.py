"""Helpers for the people, cards and imports tests: the real `kiosk` command on the test database, zbar decoding."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.platform.extensions import db

KIOSK_BIN = Path(sys.executable).with_name("kiosk")
SAMPLE = Path("/work/shared/samples/participants_excel_fr.csv")
if not SAMPLE.exists():  # the repository's own copy, when the shared folder is not mounted
    SAMPLE = Path(__file__).parents[1] / "imports" / "data" / "participants_excel_fr.csv"


@pytest.fixture
def run_kiosk(app, db_path, tmp_path):
    """Run the installed `kiosk` command against the test database, as a person would."""

    def run(*args) -> subprocess.CompletedProcess:
        db.session.commit()  # end the test's own transaction: outside a request it holds the write lock
        env = {
            **os.environ,
            "KIOSK_DATABASE_URL": f"sqlite:///{db_path}",
            "KIOSK_SECRET_KEY": "test-secret-key",
            "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"),
        }
        return subprocess.run([str(KIOSK_BIN), *map(str, args)], env=env, capture_output=True, text=True, timeout=120)

    return run


@pytest.fixture
def cli(runner):
    """Invoke a `kiosk` command in-process; returns (exit code, output, last line as JSON or None)."""

    def invoke(*args):
        result = runner.invoke(args=[str(arg) for arg in args])
        lines = result.output.strip().splitlines()
        try:
            payload = json.loads(lines[-1]) if lines else None
        except ValueError:
            payload = None
        return result.exit_code, result.output, payload

    return invoke


def decode_pdf(pdf_path: Path, tmp_path: Path) -> list[str]:
    """Every QR code text in a PDF, rendered at 150 dpi in grey and read by zbarimg (Debian)."""
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "150", "-gray", str(pdf_path), str(prefix)], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page*.pgm"))
    assert pages, "pdftoppm rendered no page"
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", *map(str, pages)],
        capture_output=True, text=True, timeout=120,
    )
    for page in pages:
        page.unlink()
    return result.stdout.split()
