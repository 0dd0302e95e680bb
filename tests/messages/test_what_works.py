"""What works, measured: for each channel and ladder step, how many of the people reached came back to
a workshop within two weeks. The figures asserted are counted by hand from the data each test makes."""

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from kiosk.messages.queries import what_works
from kiosk.models import Channel, LadderStep, MessageStatus, OutboxMessage, Role, Step
from kiosk.platform.extensions import db
from kiosk.platform.timezone import local_day
from tests.conftest import TEST_PASSWORD

PARIS = ZoneInfo("Europe/Paris")


def moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), PARIS).astimezone(timezone.utc)


def sent(participant, step, channel, day, status=MessageStatus.SENT):
    db.session.add(OutboxMessage(participant_id=participant.id, step=step, channel=channel,
                                 dedup_key=f"{step}:{day}:{channel}", idempotency_key=f"k{participant.id}{step}{day}{channel}"[:40],
                                 text="", status=status, attempts=1, sent_at=moment(day) if status == MessageStatus.SENT else None))
    db.session.commit()


def reached(participant, step, day):
    db.session.add(LadderStep(participant_id=participant.id, episode=day - timedelta(days=30), step=step, missed=3,
                              reached_at=moment(day)))
    db.session.commit()


def story(person, came, base: date) -> dict:
    """The same story from any starting day `base` (a workshop day): who was reached, who came back when.

    we_miss_you by SMS on base+1 to A, B, C, D: A comes base+7 (back), C base+14 at 14:05 (13 days
    and 4 hours later: back), B base+21 (20 days: not back), D only the day before (not back).
    A letter to E on base+8, E comes base+14: back. The day-before reminder to A on base+6: A comes
    base+7: back. A call for B and F on base+8: B comes base+21 (13 days later: back), F never.
    The referent alerted about F on base+15: not back. Not counted: a failed SMS to H, a test SMS."""
    names = "ABCDEFH"
    people = {name: person(f"P{name}", "Nom", referrer_name="Mme Briand" if name in "AB" else None, consent=None)
              for name in names}
    A, B, C, D, E, F, H = (people[name] for name in names)
    for who in (A, B, C, D):
        sent(who, Step.WE_MISS_YOU, Channel.SMS, base + timedelta(days=1))
    sent(H, Step.WE_MISS_YOU, Channel.SMS, base + timedelta(days=1), status=MessageStatus.FAILED)
    sent(E, Step.LETTER, Channel.LETTER, base + timedelta(days=8))
    sent(A, Step.REMINDER, Channel.SMS, base + timedelta(days=6))
    sent(A, Step.TEST, Channel.SMS, base + timedelta(days=6))
    reached(B, Step.CALL, base + timedelta(days=8))
    reached(F, Step.CALL, base + timedelta(days=8))
    reached(F, Step.REFERENT, base + timedelta(days=15))
    came(base, D)
    came(base + timedelta(days=7), A)
    came(base + timedelta(days=14), C, E)
    came(base + timedelta(days=21), B)
    return people


def figures(rows) -> dict:
    return {(row.step, row.channel): (row.people, row.came_back) for row in rows}


def test_what_works_counts_who_came_back_within_two_weeks(app, person, came):
    """Are the people reached and those back within two weeks counted per step and channel, as by hand?"""
    base = date(2026, 10, 1)  # a Thursday
    people = story(person, came, base)
    rows = what_works(date(2026, 10, 1), date(2026, 10, 31))
    assert figures(rows) == {
        (Step.REMINDER, "sms"): (1, 1),
        (Step.WE_MISS_YOU, "sms"): (4, 2),
        (Step.CALL, "team"): (2, 1),
        (Step.REFERENT, "team"): (1, 0),
        (Step.LETTER, "letter"): (1, 1),
    }
    we_miss_you = next(row for row in rows if row.step == Step.WE_MISS_YOU)
    assert we_miss_you.percent == 50
    # Only the steps reached in the period: from 9 October, the SMS of the 2nd are left out.
    assert (Step.WE_MISS_YOU, "sms") not in figures(what_works(date(2026, 10, 9), date(2026, 10, 31)))
    # A referrer's own people only (A and B).
    assert figures(what_works(date(2026, 10, 1), date(2026, 10, 31), referrer_id=people["A"].referrer_id)) == {
        (Step.REMINDER, "sms"): (1, 1),
        (Step.WE_MISS_YOU, "sms"): (2, 1),
        (Step.CALL, "team"): (1, 1),
    }


def test_dashboard_report_and_referent_show_what_works(app, client, auth, person, came, make_user):
    """Is the chart (an SVG with its name) and its table on the trends page, the yearly report and the
    referent's view, with the hand-counted figures (the referent's for their own people only)?"""
    today = local_day()
    base = today - timedelta(days=70)
    while (base + timedelta(days=22)).year != base.year:  # the whole story in one calendar year
        base -= timedelta(days=10)
    story(person, came, base)
    auth.login()
    for url in ("/dashboard/tendances", f"/dashboard/bilan?annee={base.year}"):
        page = client.get(url).get_data(as_text=True)
        assert 'id="works-chart"' in page and 'role="img"' in page, url
        row = re.search(r'<tr data-step="we_miss_you" data-channel="sms">(.*?)</tr>', page).group(1)
        assert re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row) == ["« On vous attend » · SMS", "4", "2", "50 %"], url
        assert "1 sur 2 personnes revenues dans les deux semaines" in page
    client.post("/logout")
    referent = make_user(Role.REFERENT, referrer_name="Mme Briand")
    client.post("/login", data={"username": referent.username, "password": TEST_PASSWORD})
    page = client.get("/referent").get_data(as_text=True)
    row = re.search(r'<tr data-step="we_miss_you" data-channel="sms">(.*?)</tr>', page).group(1)
    assert re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row) == ["« On vous attend » · SMS", "2", "1", "50 %"]
    assert 'data-step="referent"' not in page and 'data-step="letter"' not in page


def test_the_yearly_pdf_has_what_works(app, client, auth, person, came):
    """Does the year's PDF carry the relance's results, with the hand-counted figures of the story?"""
    from io import BytesIO

    from pypdf import PdfReader

    today = local_day()
    base = today - timedelta(days=70)
    while (base + timedelta(days=22)).year != base.year:
        base -= timedelta(days=10)
    story(person, came, base)
    auth.login()
    response = client.get(f"/dashboard/bilan.pdf?annee={base.year}")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    text = " ".join(text.split())
    assert f"Ce qui fait revenir ({base.year})" in text
    assert "« On vous attend » · SMS 4 2 50 %" in text
