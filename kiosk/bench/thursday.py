"""A Thursday as it is: the kiosk at the door and three tablets at the épicerie, 20 requests a second
in all, open loop (each request leaves at its time, whether or not the one before has come back).

The four devices are used by different people who do not wait for one another: each sends at its
own random moments (a Poisson process, 5 requests a second on average, drawn from a fixed seed so
that every run plays the same Thursday), and so two or more requests sometimes arrive together, as
they do at a real door. `lockstep=True` plays the worst case instead: all four devices fire at the
same instant, five times a second, every time (the benchmark reports it too, without a target).

A request's time runs from the moment it was due, so a server that falls behind shows it.
"""

import json
import queue
import random
import statistics
import threading
import time
import uuid

from kiosk.bench.load import Client

TABLETS = 3
JSON = {"Content-Type": "application/json"}


def enrolled(port: int, cli, env: dict, name: str, kind: str, screen: str) -> Client:
    """A device enrolled by `kiosk device add`, its cookie and CSRF token taken as its browser would."""
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


class Device:
    """One device's connections: a request that leaves while another is still out takes a new one,
    with the same cookies and CSRF token (a browser opens a second connection the same way)."""

    def __init__(self, first: Client, port: int):
        self.template, self.port = first, port
        self.free: queue.SimpleQueue[Client] = queue.SimpleQueue()
        self.free.put(first)

    def request(self, method: str, path: str, body: dict, headers: dict):
        try:
            client = self.free.get_nowait()
        except queue.Empty:
            client = Client("127.0.0.1", self.port, cookies=self.template.cookies)
            client.csrf = self.template.csrf
        try:
            return client.request(method, path, body=json.dumps(body), headers=headers)
        finally:
            self.free.put(client)

    def close(self) -> None:
        while True:
            try:
                self.free.get_nowait().connection.close()
            except queue.Empty:
                return


def arrivals(rate: float, seconds: float, seed: int | None) -> list[float]:
    """When each request leaves, in seconds from the start: every 1/rate s (seed None), or at the
    moments of a Poisson process of that rate (independent gaps, exponentially distributed)."""
    if seed is None:
        return [n / rate for n in range(int(seconds * rate))]
    draw, moments, at = random.Random(seed), [], 0.0
    while (at := at + draw.expovariate(rate)) < seconds:
        moments.append(at)
    return moments


def play(device: Device, make, moments: list[float], started: float, results: list, lock: threading.Lock) -> None:
    """Send `make(n)` at each of these moments, each in its own thread; keep (kind, status, ms, key, body)."""
    senders = []

    def send(n: int, due: float) -> None:
        kind, method, path, body, headers, key = make(n)
        try:
            status, data = device.request(method, path, body, headers)
        except OSError as exc:
            status, data = 0, str(exc).encode()
        with lock:
            results.append((kind, status, (time.perf_counter() - due) * 1000, key, data))

    for n, moment in enumerate(moments):
        due = started + moment
        time.sleep(max(0.0, due - time.perf_counter()))
        sender = threading.Thread(target=send, args=(n, due))
        sender.start()
        senders.append(sender)
    for sender in senders:
        sender.join(60)


def thursday(port: int, cli, env: dict, codes: list[str], seconds: float = 30, rate: float = 20,
             lockstep: bool = False) -> tuple[list, float]:
    """Play a Thursday against the server on `port`; returns every request's record and the wall time."""
    tag = " (synchrones)" if lockstep else ""
    kiosk = Device(enrolled(port, cli, env, f"Borne jeudi{tag}", "kiosk", "/kiosk"), port)
    tablets = [Device(enrolled(port, cli, env, f"Tablette jeudi {i}{tag}", "tablet", "/tablet"), port)
               for i in range(TABLETS)]
    results, lock = [], threading.Lock()
    per_device = rate / (1 + TABLETS)

    def checkin(n):
        code = codes[n % len(codes)]
        return "checkin", "POST", "/api/checkins", {"code": code}, JSON, code

    def basket_maker(t):
        def make(n):
            key = str(uuid.uuid4())
            code = codes[(t * 7919 + n * 13) % len(codes)]
            return "basket", "POST", "/api/baskets", basket_body(code, n), {**JSON, "Idempotency-Key": key}, key
        return make

    makers = [(kiosk, checkin)] + [(tablet, basket_maker(i)) for i, tablet in enumerate(tablets)]
    began = time.perf_counter() + 0.05  # every player is started before the first moment
    players = [threading.Thread(target=play, args=(device, make, arrivals(per_device, seconds, None if lockstep else i),
                                                   began, results, lock))
               for i, (device, make) in enumerate(makers)]
    for player in players:
        player.start()
    for player in players:
        player.join()
    wall = time.perf_counter() - began
    for device, _make in makers:
        device.close()
    return results, wall


def p99(results: list, kind: str) -> float:
    times = sorted(r[2] for r in results if r[0] == kind)
    return times[min(len(times) - 1, int(len(times) * 0.99))] if times else float("nan")


def p50(results: list, kind: str) -> float:
    times = [r[2] for r in results if r[0] == kind]
    return statistics.median(times) if times else float("nan")
