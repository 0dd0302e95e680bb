"""Demo data that looks like a real centre in Rennes: 40 people, 3 referrers, 12 past Thursdays."""

import random
from datetime import datetime, time, timedelta, timezone

from kiosk.auth.services import add_user
from kiosk.epicerie.categories import active_categories, ensure_default_categories
from kiosk.platform.extensions import db
from kiosk.models import (
    Activity,
    Basket,
    BasketLine,
    CallChannel,
    CallOutcome,
    CheckIn,
    CheckInSource,
    EpicerieAccess,
    EpicerieRules,
    ExitReason,
    FollowUpCall,
    Participant,
    RefusalReason,
    RefusedScan,
    Registration,
    Role,
    User,
    WorkshopDay,
)
from kiosk.people.referrers import find_or_create_referrer
from kiosk.people.services import add_participant
from kiosk.cards.services import issue_card
from kiosk.platform.timezone import centre_zone, local_day
from kiosk.settings import DEMO_MARK, get_server_value, set_server_value
from kiosk.stock.demo import load_demo_stock

DEMO_LOGINS = [
    ("coordinator", "coordination", "cepourmoi-coord"),
    ("volunteer", "benevole", "cepourmoi-benevole"),
    ("referent", "referente", "cepourmoi-referente"),
]

FIRST_NAMES = [
    "Fatima", "Jean-Éric", "Maëlle", "Noëlle", "Loïc", "Aminata", "Sébastien", "Nadia", "Kevin",
    "Sandrine", "Mohamed", "Chloé", "Thierry", "Yasmine", "Océane", "Patrick", "Awa", "Gwenaëlle",
    "Rachid", "Élodie", "Brigitte", "Mamadou", "Laëtitia", "Dylan", "Samira", "Christophe", "Inès",
    "Jordan", "Khadija", "Sylvie", "Anthony", "Mariama", "Yannick", "Leïla", "Franck", "Aïcha",
    "Morgane", "Ibrahim", "Nathalie", "Erwan",
]
LAST_NAMES = [
    "Benali", "Kouassi", "Le Goff", "Hervé", "Moreau", "Diallo", "Le Gall", "Haddad", "Martin",
    "Guillou", "Bensaïd", "Lemoine", "Tanguy", "Cherif", "Le Roux", "Robert", "Traoré", "Le Bihan",
    "Amrani", "Morvan", "Petit", "Camara", "Jégou", "Lefebvre", "Belkacem", "Riou", "Mansour",
    "Durand", "El Idrissi", "Le Floch", "Girard", "Sow", "Kerhervé", "Bouzid", "Collet", "Touré",
    "Le Meur", "Keita", "Nicolas", "Quéré",
]
REFERRERS = [
    ("Mme Briand", "CDAS Rennes Sud"),
    ("M. Texier", "CCAS Vern-sur-Seiche"),
    ("Mme Le Corre", "CDAS Rennes Sud"),
]
ACTIVITIES = [
    ("Atelier cuisine", "cooking"),
    ("Gestion du stress", "relax"),
    ("Relooking", "makeover"),
]


class DemoRefused(RuntimeError):
    """The database already holds data: the demo never mixes with a centre's real records."""


def demo_logins() -> list[tuple[str, str, str]]:
    """The demo logins still active with their demo password (to print them, and to warn)."""
    if get_server_value(DEMO_MARK) is None:
        return []
    users = {user.username: user for user in db.session.scalars(db.select(User).where(User.active.is_(True)))}
    return [login for login in DEMO_LOGINS if login[1] in users and users[login[1]].check_password(login[2])]


def is_empty() -> bool:
    return db.session.scalar(db.select(Participant.id).limit(1)) is None and (
        db.session.scalar(db.select(User.id).limit(1)) is None
    )


def _past_thursdays(count: int):
    today = local_day()
    last = today - timedelta(days=(today.weekday() - 3) % 7 or 7)
    return [last - timedelta(weeks=n) for n in reversed(range(count))]


def _at(day, hour, minute):
    return datetime.combine(day, time(hour, minute), tzinfo=centre_zone()).astimezone(timezone.utc)


def load_demo(seed: int = 2026) -> str:
    """Fill an empty database with a living centre; refuse if anything is there."""
    if not is_empty():
        raise DemoRefused("la base contient déjà des données : la démo ne se charge que dans une base vide")
    rng = random.Random(seed)
    referrers = [find_or_create_referrer(name, structure) for name, structure in REFERRERS]
    activities = [Activity(name=name, pictogram=picto) for name, picto in ACTIVITIES]
    ensure_default_categories()
    categories = active_categories()
    db.session.add_all(activities)
    db.session.add(EpicerieRules(contribution_percent=10, visits_per_week=1))
    for role, username, password in DEMO_LOGINS:
        add_user(username, Role(role), password, referrer_name=REFERRERS[0][0] if role == "referent" else None,
                 display_name={"volunteer": "Monique (bénévole)"}.get(role))
    add_user("jeanpierre", Role.VOLUNTEER, "cepourmoi-benevole", display_name="Jean-Pierre (bénévole)")
    _demo_pins()

    thursdays = _past_thursdays(12)
    people = []
    for i, (first, last) in enumerate(zip(FIRST_NAMES, LAST_NAMES, strict=True)):
        entered = thursdays[0] - timedelta(days=rng.randint(0, 120)) if i < 30 else rng.choice(thursdays[3:])
        participant = add_participant(
            first, last, referrer_name=referrers[i % 3].name,
            phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            household_size=rng.choice([1, 1, 2, 3, 4, 5]), entered_on=entered,
        )
        issue_card(participant)
        if i % 4 != 3:
            db.session.add(EpicerieAccess(participant=participant, starts_on=entered,
                                          ends_on=local_day() + timedelta(days=rng.choice([20, 60, 120]))))
        people.append(participant)
    for participant, reason in zip(people[:4], [ExitReason.WORK, ExitReason.TRAINING, ExitReason.MOVED, ExitReason.OTHER]):
        period = participant.open_period
        period.left_on = thursdays[rng.randint(4, 9)]
        period.exit_reason = reason

    volunteers = db.session.scalars(db.select(User).where(User.role == Role.VOLUNTEER)).all()
    away, back = _demo_absences(len(thursdays))
    checkins, baskets = [], []
    for n, day in enumerate(thursdays):
        workshop = WorkshopDay(day=day, activity=activities[n % 3], planned=True, capacity=16)
        db.session.add(workshop)
        for i, participant in enumerate(people):
            period = participant.periods[0]
            if period.entered_on > day or (period.left_on and period.left_on < day) or n in away.get(i, ()):
                continue
            if rng.random() < 0.62 or n in back.get(i, ()):
                checkins.append(CheckIn(
                    participant=participant, workshop_day=workshop, source=CheckInSource.CARD,
                    checked_in_at=_at(day, 13, 45) + timedelta(minutes=rng.randint(0, 50)),
                    card_id=participant.cards[0].id,
                ))
                db.session.add(checkins[-1])
                if rng.random() < 0.6:
                    baskets.append(_demo_basket(rng, participant, day, categories, rng.choice(volunteers)))
    _demo_life(random.Random(seed + 1), people, thursdays, checkins, baskets, volunteers)
    _demo_programme(random.Random(seed + 2), people, activities, thursdays)
    load_demo_stock(random.Random(seed + 3), thursdays, categories, volunteers)  # issue 19
    set_server_value(DEMO_MARK, "1")
    db.session.flush()
    pins = ", ".join(f"{name} {pin}" for name, pin in DEMO_PINS.items())
    return (f"Démo chargée : {len(people)} participants, {len(thursdays)} jeudis, 3 orienteurs. "
            f"Codes de la tablette : {pins}.")


# The demo's tablet codes (public, like its passwords): each person who serves types theirs once per shift.
DEMO_PINS = {"coordination": "7391", "benevole": "2580", "jeanpierre": "3691"}


def _demo_pins() -> None:
    from kiosk.epicerie.pins import set_pin

    for username, pin in DEMO_PINS.items():
        user = db.session.scalar(db.select(User).where(User.username == username))
        if user is not None:
            set_pin(user, pin)


def _demo_programme(rng, people, activities, thursdays):
    """The term ahead (the activities in turn, one Thursday cancelled) and registrations, some waiting."""
    coordinator = db.session.scalar(db.select(User).where(User.username == "coordination"))
    present = [p for p in people if p.periods[0].left_on is None]
    next_thursday = thursdays[-1] + timedelta(weeks=1)
    for n in range(10):
        day = next_thursday + timedelta(weeks=n)
        session = WorkshopDay(day=day, activity=activities[(len(thursdays) + n) % 3], planned=True, capacity=16,
                              room="Salle polyvalente")
        if n == 5:
            session.cancelled_at = _at(thursdays[-1], 16, 0)
            session.cancel_reason = "Formation de l'équipe"
        db.session.add(session)
        if n < 2:
            for rank, participant in enumerate(rng.sample(present, 19 if n == 0 else 9)):
                db.session.add(Registration(workshop_day=session, participant=participant, waiting=rank >= 16,
                                            registered_by_id=coordinator.id,
                                            registered_at=_at(thursdays[-1], 17, 0) + timedelta(minutes=rank)))
    last = db.session.scalars(db.select(WorkshopDay).where(WorkshopDay.day == thursdays[-1])).one()
    came = {checkin.participant_id for checkin in last.checkins}
    expected = [p for p in present if p.id in came][:10] + [p for p in present if p.id not in came][:3]
    for participant in expected:  # three of them registered but did not come: the first call-backs
        db.session.add(Registration(workshop_day=last, participant=participant, registered_by_id=coordinator.id,
                                    registered_at=_at(thursdays[-2], 17, 0)))


def _demo_basket(rng, participant, day, categories, volunteer):
    lines = []
    for category in rng.sample(categories, rng.randint(2, 4)):
        quantity = rng.randint(1, 6)
        lines.append(BasketLine(category=category, quantity=quantity,
                                weight_g=quantity * rng.randint(200, 900),
                                value_cents=quantity * rng.randint(80, 450)))
    value = sum(line.value_cents for line in lines)
    basket = Basket(
        participant=participant, served_on=day, served_at=_at(day, 15, rng.randint(0, 59)),
        idempotency_key=f"demo-{participant.id}-{day.isoformat()}", request_digest="demo",
        value_cents=value, weight_g=sum(line.weight_g for line in lines),
        paid_cents=round(value * 0.10), served_by=volunteer, lines=lines,
    )
    db.session.add(basket)
    return basket


# The dashboard's demo: people who stop coming (to call back), one who came back after a call,
# cards refused at the kiosk, check-ins recorded by a volunteer, a cancelled basket.
DROPOUTS = {5: 3, 9: 4, 14: 5, 22: 3, 27: 6}  # participant index: last Thursdays missed
RETURNER = 11  # away three Thursdays, called, then back


def _demo_absences(weeks: int) -> tuple[dict[int, range], dict[int, tuple[int, ...]]]:
    """Which Thursdays some participants skip, and which ones a returner surely comes to."""
    away = {i: range(weeks - missed, weeks) for i, missed in DROPOUTS.items()}
    away[RETURNER] = range(weeks - 6, weeks - 3)
    return away, {RETURNER: (weeks - 8, weeks - 3, weeks - 2)}


def _demo_life(rng, people, thursdays, checkins, baskets, volunteers):
    """Follow-up calls, refused cards, host check-ins and a cancelled basket."""
    coordinator = db.session.scalar(db.select(User).where(User.username == "coordination"))
    outcomes = [CallOutcome.NO_ANSWER, CallOutcome.MESSAGE_LEFT, CallOutcome.WILL_COME, CallOutcome.REACHED]
    for number, (index, missed) in enumerate(DROPOUTS.items()):
        if missed < 4:
            continue  # the newest absences have not been called yet
        called = thursdays[-missed + 2] + timedelta(days=1)
        db.session.add(FollowUpCall(
            participant=people[index], called_at=_at(called, 10, 15 + number), caller=coordinator,
            channel=[CallChannel.CALL, CallChannel.TEXT, CallChannel.REFERRER][number % 3],
            outcome=outcomes[number % len(outcomes)],
        ))
    db.session.add(FollowUpCall(
        participant=people[RETURNER], called_at=_at(thursdays[-4] + timedelta(days=1), 11, 0), caller=coordinator,
        channel=CallChannel.CALL, outcome=CallOutcome.WILL_COME, note="Reprend jeudi prochain",
    ))
    for day in thursdays:
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            db.session.add(RefusedScan(
                scanned_at=_at(day, 13, 40) + timedelta(minutes=rng.randint(0, 60)),
                reason=rng.choice([RefusalReason.UNKNOWN, RefusalReason.REPLACED]),
            ))
    for checkin in rng.sample(checkins, len(checkins) // 12):  # forgotten cards
        checkin.source, checkin.card_id = CheckInSource.HOST, None
        checkin.recorded_by = rng.choice(volunteers)
    if baskets:
        last = max(baskets, key=lambda basket: (basket.served_on, basket.served_at))
        last.cancelled_at, last.cancelled_by_id = last.served_at + timedelta(minutes=3), last.served_by.id
