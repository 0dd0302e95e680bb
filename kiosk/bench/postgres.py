"""The benchmark's PostgreSQL run (issue 20, point 5): `python -m kiosk.bench.postgres --out bench-results.json`
(what `make bench-postgres` does, and `make bench` after the SQLite run).

A throwaway PostgreSQL cluster (kiosk/bench/pgcluster.py), the schema from the app's migrations,
200 small centres with ten years each (kiosk/bench/network.py), a kiosk enrolled on each; then the
production server (`kiosk serve`, gunicorn) with 1 worker, then 4, each taking check-ins from 200
kiosks at once, each kiosk scanning its own centre's cards; then a network user's yearly report,
every centre summed (the network page's first link). Its keys are added to the results file.
"""

import argparse
import contextlib
import json
import os
import subprocess
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from kiosk.bench.load import Client, summary, timed
from kiosk.bench.network import Network, fill_network
from kiosk.bench.pgcluster import Cluster
from kiosk.bench.server import Server, cli

SECRET = "bench-secret-key"
NETWORK_USER = ("bench-reseau", "bench-password")
WORKERS = (1, 4)
SCANS = 20  # per kiosk and per server (4,000 check-ins on each), in TURNS turns
TURNS = 5
WARM_SCANS = 2  # per kiosk, on each server before the measure


def build(url: str, network: Network, folder: Path) -> tuple[dict, dict]:
    """The migrated, filled database; its environment for `kiosk`, the kiosks' codes and enrolment paths."""
    env = {**os.environ, "KIOSK_DATABASE_URL": url, "KIOSK_SECRET_KEY": SECRET,
           "KIOSK_INSTANCE_PATH": str(folder / "instance"), "KIOSK_RETENTION_SCHEDULER": "0"}
    cli(env, "init-db")
    from kiosk import create_app
    from kiosk.cards.codes import seal_code
    from kiosk.platform.timezone import local_day

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    started = time.perf_counter()
    with app.app_context():
        network.today = local_day()
        made = fill_network(url, network, seal_code)
        rows = made["rows"]
        print(f"  {rows['site']} centres × {network.years} an(s) : {rows['participant']} participants, "
              f"{rows['workshop_day']} ateliers, {rows['check_in']} passages, {rows['basket']} paniers, "
              f"{rows['basket_line']} lignes ({time.perf_counter() - started:.0f} s)")
        made["enrol"] = enrol_kiosks(network.sites)
    cli(env, "user", "add", NETWORK_USER[0], "--role", "network", "--password", NETWORK_USER[1])
    return env, made


def enrol_kiosks(sites: int) -> dict[int, str]:
    """A kiosk device for each site, added as `kiosk device add NAME --kind kiosk --site NAME`
    adds it (the same service, in one process rather than 200): their one-time enrolment paths."""
    from kiosk.devices.services import add_device
    from kiosk.models import DeviceKind
    from kiosk.platform.extensions import db
    from kiosk.platform.unit_of_work import unit_of_work
    from kiosk.sites.scope import scoped_to

    paths = {}
    with unit_of_work():
        for site in range(1, sites + 1):
            with scoped_to(site):
                _device, paths[site] = add_device(f"Borne {site:03d}", DeviceKind.KIOSK)
    db.session.remove()
    return paths


class Kiosk:
    """One site's kiosk: its device cookie and page's CSRF token, the cards it scans."""

    def __init__(self, site: int, codes: list[str]):
        self.site, self.codes, self.cookies, self.csrf = site, codes, {}, None

    def enrol(self, port: int, path: str) -> None:
        client = Client("127.0.0.1", port)
        client.request("GET", path)
        client.fetch_csrf("/kiosk")
        self.cookies, self.csrf = client.cookies, client.csrf
        client.connection.close()

    def client(self, port: int) -> Client:
        client = Client("127.0.0.1", port, cookies=self.cookies)
        client.csrf = self.csrf
        return client


def scan_all(kiosks: list[Kiosk], port: int, first: int, scans: int, warm: int = 0) -> dict:
    """Every kiosk at once, on its own connection: `warm` scans (not measured), then, once every
    kiosk is warm, `scans` scans each, of its own site's cards from the `first`th on."""
    clients = [kiosk.client(port) for kiosk in kiosks]
    latencies, statuses, lock = [], {}, threading.Lock()
    ready, go = threading.Barrier(len(kiosks) + 1), threading.Event()

    def scan(client: Client, code: str) -> tuple[int, float]:
        started = time.perf_counter()
        status, _ = client.request("POST", "/api/checkins", body={"code": code})
        return status, (time.perf_counter() - started) * 1000

    def run(kiosk: Kiosk, client: Client):
        for code in kiosk.codes[first:first + warm]:
            scan(client, code)
        ready.wait()
        go.wait()
        mine = [scan(client, code) for code in kiosk.codes[first + warm:first + warm + scans]]
        with lock:
            for status, elapsed in mine:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=run, args=pair) for pair in zip(kiosks, clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    go.set()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    for client in clients:
        client.connection.close()
    return {"latencies": latencies, "wall": wall, "statuses": statuses}


def scan_in_turns(kiosks: list[Kiosk], ports: dict[int, int]) -> dict[int, dict]:
    """The check-ins on each server (workers -> port), in `TURNS` turns taken by each server in turn:
    a shared machine's speed drifts within a minute, and taken in turns, both servers see the same
    moments (as kiosk/bench/load.py's run_alternating). Every scan is a card's first of the day."""
    first = 0
    for port in ports.values():  # connections, the workers' pools and caches: warm
        scan_all(kiosks, port, first, 0, WARM_SCANS)
        first += WARM_SCANS
    merged = {workers: {"latencies": [], "wall": 0.0, "statuses": {}} for workers in ports}
    for _turn in range(TURNS):
        for workers, port in ports.items():
            part = scan_all(kiosks, port, first, SCANS // TURNS)
            first += SCANS // TURNS
            merged[workers]["latencies"] += part["latencies"]
            merged[workers]["wall"] += part["wall"]
            for status, count in part["statuses"].items():
                merged[workers]["statuses"][status] = merged[workers]["statuses"].get(status, 0) + count
    return {workers: summary(m["latencies"], m["wall"], m["statuses"]) for workers, m in merged.items()}


def load_average() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def report_path(year: int, site: int | None = None) -> str:
    """The network's yearly report, every centre summed (the network page's first link), or one
    centre's (the link of its row)."""
    from flask import url_for

    from kiosk import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": SECRET})
    with app.test_request_context():
        return url_for("reports.report", annee=year, **({"site": site} if site else {}))


def run(network: Network) -> tuple[dict, dict]:
    results, notes = {}, {}
    with Cluster() as cluster, tempfile.TemporaryDirectory(prefix="cepourmoi-bench-") as tmp:
        print(f"PostgreSQL {cluster.version()} : construction du réseau de synthèse…")
        env, made = build(cluster.url, network, Path(tmp))
        kiosks = [Kiosk(site, codes) for site, codes in sorted(made["codes"].items())]
        with contextlib.ExitStack() as stack:
            servers = {workers: stack.enter_context(Server(env, f"--workers={workers}")) for workers in WORKERS}
            for kiosk in kiosks:
                kiosk.enrol(servers[WORKERS[0]].port, made["enrol"][kiosk.site])
            before = load_average()
            measured = scan_in_turns(kiosks, {workers: server.port for workers, server in servers.items()})
            notes["check-ins"] = {"uptime before": before, "uptime after": load_average()}
            for workers, one in measured.items():
                results[f"pg_checkin_rps_{workers}w"] = one["rps"]
                results[f"pg_checkin_p99_ms_{workers}w"] = one["p99_ms"]
                notes[f"{workers}w"] = {"statuses": one["statuses"]}
                if set(one["statuses"]) - {201}:  # each scan a card's first of the day
                    raise SystemExit(f"errors during the check-ins ({workers} worker(s)): {one['statuses']}")
            port = servers[WORKERS[-1]].port
            for key, site in (("pg_network_report_ms", None), ("pg_site_report_ms", network.sites // 2)):
                results[key], status = network_report(port, site)
                notes[key] = {"status": status, "uptime": load_average()}
                if status != 200:
                    raise SystemExit(f"the network's report answered {status}")
    return results, notes


def network_report(port: int, site: int | None) -> tuple[float, int]:
    """The network user's yearly report of last year, every centre summed (or one centre's): the
    median of 5 once warm."""
    client = Client("127.0.0.1", port)
    client.login(*NETWORK_USER)
    path = report_path(date.today().year - 1, site)
    timed(client, "GET", path, 1)
    return timed(client, "GET", path, 5)


TARGETS = {
    "pg_checkin_rps_4w": ("> pg_checkin_rps_1w", lambda r: r["pg_checkin_rps_4w"] > r["pg_checkin_rps_1w"]),
    "pg_network_report_ms": ("< 1000", lambda r: r["pg_network_report_ms"] < 1000),
    "pg_site_report_ms": ("< 1000", lambda r: r["pg_site_report_ms"] < 1000),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="bench-results.json")
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    started = time.perf_counter()
    results, notes = run(Network(sites=args.sites, years=args.years))
    results = {key: round(value, 2) for key, value in results.items()}
    out = Path(args.out)
    merged = json.loads(out.read_text()) if out.exists() else {}
    merged.update(results)
    out.write_text(json.dumps(merged, indent=2) + "\n")
    print()
    print(f"{'mesure':<26}{'valeur':>12}  objectif")
    print("-" * 60)
    for key, value in results.items():
        target, check = TARGETS.get(key, ("", None))
        verdict = "" if check is None else ("  ok" if check(results) else "  MANQUÉ")
        print(f"{key:<26}{value:>12}  {target}{verdict}")
    for name, note in notes.items():
        print(f"{name} : {note}")
    print(f"(PostgreSQL : {time.perf_counter() - started:.0f} s en tout)")


if __name__ == "__main__":
    main()
