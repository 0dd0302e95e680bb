"""The absence ladder on a fixed clock: SMS after 2 missed in a row, the call after 3, the referent
after 5, a letter after 6, handed back after 8; a new visit starts again."""

from datetime import date, timedelta

from kiosk.dashboard.followup import absent_participants
from kiosk.messages.sender import send_due
from kiosk.models import Channel, LadderStep, MessageStatus, OutboxMessage, Registration, Step, WorkshopDay
from kiosk.platform.extensions import db
from tests.messages.conftest import at

THURSDAYS = [date(2026, 10, 1) + timedelta(weeks=n) for n in range(12)]


def steps_of(participant):
    return [row.step for row in db.session.scalars(
        db.select(LadderStep).where(LadderStep.participant_id == participant.id).order_by(LadderStep.id))]


def friday_after(day):
    return at(f"{(day + timedelta(days=1)).isoformat()} 10:00")


def test_ladder_steps_in_order(app, phone, person, came):
    """Does each rung come once, at its count of workshops missed in a row, with its message?"""
    fatima, regular = person(), person("Marc", "Petit", consent=False)
    came(THURSDAYS[0], fatima, regular)
    came(THURSDAYS[1], regular)
    send_due(friday_after(THURSDAYS[1]))
    assert steps_of(fatima) == []
    came(THURSDAYS[2], regular)
    result = send_due(friday_after(THURSDAYS[2]))
    assert steps_of(fatima) == [Step.WE_MISS_YOU]
    assert result.sms == 1 and "on vous attend" in phone.received[-1]["text"].lower()
    assert "Benali" not in phone.received[-1]["text"]
    came(THURSDAYS[3], regular)
    send_due(friday_after(THURSDAYS[3]))
    assert steps_of(fatima) == [Step.WE_MISS_YOU, Step.CALL]
    assert [p.id for p in absent_participants(THURSDAYS[3], 3)] == [fatima.id]  # the call-back list
    for day in THURSDAYS[4:6]:
        came(day, regular)
        send_due(friday_after(day))
    assert steps_of(fatima)[-1] == Step.REFERENT
    came(THURSDAYS[6], regular)
    result = send_due(friday_after(THURSDAYS[6]))
    assert steps_of(fatima)[-1] == Step.LETTER and result.letters == 1
    for day in THURSDAYS[7:9]:
        came(day, regular)
        send_due(friday_after(day))
    assert steps_of(fatima)[-1] == Step.HANDED_BACK
    came(THURSDAYS[9], regular)
    send_due(friday_after(THURSDAYS[9]))
    assert len(steps_of(fatima)) == 5  # the ladder has ended
    assert steps_of(regular) == []
    assert len([m for m in phone.received if m["text"].startswith("Bonjour Fatima, on ne")]) == 1


def test_coming_back_starts_a_new_episode(app, phone, person, came):
    """After a visit, the ladder starts again from the bottom."""
    fatima, regular = person(), person("Marc", "Petit", consent=False)
    came(THURSDAYS[0], fatima, regular)
    came(THURSDAYS[1], regular)
    came(THURSDAYS[2], regular)
    send_due(friday_after(THURSDAYS[2]))
    came(THURSDAYS[3], fatima, regular)
    came(THURSDAYS[4], regular)
    came(THURSDAYS[5], regular)
    send_due(friday_after(THURSDAYS[5]))
    episodes = db.session.scalars(db.select(LadderStep.episode).where(LadderStep.step == Step.WE_MISS_YOU)).all()
    assert episodes == [THURSDAYS[0], THURSDAYS[3]]


def test_registered_no_show_is_the_first_signal(app, phone, person, came):
    """A person registered to a workshop who did not come: a step on their log after that one miss."""
    fatima, regular = person(), person("Marc", "Petit", consent=False)
    came(THURSDAYS[0], fatima, regular)
    row = came(THURSDAYS[1], regular)
    db.session.add(Registration(workshop_day_id=row.id, participant_id=fatima.id, waiting=False))
    db.session.commit()
    send_due(friday_after(THURSDAYS[1]))
    assert steps_of(fatima) == [Step.NO_SHOW]


def test_cancelled_day_is_not_missed(app, phone, person, came):
    """A cancelled workshop does not count as missed."""
    fatima, regular = person(), person("Marc", "Petit", consent=False)
    came(THURSDAYS[0], fatima, regular)
    came(THURSDAYS[1], regular)
    row = came(THURSDAYS[2], regular)
    row.cancelled_at = at("2026-10-15 08:00")
    db.session.commit()
    send_due(friday_after(THURSDAYS[2]))
    assert steps_of(fatima) == []


def test_letter_for_a_person_who_prefers_paper(app, phone, person, came):
    """A person who prefers letters gets no SMS: a letter instead of the "we miss you" SMS, and one at the
    letter's rung."""
    fatima = person(consent=False, channel="letter")
    regular = person("Marc", "Petit", consent=False)
    came(THURSDAYS[0], fatima, regular)
    for day in THURSDAYS[1:7]:
        came(day, regular)
    assert send_due(friday_after(THURSDAYS[2])).letters == 1
    result = send_due(friday_after(THURSDAYS[6]))
    assert result.letters == 1 and phone.received == []
    letters = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.channel == Channel.LETTER)
                                 .order_by(OutboxMessage.id)).all()
    assert [letter.step for letter in letters] == [Step.WE_MISS_YOU, Step.LETTER]
    assert all(letter.status == MessageStatus.SENT and letter.participant_id == fatima.id for letter in letters)


def test_referent_alerted_in_their_own_view(app, phone, person, came, client, make_user):
    """After 5 missed in a row, does the person show as alerted on their referent's page?"""
    from kiosk.models import Role
    from tests.conftest import TEST_PASSWORD

    fatima = person(referrer_name="Mme Briand")
    regular = person("Marc", "Petit", consent=False)
    came(THURSDAYS[0], fatima, regular)
    for day in THURSDAYS[1:6]:
        came(day, regular)
    referent = make_user(Role.REFERENT, referrer_name="Mme Briand")
    client.post("/login", data={"username": referent.username, "password": TEST_PASSWORD})
    assert "Ne vient plus" not in client.get("/referent").get_data(as_text=True)
    send_due(friday_after(THURSDAYS[5]))
    assert "Ne vient plus" in client.get("/referent").get_data(as_text=True)
