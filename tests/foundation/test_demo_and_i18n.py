"""The demo centre, and the English catalogue kept in step with the French text."""

import subprocess
import sys
from pathlib import Path

from kiosk.demo import DemoRefused, load_demo
from kiosk.platform.extensions import db
from kiosk.models import Basket, CheckIn, Participant, Referrer, Registration, WorkshopDay
from kiosk.platform.timezone import local_day

ROOT = Path(__file__).resolve().parents[2]


def test_demo_looks_like_a_real_centre(app):
    """Does the demo hold about 40 people, 3 referrers from 2 structures, 12 past Thursdays with activity,
    and a planned term ahead with registrations, one Thursday cancelled?"""
    load_demo()
    db.session.commit()
    count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
    assert count(Participant) == 40
    referrers = db.session.scalars(db.select(Referrer)).all()
    assert len(referrers) == 3 and len({r.structure for r in referrers}) == 2
    days = db.session.scalars(db.select(WorkshopDay.day).where(WorkshopDay.day < local_day())).all()
    assert len(days) == 12 and all(day.weekday() == 3 for day in days)
    ahead = db.session.scalars(db.select(WorkshopDay).where(WorkshopDay.day >= local_day())).all()
    assert len(ahead) == 10 and all(row.planned and row.activity for row in ahead)
    assert sum(row.cancelled_at is not None for row in ahead) == 1
    assert count(Registration) > 20 and any(r.waiting for r in ahead[0].registrations)
    assert count(CheckIn) > 100 and count(Basket) > 50


def test_demo_refuses_a_database_with_data(app, make_participant):
    """Does the demo refuse to mix with real records?"""
    make_participant()
    try:
        load_demo()
    except DemoRefused:
        return
    raise AssertionError("the demo loaded into a database that had a participant")


def test_every_french_text_has_an_english_translation(tmp_path):
    """Does every translatable text of the code and templates have an English translation?"""
    from babel.messages.pofile import read_po

    pot = tmp_path / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).with_name("pybabel")), "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "-o", str(pot), "--no-location", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with open(pot, "rb") as handle:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    with open(ROOT / "kiosk/translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        catalogue = {
            (m.id if isinstance(m.id, str) else m.id[0]): m.string
            for m in read_po(handle, locale="en") if m.id
        }
    missing = sorted(text for text in extracted if not catalogue.get(text))
    assert missing == [], f"{len(missing)} texts without English: {missing[:20]}"
