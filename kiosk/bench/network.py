"""A synthetic network on PostgreSQL: many small centres, years of weekly workshops each, made in bulk.

The schema comes from the real migrations (`kiosk init-db`); rows go in with a few INSERT … SELECT
over generate_series, run by PostgreSQL itself, and COPY for the cards (their codes are sealed with
the app's key, in Python): 200 sites' ten years in about two minutes on the shared 2-core machine,
where the ORM row by row would take hours.

One site's ten years (the defaults, a small centre): 600 participants, each with a programme period
(one in ten of those who came left since, with a reason), an épicerie access and a working card;
3 activities, 6 basket categories, the épicerie's rules; a workshop every Thursday (520 in ten
years) with 50 check-ins and 30 baskets of 3 lines each: 26,000 check-ins, 15,600 baskets and
46,800 basket lines. The last `reserved` participants of each site (never checked in) are the ones
the load scans today; their codes are returned.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from kiosk.bench.synthetic import CATEGORIES, REASONS, recount_stored_figures, thursdays_before
from kiosk.cards.codes import code_digest, new_code

ACTIVITIES = ["Atelier cuisine", "Gestion du stress", "Relooking"]
# Co-prime with `participants - reserved` (checked below): a day's check-ins are then distinct people.
STEP = 11


@dataclass
class Network:
    sites: int = 200
    years: int = 10
    participants: int = 600  # per site
    checkins_per_day: int = 50
    baskets_per_day: int = 30
    reserved: int = 100  # per site: never checked in before, scanned by the load
    today: date | None = None

    @property
    def days(self) -> int:
        return self.years * 52


def plain_url(url: str) -> str:
    """psycopg's own form of an SQLAlchemy URL."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def fill_network(url: str, network: Network, sealer) -> dict:
    """Fill an already-migrated PostgreSQL database (site 1 made by the migrations, nothing else);
    return {site_id: [the reserved participants' card codes]} and the rows made per table."""
    n = network
    pool = n.participants - n.reserved
    if pool < n.checkins_per_day or pool % STEP == 0 or n.baskets_per_day > n.checkins_per_day:
        raise ValueError("a day's check-ins must be distinct people of the pool")
    import psycopg  # the PostgreSQL driver is an extra ('.[postgres]'); the SQLite suite collects this module without it

    today = n.today or date.today()
    days = thursdays_before(today, n.days)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    params = {"sites": n.sites, "p": n.participants, "pool": pool, "d": n.days, "c": n.checkins_per_day,
              "b": n.baskets_per_day, "first_day": days[0], "half_span": max(1, (today - days[0]).days // 2),
              "last_exit": today - timedelta(days=30), "access_end": today + timedelta(days=365), "now": now,
              "step": STEP, "weekday": str(today.weekday()), "reasons": REASONS, "categories": CATEGORIES,
              "activities": ACTIVITIES}
    with psycopg.connect(plain_url(url)) as connection, connection.cursor() as cur:
        for statement in PEOPLE:
            cur.execute(statement, params)
        codes = _cards(cur, n, sealer, now)
        # Rows made consistent by construction (tests/sites/test_bench_network.py checks them): the
        # foreign keys' per-row triggers are off while the millions of history rows go in, as
        # pg_restore --disable-triggers does (the constraints stay; the app's own writes are checked).
        # Their plain indexes (not the constraints') are dropped and made again after, in one pass each.
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("""SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)
                       AND indexname NOT IN (SELECT conname FROM pg_constraint)""", (HISTORY_TABLES,))
        indexes = cur.fetchall()
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        for statement in HISTORY:
            cur.execute(statement, params)
        for _name, definition in indexes:
            cur.execute(definition)
        cur.execute("SET LOCAL session_replication_role = DEFAULT")
        for table in SEQUENCED:
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")
        made = {}
        for table in COUNTED:
            cur.execute(f"SELECT count(*) FROM {table}")
            made[table] = cur.fetchone()[0]
    recount_stored_figures(url)  # the lines went in around the ORM: their stored figures, recounted
    with psycopg.connect(plain_url(url), autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")  # as autovacuum would have done over ten years
    return {"codes": codes, "rows": made}


# Each site: ids in their own block, so every row is computed from (site, number) without lookups.
PEOPLE = [
    "UPDATE site SET name = 'Centre 001' WHERE id = 1",
    """INSERT INTO site (id, name, created_at)
       SELECT s, 'Centre ' || lpad(s::text, 3, '0'), %(now)s FROM generate_series(2, %(sites)s) s""",
    # The workshop happens today (the load's day) in every centre: each one's weekly pattern says so.
    """INSERT INTO setting (site_id, key, value)
       SELECT s, 'workshop_weekday', %(weekday)s FROM generate_series(1, %(sites)s) s
       ON CONFLICT (site_id, key) DO UPDATE SET value = EXCLUDED.value""",
    """INSERT INTO referrer (id, name, structure)
       SELECT i, 'Référent ' || i, 'Structure ' || (i %% 8) FROM generate_series(1, 30) i""",
    """INSERT INTO activity (id, site_id, name, active)
       SELECT (s - 1) * 3 + k, s, (%(activities)s::text[])[k], true
       FROM generate_series(1, %(sites)s) s, generate_series(1, 3) k""",
    """INSERT INTO category (id, site_id, code, label, position, active)
       SELECT (s - 1) * 6 + k, s, (%(categories)s::text[])[k], (%(categories)s::text[])[k], k - 1, true
       FROM generate_series(1, %(sites)s) s, generate_series(1, 6) k""",
    """INSERT INTO epicerie_rules (id, site_id, effective_from, contribution_percent, visits_per_week,
                                   allowance_base_cents, allowance_per_person_cents)
       SELECT s, s, %(now)s, 10, 7, 3000000, 0 FROM generate_series(1, %(sites)s) s""",
    # Participant (s, i) has id (s - 1) * p + i; entered in the first half of the ten years.
    """INSERT INTO participant (id, site_id, first_name, last_name, search_name, household_size, referrer_id, created_at)
       SELECT (s - 1) * %(p)s + i, s, 'Prénom' || i, 'Nom' || i, 'nom' || i || ' prenom' || i, 1 + i %% 5,
              1 + (s + i) %% 30, %(now)s
       FROM generate_series(1, %(sites)s) s, generate_series(1, %(p)s) i""",
    """INSERT INTO programme_period (id, site_id, participant_id, entered_on)
       SELECT id, site_id, id, %(first_day)s::date + ((id * 7919) %% %(half_span)s)::int FROM participant""",
    # One in ten of the people the history checks in has left since (never one the load scans).
    """UPDATE programme_period
       SET left_on = least(entered_on + 60 + (participant_id * 37) %% 1940, %(last_exit)s::date),
           exit_reason = (%(reasons)s::text[])[1 + participant_id %% 5]
       WHERE (participant_id - 1) %% %(p)s < %(pool)s AND participant_id %% 10 = 3""",
    """INSERT INTO epicerie_access (id, site_id, participant_id, starts_on, ends_on, created_at)
       SELECT id, site_id, participant_id, entered_on, %(access_end)s, %(now)s FROM programme_period""",
]
HISTORY = [
    # Day d (1..d) of site s has id (s - 1) * d + d, every Thursday back from the last one.
    """INSERT INTO workshop_day (id, site_id, day, activity_id)
       SELECT (s - 1) * %(d)s + d, s, %(first_day)s::date + 7 * (d - 1), (s - 1) * 3 + 1 + d %% 3
       FROM generate_series(1, %(sites)s) s, generate_series(1, %(d)s) d""",
    # Check-in k of a day: participant 1 + (37 d + step k) mod pool, distinct within the day.
    """INSERT INTO check_in (id, site_id, participant_id, workshop_day_id, checked_in_at, received_at, source, card_id)
       SELECT w.id * %(c)s + k - %(c)s + 1, w.site_id, who, w.id,
              ((w.day + time '13:30' + k * interval '40 seconds') AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'UTC',
              ((w.day + time '13:30' + k * interval '40 seconds') AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'UTC',
              'card', who
       FROM workshop_day w, generate_series(0, %(c)s - 1) k,
            LATERAL (SELECT (w.site_id - 1) * %(p)s + 1 + ((w.id * 37 + k * %(step)s) %% %(pool)s) AS who) p""",
    # The first b people checked in on a day take a basket of 3 lines (3 distinct categories of their site).
    """CREATE TEMPORARY TABLE bench_line ON COMMIT DROP AS
       SELECT id AS basket_id, site_id, (site_id - 1) * %(p)s + 1 + ((w_id * 37 + k * %(step)s) %% %(pool)s)
                  AS participant_id, day, k,
              (site_id - 1) * 6 + 1 + (k + j + w_id) %% 6 AS category_id, 1 + (id + j) %% 5 AS quantity,
              200 + (id * 7 + j * 131) %% 2800 AS weight_g, 100 + (id * 13 + j * 97) %% 800 AS value_cents
       FROM (SELECT w.id * %(b)s - %(b)s + 1 + k AS id, w.id AS w_id, w.site_id, w.day, k
             FROM workshop_day w, generate_series(0, %(b)s - 1) k) b, generate_series(0, 2) j""",
    """INSERT INTO basket (id, site_id, participant_id, served_on, served_at, idempotency_key, request_digest,
                           value_cents, weight_g, paid_cents)
       SELECT basket_id, site_id, participant_id, day,
              ((day + time '15:00' + k * interval '2 minutes') AT TIME ZONE 'Europe/Paris') AT TIME ZONE 'UTC',
              'bench-' || basket_id, 'bench', sum(value_cents), sum(weight_g), sum(value_cents) / 10
       FROM bench_line GROUP BY basket_id, site_id, participant_id, day, k""",
    """INSERT INTO basket_line (site_id, basket_id, category_id, quantity, weight_g, value_cents)
       SELECT site_id, basket_id, category_id, quantity, weight_g, value_cents FROM bench_line""",
]
HISTORY_TABLES = ["workshop_day", "check_in", "basket", "basket_line"]
SEQUENCED = ["site", "referrer", "activity", "category", "epicerie_rules", "participant", "programme_period",
             "epicerie_access", "workshop_day", "check_in", "basket", "basket_line", "card"]
COUNTED = ["site", "participant", "programme_period", "card", "workshop_day", "check_in", "basket", "basket_line"]


def _cards(cur, n: Network, sealer, now: datetime) -> dict[int, list[str]]:
    """Every participant's working card (card id = participant id), through COPY; the reserved
    participants' codes, per site."""
    codes: dict[int, list[str]] = {}
    rows = io.StringIO()
    for site in range(1, n.sites + 1):
        for i in range(1, n.participants + 1):
            pid = (site - 1) * n.participants + i
            code = new_code()
            if i > n.participants - n.reserved:
                codes.setdefault(site, []).append(code)
            rows.write(f"{pid}\t{site}\t{pid}\t{code_digest(code)}\t{sealer(code)}\t{now.isoformat(sep=' ')}\n")
    with cur.copy("COPY card (id, site_id, participant_id, code_digest, code_sealed, issued_at) FROM STDIN") as copy:
        copy.write(rows.getvalue())
    return codes
