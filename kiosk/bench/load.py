"""A small HTTP load client: N threads, keep-alive connections, latencies in milliseconds."""

import http.client
import json
import re
import statistics
import threading
import time
from collections.abc import Callable


class Client:
    """One keep-alive connection with its own cookies and CSRF token, like one browser tab."""

    def __init__(self, host: str, port: int, cookies: dict | None = None):
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies = dict(cookies or {})
        self.csrf = None

    def request(self, method: str, path: str, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        if self.csrf and method != "GET":
            headers["X-CSRFToken"] = self.csrf
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection.connect()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def fetch_csrf(self, path: str) -> None:
        """Open a page and keep its CSRF token, as the page's JavaScript would."""
        status, data = self.request("GET", path)
        match = re.search(rb'<meta name="csrf-token" content="([^"]+)"', data)
        if status != 200 or not match:
            raise RuntimeError(f"cannot open {path}: {status}")
        self.csrf = match.group(1).decode()

    def login(self, username: str, password: str) -> None:
        self.fetch_csrf("/login")
        body = f"username={username}&password={password}&csrf_token={self.csrf}"
        status, _ = self.request("POST", "/login", body=body,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        if status not in (302, 303):
            raise RuntimeError(f"login failed: {status}")


def run_load(clients: list[Client], make_request: Callable[[Client, int], tuple[str, str, object]],
             total: int) -> dict:
    """Send `total` requests spread over the clients at once; return latencies and throughput."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(total))

    def worker(client: Client):
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            method, path, body = make_request(client, index)
            started = time.perf_counter()
            status, _ = client.request(method, path, body=body)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker, args=(client,)) for client in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(latencies, time.perf_counter() - started, statuses)


def summary(latencies: list[float], wall: float, statuses: dict[int, int]) -> dict:
    latencies = sorted(latencies)
    return {
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "rps": len(latencies) / wall,
        "statuses": statuses,
        "latencies": latencies,
        "wall": wall,
    }


def run_alternating(clients: list[Client], loads: dict[str, Callable[[Client, int], tuple[str, str, object]]],
                    total: int, turns: int = 5) -> dict[str, dict]:
    """Send `total` requests of each load, in `turns` turns taken by each load in turn, and merge
    each load's turns into one result.

    Two loads measured one after the other compare two moments of a shared machine whose speed
    drifts by up to 2× within a minute; taken in turns, both see the same moments.
    `make_request` gets the request's index within its whole load, not within the turn.
    """
    merged = {name: {"latencies": [], "wall": 0.0, "statuses": {}} for name in loads}
    for turn in range(turns):
        start, end = total * turn // turns, total * (turn + 1) // turns
        for name, make_request in loads.items():
            result = run_load(clients, lambda client, i, make=make_request, start=start: make(client, start + i),
                              end - start)
            merged[name]["latencies"] += result["latencies"]
            merged[name]["wall"] += result["wall"]
            for status, count in result["statuses"].items():
                merged[name]["statuses"][status] = merged[name]["statuses"].get(status, 0) + count
    return {name: summary(m["latencies"], m["wall"], m["statuses"]) for name, m in merged.items()}


def timed(client: Client, method: str, path: str, repeat: int) -> tuple[float, int]:
    """The median time of a request made one at a time, and the last status."""
    times, status = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        status, _ = client.request(method, path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), status
