"""The coordinator's participants screens: who may see them, the list, adding, editing, periods, import."""

import io
from datetime import date, timedelta

import pytest

from kiosk.platform.extensions import db
from kiosk.models import AuditEvent, Card, EpicerieAccess, Participant, ProgrammePeriod, Role
from kiosk.people.services import record_exit
from kiosk.platform.timezone import local_day
from tests.people.conftest import SAMPLE

PAGES = ["/participants", "/participants/new", "/participants/{id}", "/participants/{id}/edit",
         "/participants/{id}/card/replace", "/participants/import", "/participants/export.csv"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_need_a_coordinator(client, auth, make_participant, url):
    """Is every participants page sent to the login without a login, and refused to volunteers and referents?"""
    participant, _code = make_participant()
    url = url.format(id=participant.id)
    response = client.get(url)
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
    auth.login(Role.VOLUNTEER)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(Role.REFERENT)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(Role.COORDINATOR)
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", ["/participants/{id}/card/replace", "/participants/{id}/exit",
                                 "/participants/cards/print", "/participants/import/confirm"])
def test_posts_refused_to_volunteers(client, auth, make_participant, url):
    """Are the participants actions refused to a volunteer (403), nothing changed?"""
    participant, _code = make_participant()
    auth.login(Role.VOLUNTEER)
    assert client.post(url.format(id=participant.id), data={"left_on": "2026-01-01", "reason": "work"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Card.id))) == 1
    assert participant.is_active


@pytest.fixture
def centre(make_participant):
    """A few people: two referrers, one who left."""
    make_participant("Maëlle", "Le Goff", referrer_name="Mme Briand")
    make_participant("Jean-Éric", "Kouassi", referrer_name="Mme Briand")
    make_participant("Noëlle", "Hervé", referrer_name="M. Texier")
    left, _code = make_participant("Fatima", "Benali", referrer_name="M. Texier")
    record_exit(left, local_day(), "moved")
    db.session.commit()


def names_in(html: str) -> list[str]:
    import re

    return re.findall(r'<span class="last-name">([^<]+)</span>', html)


def test_list_filters(client, auth, centre):
    """Does the list show people in the programme by default, and filter by left, everyone, referrer and name?"""
    auth.login(Role.COORDINATOR)
    assert names_in(client.get("/participants").get_data(as_text=True)) == ["Hervé", "Kouassi", "Le Goff"]
    assert names_in(client.get("/participants?status=left").get_data(as_text=True)) == ["Benali"]
    assert len(names_in(client.get("/participants?status=all").get_data(as_text=True))) == 4
    texier = db.session.scalar(db.select(Participant).where(Participant.last_name == "Hervé")).referrer_id
    assert names_in(client.get(f"/participants?status=all&referrer={texier}").get_data(as_text=True)) == ["Benali", "Hervé"]
    assert names_in(client.get("/participants?q=JEAN eric").get_data(as_text=True)) == ["Kouassi"]
    assert names_in(client.get("/participants?q=noelle").get_data(as_text=True)) == ["Hervé"]


def test_list_fragment_for_live_search(client, auth, centre):
    """Does the live search get only the results (no page around them), with the count to announce?"""
    auth.login(Role.COORDINATOR)
    html = client.get("/participants?q=mael&fragment=1").get_data(as_text=True)
    assert "<html" not in html and names_in(html) == ["Le Goff"]
    assert 'data-summary="1 participant"' in html


@pytest.mark.parametrize("query", ["?status=nimporte", "?referrer=abc", "?page=-3", "?page=99999999999", "?q=%25_%5C",
                                   "?referrer=99999"])
def test_list_ignores_malformed_filters(client, auth, centre, query):
    """Does a malformed filter in the address give a normal page, never an error?"""
    auth.login(Role.COORDINATOR)
    assert client.get("/participants" + query).status_code == 200


def test_list_pages_through_a_few_thousand(client, auth, app):
    """With 3,000 people, does the list show 50 at a time, and does a search find the one?"""
    from kiosk.people.services import add_participant

    for n in range(3000):
        add_participant(f"Prénom{n:04d}", f"Nom{n:04d}")
    db.session.commit()
    auth.login(Role.COORDINATOR)
    html = client.get("/participants").get_data(as_text=True)
    assert len(names_in(html)) == 50 and "3000 participants" in html and "Page 1 sur 60" in html
    html = client.get("/participants?page=60").get_data(as_text=True)
    assert names_in(html)[-1] == "Nom2999"
    assert names_in(client.get("/participants?q=prenom1234").get_data(as_text=True)) == ["Nom1234"]


def new_person(**changes):
    data = {"first_name": "Inès", "last_name": "Mansour", "phone": "06 01 02 03 04", "household_size": "2",
            "referrer_name": "Mme Briand", "structure": "CDAS Rennes Sud", "entered_on": local_day().isoformat(),
            "epicerie_until": (local_day() + timedelta(days=90)).isoformat()}
    data.update(changes)
    return data


def test_add_participant(client, auth):
    """Does the add form create the person, their open period, their épicerie access and a working card?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/participants/new", data=new_person())
    assert response.status_code == 303
    ines = db.session.scalar(db.select(Participant))
    assert response.headers["Location"].endswith(f"/participants/{ines.id}")
    assert (ines.first_name, ines.household_size, ines.referrer.structure) == ("Inès", 2, "CDAS Rennes Sud")
    assert ines.is_active and ines.open_period.entered_on == local_day()
    assert len([card for card in ines.cards if card.revoked_at is None]) == 1
    assert db.session.scalar(db.select(EpicerieAccess.ends_on)) == local_day() + timedelta(days=90)
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "create"))
    assert event.entity_id == ines.id and event.details is None


@pytest.mark.parametrize("changes, field", [
    ({"first_name": "  "}, "first_name"),
    ({"last_name": ""}, "last_name"),
    ({"household_size": "0"}, "household_size"),
    ({"household_size": "trois"}, "household_size"),
    ({"entered_on": "2026-02-30"}, "entered_on"),
    ({"epicerie_until": "YESTERDAY"}, "epicerie_until"),
    ({"first_name": "x" * 81}, "first_name"),
])
def test_add_refuses_bad_input(client, auth, changes, field):
    """Is bad input refused next to its field (422), in French, with nothing stored?"""
    auth.login(Role.COORDINATOR)
    if changes.get("epicerie_until") == "YESTERDAY":
        changes = {"epicerie_until": (local_day() - timedelta(days=1)).isoformat()}
    response = client.post("/participants/new", data=new_person(**changes))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0


def test_add_warns_about_the_same_person(client, auth, make_participant):
    """Adding someone already recorded (same names and referrer): warned first, created only once confirmed?"""
    existing, _code = make_participant("Inès", "Mansour", referrer_name="Mme Briand")
    auth.login(Role.COORDINATOR)
    response = client.post("/participants/new", data=new_person(first_name="ines", last_name="MANSOUR"))
    assert response.status_code == 422
    assert f"/participants/{existing.id}" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 1
    response = client.post("/participants/new", data=new_person(same_person_checked="y"))
    assert response.status_code == 303
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 2


def test_edit_participant_audits_field_names_only(client, auth, make_participant):
    """Does editing change the record and audit which fields changed, never their values?"""
    participant, _code = make_participant("Awa", "Traoré", referrer_name="Mme Briand", phone="06 00 00 00 01")
    auth.login(Role.COORDINATOR)
    page = client.get(f"/participants/{participant.id}/edit").get_data(as_text=True)
    assert 'value="Mme Briand"' in page
    response = client.post(f"/participants/{participant.id}/edit", data={
        "first_name": "Awa", "last_name": "Traoré", "phone": "07 99 99 99 99", "household_size": "4",
        "referrer_name": "M. Texier", "structure": "CCAS Vern"})
    assert response.status_code == 303
    db.session.expire_all()
    assert (participant.phone, participant.household_size, participant.referrer.name) == ("+33799999999", 4, "M. Texier")
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "update"))
    assert sorted(event.details["fields"]) == ["household_size", "phone", "referrer", "structure"]
    assert "07 99" not in str(event.details) and "Texier" not in str(event.details)


def test_viewing_a_record_is_audited(client, auth, make_participant):
    """Is opening a participant's page recorded (who, which record), without personal values?"""
    participant, _code = make_participant()
    user = auth.login(Role.COORDINATOR)
    assert client.get(f"/participants/{participant.id}").status_code == 200
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "view"))
    assert (event.user_id, event.entity, event.entity_id, event.details) == (user.id, "participant", participant.id, None)


def test_unknown_participant_is_404(client, auth):
    """Does an unknown participant number give a 404 page, not an error?"""
    auth.login(Role.COORDINATOR)
    assert client.get("/participants/424242").status_code == 404
    assert client.get("/participants/424242/card.svg").status_code == 404
    assert client.post("/participants/424242/card/replace").status_code == 404


def test_exit_then_return_keeps_history(client, auth, make_participant):
    """Leaving closes the period with its reason; coming back opens a new one, the old one untouched?"""
    participant, _code = make_participant(entered_on=local_day() - timedelta(days=30))
    auth.login(Role.COORDINATOR)
    left_on = local_day() - timedelta(days=10)
    response = client.post(f"/participants/{participant.id}/exit", data={"left_on": left_on.isoformat(), "reason": "training"})
    assert response.status_code == 303
    response = client.post(f"/participants/{participant.id}/return", data={"entered_on": local_day().isoformat()})
    assert response.status_code == 303
    periods = db.session.scalars(db.select(ProgrammePeriod).order_by(ProgrammePeriod.entered_on)).all()
    assert [(p.left_on, p.exit_reason) for p in periods] == [(left_on, "training"), (None, None)]
    page = client.get(f"/participants/{participant.id}").get_data(as_text=True)
    assert "Formation" in page


@pytest.mark.parametrize("left_on, reason", [
    (date(2000, 1, 1), "work"),                                  # before entering
    ("IN_TWO_DAYS", "work"),                                     # in the future
    (None, "work"),                                              # no date
    ("today", "work"),                                           # not a date
    ("TODAY", "holidays"),                                       # not a reason
])
def test_exit_refuses_bad_input(client, auth, make_participant, left_on, reason):
    """Is an impossible departure refused (422) with the period left open?"""
    participant, _code = make_participant()
    auth.login(Role.COORDINATOR)
    left_on = {"TODAY": local_day(), "IN_TWO_DAYS": local_day() + timedelta(days=2)}.get(left_on, left_on)
    data = {"reason": reason} | ({"left_on": str(left_on)} if left_on else {})  # str(date) is ISO
    assert client.post(f"/participants/{participant.id}/exit", data=data).status_code == 422
    db.session.expire_all()
    assert participant.is_active


def test_return_refused_while_in_programme_or_before_leaving(client, auth, make_participant):
    """Is a return refused for someone still in the programme, or dated before their departure?"""
    participant, _code = make_participant(entered_on=local_day() - timedelta(days=30))
    auth.login(Role.COORDINATOR)
    assert client.post(f"/participants/{participant.id}/return", data={"entered_on": local_day().isoformat()}).status_code == 422
    record_exit(participant, local_day() - timedelta(days=5), "other")
    db.session.commit()
    before = (local_day() - timedelta(days=6)).isoformat()
    assert client.post(f"/participants/{participant.id}/return", data={"entered_on": before}).status_code == 422
    assert db.session.scalar(db.select(db.func.count(ProgrammePeriod.id))) == 1


def test_open_epicerie_access(client, auth, make_participant):
    """Does the épicerie form open an access from today until the day chosen, and refuse a past day?"""
    participant, _code = make_participant()
    auth.login(Role.COORDINATOR)
    past = (local_day() - timedelta(days=1)).isoformat()
    assert client.post(f"/participants/{participant.id}/epicerie", data={"until": past}).status_code == 422
    until = local_day() + timedelta(days=60)
    assert client.post(f"/participants/{participant.id}/epicerie", data={"until": until.isoformat()}).status_code == 303
    access = db.session.scalar(db.select(EpicerieAccess))
    assert (access.starts_on, access.ends_on) == (local_day(), until)


def test_import_page_previews_then_confirms(client, auth):
    """Does the import page show what will happen (nothing stored), then import on confirmation?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/participants/import", data={"file": (io.BytesIO(SAMPLE.read_bytes()), "liste.csv")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "31/09/2026" in html and "Importer les 4 personnes" in html
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0
    import re

    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/participants/import/confirm", data={"token": token})
    assert response.status_code == 303
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 4
    # the kept file is gone: confirming twice does not import twice
    response = client.post("/participants/import/confirm", data={"token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith("/participants/import")
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 4


@pytest.mark.parametrize("token", ["", "../../etc/passwd", "a" * 30, "x" * 500])
def test_import_confirm_with_a_bad_token(client, auth, token):
    """Is a confirmation with a missing, forged or unknown token sent back to the upload, nothing stored?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/participants/import/confirm", data={"token": token})
    assert response.status_code == 303
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0


def test_import_page_refuses_a_bad_file(client, auth):
    """Is a file that is no participants table refused on the page with a French message?"""
    auth.login(Role.COORDINATOR)
    response = client.post("/participants/import", data={"file": (io.BytesIO(b"a;b\n1;2\n"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "introuvables" in response.get_data(as_text=True)
    response = client.post("/participants/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choisissez un fichier" in response.get_data(as_text=True)


def test_pages_in_english(client, auth, make_participant):
    """Does every participants page render with the English switch on (no error in the translated strings)?"""
    participant, _code = make_participant()
    auth.login(Role.COORDINATOR)
    client.post("/langue/en", data={"next": "/participants"})
    for url in PAGES:
        response = client.get(url.format(id=participant.id))
        assert response.status_code == 200, url
    assert '<html lang="en">' in client.get("/participants").get_data(as_text=True)
