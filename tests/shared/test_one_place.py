"""Helpers written once and used everywhere: stored codes' words, spreadsheet cells, downloads, caching."""

from datetime import timedelta
from pathlib import Path

import pytest

from kiosk import labels
from kiosk.dashboard import labels as dashboard_labels
from kiosk.platform.downloads import download
from kiosk.platform.extensions import db
from kiosk.models import CallChannel, CallOutcome, ExitReason, Role
from kiosk.people import forms as participant_forms
from kiosk.people.services import record_exit
from kiosk.privacy.labels import template_globals
from kiosk.platform.spreadsheets import neutralise_formula
from kiosk.platform.timezone import local_day

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"


def sources() -> dict[str, str]:
    return {str(path.relative_to(KIOSK.parent)): path.read_text("utf-8") for path in KIOSK.rglob("*.py")}


def files_containing(text: str) -> list[str]:
    return sorted(name for name, source in sources().items() if text in source)


def test_every_screen_shares_the_same_tables(app):
    """Do the participants form, the dashboard and the privacy pages use kiosk/labels.py's very tables?"""
    shared = template_globals()
    assert participant_forms.EXIT_REASONS is labels.EXIT_REASONS
    assert dashboard_labels.EXIT_REASONS is labels.EXIT_REASONS is shared["EXIT_REASONS"]
    assert dashboard_labels.CALL_CHANNELS is labels.CALL_CHANNELS is shared["CALL_CHANNELS"]
    assert dashboard_labels.CALL_OUTCOMES is labels.CALL_OUTCOMES is shared["CALL_OUTCOMES"]
    assert set(labels.EXIT_REASONS) == set(ExitReason)
    assert set(labels.CALL_CHANNELS) == set(CallChannel) and set(labels.CALL_OUTCOMES) == set(CallOutcome)


@pytest.mark.parametrize("msgid", ['_l("Ne souhaite plus venir")', '_l("Par l\'orienteur")', '_l("Message laissé")'])
def test_each_label_is_written_once(msgid):
    """Is each stored code's label written in one module only (kiosk/labels.py)?"""
    assert files_containing(msgid) == ["kiosk/labels.py"]


def test_labels_read_stored_strings_and_enums(app):
    """Does a label come out the same for the enum, the stored string, and nothing for None?"""
    assert labels.label(labels.EXIT_REASONS, ExitReason.OTHER) == labels.label(labels.EXIT_REASONS, "other")
    assert labels.label(labels.EXIT_REASONS, "other") == "Autre raison"
    assert labels.label(labels.EXIT_REASONS, None) == "" and labels.label(labels.EXIT_REASONS, "martian") == "martian"


def test_privacy_page_says_the_same_exit_reason(client, auth, make_participant):
    """Does the privacy page of someone who left "for another reason" say "Autre raison", like their record?"""
    participant, _code = make_participant(entered_on=local_day() - timedelta(days=30))
    record_exit(participant, local_day(), "other")
    db.session.commit()
    auth.login(Role.COORDINATOR)
    record = client.get(f"/participants/{participant.id}").get_data(as_text=True)
    privacy = client.get(f"/confidentialite/participants/{participant.id}").get_data(as_text=True)
    assert "Autre raison" in record and "Autre raison" in privacy


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+33 6 12", "'+33 6 12"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Mme Briand", "Mme Briand"), ("", ""), (12, 12), (None, None),
])
def test_formula_cells_made_plain_text(value, expected):
    """Is text a spreadsheet would run made plain with a leading apostrophe, anything else left alone?"""
    assert neutralise_formula(value) == expected


def test_formula_neutralising_written_once():
    """Is the list of formula starts written in kiosk/platform/spreadsheets.py only?"""
    assert files_containing("FORMULA_STARTS = ") == ["kiosk/platform/spreadsheets.py"]


def test_download_names_the_file(app):
    """Does a download carry its name (ASCII kept, quotes dropped, accents offered to browsers that read them)?"""
    plain = download(b"%PDF", "bilan-2026.pdf", "application/pdf")
    assert plain.headers["Content-Disposition"] == 'attachment; filename="bilan-2026.pdf"'
    assert plain.mimetype == "application/pdf" and plain.get_data() == b"%PDF"
    accented = download("{}", 'données "1".json', "application/json").headers["Content-Disposition"]
    assert accented == "attachment; filename=\"donn_es _1_.json\"; filename*=UTF-8''donn%C3%A9es%20%221%22.json"


def test_attachments_built_in_one_place():
    """Is the Content-Disposition header written by kiosk/platform/downloads.py only, and Cache-Control by security.py?"""
    assert files_containing('"Content-Disposition"') == ["kiosk/platform/downloads.py"]
    assert files_containing('["Cache-Control"]') == ["kiosk/platform/security.py"]
