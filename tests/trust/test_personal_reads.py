"""Reads of personal records: a tablet or volunteer sees only households with open épicerie access
(or the one whose card was scanned), and every read of a record by a person or device is audited."""

from datetime import timedelta

from kiosk.models import AuditEvent, DeviceKind, Role
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day


def audit_entities():
    return [(e.action, e.entity, e.entity_id) for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


def test_a_tablet_cannot_read_a_household_without_open_access(app, make_device, make_participant):
    """Does /api/households/ID answer 404 to a tablet for someone without épicerie access (the
    attack walked 1..N), and the record for a household with open access?"""
    outsider, _code = make_participant("Nadia", "Sans-Accès")
    client, _ = make_participant("Inès", "Mansour", epicerie_until=local_day() + timedelta(days=30))
    tablet = make_device(DeviceKind.TABLET)
    assert tablet.get(f"/api/households/{outsider.id}").status_code == 404
    assert tablet.get(f"/api/households/{client.id}").status_code == 200


def test_a_volunteer_searching_sees_only_households_with_open_access(client, auth, make_participant):
    """Does the tablet's search by name leave out people without épicerie access?"""
    make_participant("Nadia", "Martin")
    make_participant("Inès", "Martin", epicerie_until=local_day() + timedelta(days=30))
    auth.login(Role.VOLUNTEER)
    found = client.get("/api/households?q=martin").get_json()
    assert [row["first_name"] for row in found] == ["Inès"]


def test_a_coordinator_still_reads_every_household(client, auth, make_participant):
    """Does a coordinator still reach a household without access (to open it)?"""
    outsider, _code = make_participant("Nadia", "Sans-Accès")
    auth.login(Role.COORDINATOR)
    assert client.get(f"/api/households/{outsider.id}").status_code == 200


def test_the_scanned_card_shows_its_household_even_without_access(app, make_device, make_participant):
    """Does a scanned card still show its household (to say "no access"), and is that read audited?"""
    outsider, code = make_participant("Nadia", "Sans-Accès")
    tablet = make_device(DeviceKind.TABLET)
    tablet.get("/tablet")
    csrf = tablet.get("/tablet").get_data(as_text=True).split('name="csrf-token" content="')[1].split('"')[0]
    response = tablet.post("/api/households/lookup", json={"code": code}, headers={"X-CSRFToken": csrf})
    assert response.status_code == 200
    assert ("view", "household", outsider.id) in audit_entities()


def test_reads_by_tablets_and_hosts_are_audited(client, auth, make_device, make_participant):
    """Are a household read by a tablet, and a name search at the host desk and on the tablet, in the
    audit trail (a search as one grouped entry)?"""
    household, _code = make_participant("Inès", "Mansour", epicerie_until=local_day() + timedelta(days=30))
    tablet = make_device(DeviceKind.TABLET)
    tablet.get(f"/api/households/{household.id}")
    auth.login(Role.VOLUNTEER)
    client.get("/accueil?q=mansour")
    client.get("/api/households?q=mansour")
    events = audit_entities()
    assert ("view", "household", household.id) in events
    assert ("search", "participant", None) in events
    assert ("search", "household", None) in events


def test_a_tablet_still_sees_a_household_whose_access_ended_lately(app, make_device, make_participant):
    """Does a household whose access ended last month still show (to say "see the coordination"),
    and one whose access ended a year ago not?"""
    from kiosk.models import EpicerieAccess

    lately, _ = make_participant("Loïc", "Moreau")
    long_ago, _ = make_participant("Anne", "Moreau")
    db.session.add_all([
        EpicerieAccess(participant=lately, starts_on=local_day() - timedelta(days=60), ends_on=local_day() - timedelta(days=20)),
        EpicerieAccess(participant=long_ago, starts_on=local_day() - timedelta(days=500), ends_on=local_day() - timedelta(days=365)),
    ])
    db.session.commit()
    tablet = make_device(DeviceKind.TABLET)
    assert tablet.get(f"/api/households/{lately.id}").status_code == 200
    assert tablet.get(f"/api/households/{long_ago.id}").status_code == 404
