"""The box's memory: the PDF and spreadsheet libraries load when a document is made, not with the app,
and the certificate machinery (cryptography's x509) when a certificate is made.

Each gunicorn process would otherwise carry reportlab and openpyxl (about 10 MB) from the start, and
`make bench`'s `rss_mb` (< 150) rose past its target the day two views imported them at the top.
x509 (about 8 MB) came with the app through the enrolment links' address lookup.
"""

import os
import subprocess
import sys

HEAVY = ("reportlab", "openpyxl", "cryptography.x509")


def test_the_app_starts_without_the_document_libraries(tmp_path):
    probe = (
        "import sys\n"
        "from kiosk import create_app\n"
        f"create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/box.db', 'TESTING': True}})\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "KIOSK_INSTANCE_PATH": str(tmp_path)}
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    assert loaded.stdout.strip().splitlines()[-1:] in ([], [""]), loaded.stdout
