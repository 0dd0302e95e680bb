"""The referent's view: their own participants only, by every route of the application."""

from datetime import timedelta

import pytest

from kiosk.platform.extensions import db
from kiosk.models import CallChannel, CallOutcome, ExitReason, FollowUpCall, Role
from kiosk.platform.timezone import local_day
from tests.dashboard.conftest import paris

OTHERS = ("Océane", "Le Roux", "Rachid", "Amrani", "06 99 68 96 70")


@pytest.fixture
def two_referrers(app, centre):
    """Mme Briand referred Jordan (absent 3 Thursdays, called) and Sandrine (comes) and Aminata (left);
    M. Texier referred Océane and Rachid, whom Mme Briand must never see."""
    today = local_day()
    last = today - timedelta(days=(today.weekday() - 3) % 7 or 7)
    t1, t2, t3, t4 = (last - timedelta(weeks=n) for n in (3, 2, 1, 0))
    before = t1 - timedelta(weeks=2)
    c = centre
    jordan = c.person("Jordan", "Durand", "Mme Briand", "CDAS Rennes Sud", entered=before)
    sandrine = c.person("Sandrine", "Guillou", "Mme Briand", entered=before)
    aminata = c.person("Aminata", "Diallo", "Mme Briand", entered=before, left=t2, reason=ExitReason.MOVED)
    oceane = c.person("Océane", "Le Roux", "M. Texier", "CCAS", entered=before, phone="06 99 68 96 70")
    rachid = c.person("Rachid", "Amrani", "M. Texier", entered=before)
    c.came(jordan, t1)
    for day in (t1, t2, t3, t4):
        c.came(sandrine, day)
        c.came(rachid, day)
    c.came(aminata, t1)
    c.basket(oceane, t4, 1000, 500, 50)
    db.session.add(FollowUpCall(participant=jordan, called_at=paris(t4, 10), channel=CallChannel.CALL,
                                outcome=CallOutcome.MESSAGE_LEFT, note="Répondeur"))
    db.session.add(FollowUpCall(participant=oceane, called_at=paris(t4, 11), channel=CallChannel.CALL,
                                outcome=CallOutcome.REACHED, note="Secret Océane"))
    db.session.commit()
    return locals()


def test_referent_sees_own_participants_with_presence_and_followup(client, auth, two_referrers):
    """Does Mme Briand see her three participants, their presence, last visit, and who is to call back?"""
    auth.login(Role.REFERENT, referrer_name="Mme Briand")
    response = client.get("/referent")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for name in ("Jordan Durand", "Sandrine Guillou", "Aminata Diallo"):
        assert name in html
    for other in OTHERS + ("Secret",):
        assert other not in html
    jordan = html[html.index("Jordan Durand"):html.index("</tr>", html.index("Jordan Durand"))]
    assert "À rappeler" in jordan and "Message laissé" in jordan and "1 / 4" in jordan
    sandrine = html[html.index("Sandrine Guillou"):html.index("</tr>", html.index("Sandrine Guillou"))]
    assert "4 / 4" in sandrine and "À rappeler" not in sandrine
    aminata = html[html.index("Aminata Diallo"):html.index("</tr>", html.index("Aminata Diallo"))]
    assert "Sorti·e le" in aminata and "Déménagement" in aminata


def test_referent_never_sees_call_notes_nor_who_called(client, auth, make_user, two_referrers):
    """Does the referent see that Jordan was followed up (day, outcome) but neither the note nor the caller?"""
    caller = make_user(Role.COORDINATOR, username="claire", display_name="Claire Coordinatrice")
    db.session.add(FollowUpCall(participant=two_referrers["jordan"], caller_id=caller.id, channel=CallChannel.TEXT,
                                called_at=paris(local_day(), 9), outcome=CallOutcome.WILL_COME,
                                note="Problème de logement, voir la CAF"))
    db.session.commit()
    auth.login(Role.REFERENT, referrer_name="Mme Briand")
    html = client.get("/referent").get_data(as_text=True)
    jordan = html[html.index("Jordan Durand"):html.index("</tr>", html.index("Jordan Durand"))]
    assert f"Relancé·e le {local_day().strftime('%d/%m/%Y')}" in jordan and "Va revenir" in jordan
    for hidden in ("logement", "CAF", "Claire", "claire", "Répondeur", "SMS"):
        assert hidden not in html


def test_referent_without_participants(client, auth, two_referrers):
    """Does a referent whose referrer has no participant see an empty list, and nobody else's?"""
    auth.login(Role.REFERENT, referrer_name="Mme Nouvelle")
    html = client.get("/referent").get_data(as_text=True)
    assert "Aucune personne orientée par vous" in html
    for name in ("Jordan", "Sandrine", "Océane", "Rachid"):
        assert name not in html


@pytest.mark.parametrize("url", [
    "/dashboard", "/dashboard?date=2025-06-05", "/dashboard/rappels", "/dashboard/rappels/imprimer",
    "/dashboard/rappels.pdf", "/dashboard/tendances", "/dashboard/bilan", "/dashboard/bilan.pdf",
    "/dashboard/bilan.xlsx", "/api/days/2025-06-05",
])
def test_referent_gets_403_on_coordinator_pages(client, auth, url):
    """Is every coordinator page and /api/days closed to a referent (403)?"""
    auth.login(Role.REFERENT)
    assert client.get(url).status_code == 403


def test_referent_page_is_for_referents_only(client, auth):
    """Do a coordinator and a volunteer get 403 on /referent, and a stranger the login page?"""
    assert client.get("/referent").status_code == 302
    auth.login(Role.COORDINATOR)
    assert client.get("/referent").status_code == 403
    auth.logout()
    auth.login(Role.VOLUNTEER)
    assert client.get("/referent").status_code == 403


def _fill(rule, value_for_int, text_value):
    """A URL for a rule, with every int argument set to another referrer's participant id."""
    from werkzeug.routing import AnyConverter, IntegerConverter

    values = {
        name: value_for_int if isinstance(converter, IntegerConverter)
        else sorted(converter.items)[0] if isinstance(converter, AnyConverter) else text_value
        for name, converter in rule._converters.items()
    }
    return rule.build(values, append_unknown=False)[1]


def test_referent_never_sees_another_referrers_participants_by_any_route(app, client, auth, two_referrers):
    """By every GET route of the app (ids and filters pointing at M. Texier's people), does Mme Briand never see them?"""
    auth.login(Role.REFERENT, referrer_name="Mme Briand")
    oceane, rachid = two_referrers["oceane"], two_referrers["rachid"]
    texier = oceane.referrer_id
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/enrol"):
            continue
        for target in (oceane.id, rachid.id):
            for text_value in ("2025-06-05", str(target)):
                path = _fill(rule, target, text_value)
                for query in ("", f"?referrer={texier}&referrer_id={texier}&orienteur={texier}&participant_id={target}"):
                    response = client.get(path + query, follow_redirects=True)
                    checked += 1
                    body = response.get_data()
                    textual = response.mimetype.startswith(("text/", "application/json"))
                    assert textual or response.status_code >= 400, f"{path}: {response.mimetype} given to a referent"
                    text = body.decode("utf-8", "replace")
                    for other in OTHERS + ("Secret Océane",):
                        assert other not in text, f"{path + query} shows {other!r} to another referrer's social worker"
    assert checked >= 40  # the dashboard's routes at least were all tried
