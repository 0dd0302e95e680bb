"""Issue 20: the network's yearly figures count each site's workshop days (found by the bench: 200
sites' Thursdays counted as 52 days, an average attendance of 200 centres' people per workshop)."""

from kiosk.checkin.services import check_in_by_host
from kiosk.people.services import add_participant
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from kiosk.programme.services import find_or_create_activity, plan_session
from kiosk.reports.figures import year_figures
from kiosk.sites.scope import every_site, scoped_to
from kiosk.sites.services import add_site


def test_two_sites_workshops_on_the_same_day_are_two_workshop_days_of_the_network(app):
    other = add_site("Centre Nord")
    db.session.commit()
    for site, people in ((1, ("Amelie", "Bruno")), (other.id, ("Cleo", "Dora"))):
        with scoped_to(site):
            plan_session(local_day(), find_or_create_activity("Atelier"), None)
            for first in people:
                check_in_by_host(add_participant(first, "Test").id, None)
    db.session.commit()
    year = local_day().year
    with every_site():
        network = year_figures(year)
    with scoped_to(other.id):
        one = year_figures(year)
    assert (network.workshop_days, network.checkins, network.average_attendance) == (2, 4, 2)
    assert (one.workshop_days, one.checkins, one.average_attendance) == (1, 2, 2)
