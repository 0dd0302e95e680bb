"""The load script: a kiosk and three tablets at 20 requests a second for 60 seconds against the
production server on loopback; then every acknowledged write is looked for in the database.

`python -m kiosk.bench.soak [--seconds 60] [--rate 20]` (what `make load` runs). Exits non-zero on
any error or any lost write.
"""

import argparse
import json
import sqlite3
import statistics
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from kiosk.bench.__main__ import Server, build, cli
from kiosk.bench.load import Client

TABLETS = 3


def enrolled(port: int, env: dict, name: str, kind: str, screen: str) -> Client:
    path = cli(env, "device", "add", name, "--kind", kind).strip().splitlines()[-1]
    client = Client("127.0.0.1", port)
    client.request("GET", path)
    client.fetch_csrf(screen)
    return client


def basket_body(code: str, n: int) -> dict:
    return {
        "code": code,
        "lines": [{"category": "fruits_legumes", "quantity": 1 + n % 4, "weight_kg": 1.5, "value_eur": "4.20"},
                  {"category": "hygiene", "quantity": 1, "weight_kg": 0.3, "value_eur": "2.10"}],
        "paid_eur": "0.63",
    }


def play(client: Client, make, rate: float, seconds: float, results: list, lock: threading.Lock):
    """Send requests at a steady rate; keep (kind, status, ms, key) for each."""
    interval, started, n = 1 / rate, time.perf_counter(), 0
    while (due := started + n * interval) < started + seconds:
        time.sleep(max(0.0, due - time.perf_counter()))
        kind, method, path, body, headers, key = make(n)
        began = time.perf_counter()
        try:
            status, data = client.request(method, path, body=json.dumps(body), headers=headers)
        except OSError as exc:
            status, data = 0, str(exc).encode()
        record = (kind, status, (time.perf_counter() - began) * 1000, key, data)
        with lock:
            results.append(record)
        n += 1


def run(seconds: float, rate: float) -> int:
    measured_day = date.today() - timedelta(days=(date.today().weekday() - 3) % 7 or 7)
    with TemporaryDirectory(prefix="cepourmoi-load-") as tmp:
        env, made = build(Path(tmp) / "db", 1, measured_day)
        codes = list(made["codes"].values())
        server = Server(env)
        try:
            kiosk = enrolled(server.port, env, "Borne charge", "kiosk", "/kiosk")
            tablets = [enrolled(server.port, env, f"Tablette charge {i}", "tablet", "/tablet") for i in range(TABLETS)]
            results, lock = [], threading.Lock()
            per_client = rate / (1 + TABLETS)

            def checkin(n):
                code = codes[n % len(codes)]
                return "checkin", "POST", "/api/checkins", {"code": code}, {"Content-Type": "application/json"}, code

            def basket_maker(t):
                def make(n):
                    key = str(uuid.uuid4())
                    code = codes[(t * 7919 + n * 13) % len(codes)]
                    return ("basket", "POST", "/api/baskets", basket_body(code, n),
                            {"Content-Type": "application/json", "Idempotency-Key": key}, key)
                return make

            threads = [threading.Thread(target=play, args=(kiosk, checkin, per_client, seconds, results, lock))]
            threads += [threading.Thread(target=play, args=(tablet, basket_maker(i), per_client, seconds, results, lock))
                        for i, tablet in enumerate(tablets)]
            began = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - began
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
