"""`kiosk participant add` and `kiosk card issue` keep their contract."""

from datetime import timedelta

from kiosk.platform.extensions import db
from kiosk.models import Card, EpicerieAccess, Participant
from kiosk.cards.codes import code_digest
from kiosk.platform.timezone import local_day


def test_participant_add_prints_id_and_code(cli):
    """Does `participant add` create the person with a working card and épicerie access, last line {"id", "code"}?"""
    until = local_day() + timedelta(days=30)
    status, output, payload = cli("participant", "add", "--first-name", "Awa", "--last-name", "Traoré",
                                  "--referrer", "Mme Briand", "--epicerie-until", until.isoformat())
    assert status == 0, output
    assert set(payload) == {"id", "code"}
    participant = db.session.get(Participant, payload["id"])
    assert participant.first_name == "Awa" and participant.referrer.name == "Mme Briand" and participant.is_active
    card = db.session.scalar(db.select(Card).where(Card.code_digest == code_digest(payload["code"])))
    assert card.participant_id == participant.id and card.revoked_at is None
    access = db.session.scalar(db.select(EpicerieAccess))
    assert (access.starts_on, access.ends_on) == (local_day(), until)


def test_card_issue_replaces_the_working_card(cli):
    """Does `card issue` give a new code and revoke the previous card?"""
    _status, _output, added = cli("participant", "add", "--first-name", "Awa", "--last-name", "Traoré")
    status, output, issued = cli("card", "issue", added["id"])
    assert status == 0, output
    assert issued["id"] == added["id"] and issued["code"] != added["code"]
    old = db.session.scalar(db.select(Card).where(Card.code_digest == code_digest(added["code"])))
    assert old.revoked_at is not None


def test_bad_input_is_one_line_on_stderr(run_kiosk):
    """Do an unknown participant and an empty name give one line on stderr and a non-zero exit?"""
    for args in (("card", "issue", "4242"), ("participant", "add", "--first-name", " ", "--last-name", "X")):
        result = run_kiosk(*args)
        assert result.returncode != 0
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0
