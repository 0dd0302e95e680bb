"""A synthetic centre: years of Thursdays, thousands of people, written straight through sqlite3.

The schema comes from the real migrations; rows go in with executemany in one transaction, which
takes seconds where the ORM would take minutes. The last Thursday before the measured day is "busy";
the measured day itself has exactly 40 check-ins and 40 baskets (CONTRACT.md).
"""

import os
import random
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from kiosk.cards.codes import code_digest, new_code

PARIS = ZoneInfo("Europe/Paris")
CATEGORIES = ["fruits_legumes", "frais", "epicerie_seche", "hygiene", "bebe", "entretien"]
REASONS = ["work", "training", "moved", "not_interested", "other"]


@dataclass
class Centre:
    participants: int
    years: int
    checkins_per_day: int
    baskets_per_day: int
    measured_day: date


def thursdays_before(day: date, count: int) -> list[date]:
    last = day - timedelta(days=(day.weekday() - 3) % 7 or 7)
    return [last - timedelta(weeks=n) for n in reversed(range(count))]


def utc(day: date, hour: int, minute: int) -> str:
    moment = datetime.combine(day, time(hour, minute), tzinfo=PARIS).astimezone(timezone.utc)
    return moment.replace(tzinfo=None).isoformat(sep=" ")


def fill(path: str, centre: Centre, sealer, seed: int = 10) -> dict:
    """Write the centre into an already-migrated SQLite file; return the codes of working cards."""
    rng = random.Random(seed)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = OFF")
    cur = connection.cursor()
    now = datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
    # The load's check-ins are made today: today is a day of the weekly pattern (the programme's rule).
    today = datetime.now(ZoneInfo(os.environ.get("KIOSK_TIMEZONE", "Europe/Paris"))).date()
    cur.execute("INSERT OR REPLACE INTO setting (site_id, key, value) VALUES (1, 'workshop_weekday', ?)", (str(today.weekday()),))
    cur.executemany("INSERT INTO referrer (id, name, structure) VALUES (?, ?, ?)",
                    [(i, f"Référent {i}", f"Structure {i % 8}") for i in range(1, 31)])
    cur.executemany("INSERT INTO activity (id, name, active) VALUES (?, ?, 1)",
                    [(1, "Atelier cuisine"), (2, "Gestion du stress"), (3, "Relooking")])
    cur.executemany("INSERT INTO category (id, code, label, position, active) VALUES (?, ?, ?, ?, 1)",
                    [(i + 1, code, code, i) for i, code in enumerate(CATEGORIES)])
    cur.execute("INSERT INTO epicerie_rules (effective_from, contribution_percent, visits_per_week, "
                "allowance_base_cents, allowance_per_person_cents) VALUES (?, 10, 7, 3000000, 0)", (now,))
    days = thursdays_before(centre.measured_day, centre.years * 52)
    first_day = days[0]
    codes = {}
    participants, periods, cards, accesses, entered_on = [], [], [], [], {}
    for pid in range(1, centre.participants + 1):
        entered = first_day + timedelta(days=rng.randint(0, max(1, (centre.measured_day - first_day).days // 2)))
        participants.append((pid, f"Prénom{pid}", f"Nom{pid}", f"nom{pid} prenom{pid}", 1 + pid % 5,
                             1 + pid % 30, now))
        periods.append((pid, entered.isoformat(), None, None))
        entered_on[pid] = entered
        code = new_code()
        codes[pid] = code
        cards.append((pid, pid, code_digest(code), sealer(code), now))
        accesses.append((pid, entered.isoformat(), (centre.measured_day + timedelta(days=365)).isoformat(), now))
    cur.executemany("INSERT INTO participant (id, first_name, last_name, search_name, household_size, "
                    "referrer_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", participants)
    cur.executemany("INSERT INTO programme_period (participant_id, entered_on, left_on, exit_reason) "
                    "VALUES (?, ?, ?, ?)", periods)
    cur.executemany("INSERT INTO card (id, participant_id, code_digest, code_sealed, issued_at) "
                    "VALUES (?, ?, ?, ?, ?)", cards)
    cur.executemany("INSERT INTO epicerie_access (participant_id, starts_on, ends_on, created_at) "
                    "VALUES (?, ?, ?, ?)", accesses)
    ids = list(range(1, centre.participants + 1))
    checkins, baskets, lines = [], [], []
    basket_id = 0
    for day_id, day in enumerate(days + [centre.measured_day], start=1):
        measured = day == centre.measured_day
        cur.execute("INSERT INTO workshop_day (id, day, activity_id) VALUES (?, ?, ?)",
                    (day_id, day.isoformat(), 1 + day_id % 3))
        count = 40 if measured else centre.checkins_per_day
        served = 40 if measured else centre.baskets_per_day
        # The measured day's people are kept out so the load test's check-ins are new ones.
        pool = ids[-200:] if measured else ids[:-300]
        present = rng.sample(pool, count)
        for pid in present:
            checkins.append((pid, day_id, utc(day, 13, rng.randint(30, 59)), now, "card", pid))
        for pid in present[:served]:
            basket_id += 1
            value = 0
            weight = 0
            for category in rng.sample(range(1, 7), 3):
                line_value, line_weight = rng.randint(100, 900), rng.randint(200, 3000)
                value += line_value
                weight += line_weight
                lines.append((basket_id, category, rng.randint(1, 5), line_weight, line_value))
            baskets.append((basket_id, pid, day.isoformat(), utc(day, 15, rng.randint(0, 59)),
                            f"bench-{basket_id}", "bench", value, weight, value // 10))
    cur.executemany("INSERT INTO check_in (participant_id, workshop_day_id, checked_in_at, received_at, "
                    "source, card_id) VALUES (?, ?, ?, ?, ?, ?)", checkins)
    cur.executemany("INSERT INTO basket (id, participant_id, served_on, served_at, idempotency_key, "
                    "request_digest, value_cents, weight_g, paid_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", baskets)
    cur.executemany("INSERT INTO basket_line (basket_id, category_id, quantity, weight_g, value_cents) "
                    "VALUES (?, ?, ?, ?, ?)", lines)
    # Some exits, for the report.
    last_exit = centre.measured_day - timedelta(days=30)
    exits = []
    for pid in rng.sample(ids[:-300], len(ids) // 10):
        left = min(entered_on[pid] + timedelta(days=rng.randint(60, 2000)), last_exit)
        if left >= entered_on[pid]:
            exits.append((left.isoformat(), rng.choice(REASONS), pid))
    cur.executemany("UPDATE programme_period SET left_on = ?, exit_reason = ? WHERE participant_id = ?", exits)
    for _left, _reason, pid in exits:  # a card of someone who left checks no one in: not scanned by the load
        codes.pop(pid, None)
    connection.commit()
    connection.close()
    recount_stored_figures(f"sqlite:///{path}")
    connection = sqlite3.connect(path)
    connection.execute("ANALYZE")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return {"codes": codes, "days": len(days) + 1, "checkins": len(checkins), "baskets": len(baskets)}


def recount_stored_figures(url: str) -> None:
    """The stored figures from the rows written around the ORM: the baskets' by month
    (kiosk/epicerie/month_figures.py), and the counts per person and year and per workshop day that
    the database's triggers keep (kiosk/models/figures.py), which the network's filler turns off."""
    from sqlalchemy import create_engine

    from kiosk.epicerie.month_figures import rebuild_basket_months
    from kiosk.reports.counts import rebuild_year_counts

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            rebuild_basket_months(connection=connection)
            rebuild_year_counts(connection=connection)
    finally:
        engine.dispose()
