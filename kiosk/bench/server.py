"""The production server as the benchmark runs it (`kiosk serve` on loopback), and the `kiosk` command.

Shared by the benchmark (__main__.py) and its browser measures (browser.py), which import it; it
imports neither.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from kiosk.bench.load import Client

KIOSK = str(Path(sys.executable).with_name("kiosk"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli(env, *args) -> str:
    result = subprocess.run([KIOSK, *args], env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"kiosk {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


class Server:
    """The production server (`kiosk serve`, default workers and threads) on loopback."""

    def __init__(self, env, *extra_args):
        self.port = free_port()
        self.process = subprocess.Popen([KIOSK, "serve", "--host", "127.0.0.1", "--port", str(self.port), *extra_args],
                                        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            probe = Client("127.0.0.1", self.port)
            try:
                if probe.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
            finally:
                probe.connection.close()
        raise SystemExit("the server did not start")

    def memory_mb(self, field: str) -> float:
        """Memory of the server, master and workers together, from /proc (in MB).

        "Pss" counts each page once across the processes that share it (the workers share the
        master's pages after fork): the server's real resident memory. "Rss" adds them up as if
        each process owned its shared pages, and so overstates a forking server.
        """
        total = 0
        for pid in [self.process.pid] + children(self.process.pid):
            try:
                with open(f"/proc/{pid}/smaps_rollup") as handle:
                    for line in handle:
                        if line.startswith(field + ":"):
                            total += int(line.split()[1])
            except FileNotFoundError:
                pass
        return total / 1024

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.process.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.stop()


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except FileNotFoundError:
        return []
