"""The load script: a kiosk and three tablets at 20 requests a second for 60 seconds against the
production server on loopback; then every acknowledged write is looked for in the database.

`python -m kiosk.bench.soak [--seconds 60] [--rate 20]` (what `make load` runs). Exits non-zero on
any error or any lost write.
"""

import argparse
import sqlite3
import statistics
import sys
from datetime import date, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from kiosk.bench.__main__ import build
from kiosk.bench.server import Server, cli
from kiosk.bench.thursday import thursday


def run(seconds: float, rate: float) -> int:
    measured_day = date.today() - timedelta(days=(date.today().weekday() - 3) % 7 or 7)
    with TemporaryDirectory(prefix="cepourmoi-load-") as tmp:
        env, made = build(Path(tmp) / "db", 1, measured_day)
        server = Server(env)
        try:
            results, wall = thursday(server.port, cli, env, list(made["codes"].values()), seconds, rate)
        finally:
            server.stop()
        return report(results, wall, Path(env["KIOSK_DATABASE_URL"].removeprefix("sqlite:///")))


def report(results, wall, db_file: Path) -> int:
    errors = [r for r in results if r[1] not in (200, 201)]
    acked_baskets = {r[3] for r in results if r[0] == "basket" and r[1] in (200, 201)}
    acked_checkin_codes = {r[3] for r in results if r[0] == "checkin" and r[1] in (200, 201)}
    with sqlite3.connect(db_file) as connection:
        stored_keys = {row[0] for row in connection.execute("SELECT idempotency_key FROM basket")}
        today_checkins = connection.execute(
            "SELECT COUNT(*) FROM check_in JOIN workshop_day ON workshop_day.id = check_in.workshop_day_id "
            "WHERE workshop_day.day = (SELECT MAX(day) FROM workshop_day)").fetchone()[0]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    lost_baskets = len(acked_baskets - stored_keys)
    lost_checkins = max(0, len(acked_checkin_codes) - today_checkins)
    print(f"\n{len(results)} requêtes en {wall:.1f} s ({len(results) / wall:.1f}/s), {len(errors)} erreurs")
    for kind in ("checkin", "basket"):
        times = sorted(r[2] for r in results if r[0] == kind)
        if times:
            print(f"  {kind:<8} n={len(times):<5} p50={statistics.median(times):.1f} ms  "
                  f"p99={times[min(len(times) - 1, int(len(times) * 0.99))]:.1f} ms  max={times[-1]:.1f} ms")
    print(f"  écritures perdues : paniers {lost_baskets}, passages {lost_checkins} ; intégrité : {integrity}")
    for error in errors[:5]:
        print(f"  erreur {error[0]} {error[1]} : {error[4][:200]!r}")
    return 0 if not errors and not lost_baskets and not lost_checkins and integrity == "ok" else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=20, help="requests per second, all devices together")
    args = parser.parse_args()
    sys.exit(run(args.seconds, args.rate))


if __name__ == "__main__":
    main()
