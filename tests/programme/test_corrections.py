"""Taking back a presence recorded by mistake: who may, with a reason, audited, figures follow."""

from kiosk.models import AuditEvent, CheckIn, Role
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.dashboard.queries import day_summary


def host_checkin(client, participant) -> CheckIn:
    assert client.post(f"/accueil/{participant.id}/present").status_code == 303
    return db.session.scalars(db.select(CheckIn).where(CheckIn.participant_id == participant.id)).one()


def test_the_volunteer_who_tapped_the_wrong_name_removes_it_that_day(client, auth, make_participant, workshop_today):
    """Can the volunteer who recorded a presence remove it the same day, with a reason, audited, the day's count following?"""
    volunteer = auth.login(Role.VOLUNTEER)
    wrong, _ = make_participant("Maëlle", "Le Goff")
    checkin = host_checkin(client, wrong)
    assert day_summary(local_day()).checkins == 1
    page = client.post(f"/programme/presences/{checkin.id}/retirer", data={})
    assert page.status_code == 422  # no reason: nothing removed
    done = client.post(f"/programme/presences/{checkin.id}/retirer", data={"reason": "wrong_person"})
    assert done.status_code == 303
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 0
    assert day_summary(local_day()).checkins == 0
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "checkin.remove")).one()
    assert event.user_id == volunteer.id and event.details["reason"] == "wrong_person"


def test_another_volunteer_may_not_remove_it(client, auth, make_participant, make_user, workshop_today):
    """Is another volunteer refused (403), the presence kept?"""
    auth.login(Role.VOLUNTEER)
    person, _ = make_participant("Fatima")
    checkin = host_checkin(client, person)
    auth.logout()
    auth.login(Role.VOLUNTEER)
    assert client.post(f"/programme/presences/{checkin.id}/retirer", data={"reason": "test"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 1
