"""A throwaway PostgreSQL cluster for the benchmark, made as scripts/with-postgres.sh makes the tests'
one: Debian's binaries, `initdb` in a temporary folder, a loopback port, stopped and removed at the end.

Run as root, the cluster belongs to the `postgres` user (PostgreSQL refuses to run as root).
"""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from kiosk.bench.server import free_port


def bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise SystemExit("PostgreSQL n'est pas installé (make system-deps, ou scripts/system-deps.sh postgresql)")
    return Path(found[-1]).parent


class Cluster:
    """`with Cluster() as cluster:` a running server; `cluster.url` its `postgres` database."""

    def __init__(self, max_connections: int = 300):
        self.bin = bin_dir()
        self.folder = Path(tempfile.mkdtemp(prefix="cepourmoi-bench-pg-"))
        self.port = free_port()
        self.max_connections = max_connections
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, program: str, *args: str) -> None:
        subprocess.run([*self.as_owner, str(self.bin / program), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def __enter__(self):
        if self.as_owner:
            shutil.chown(self.folder, "postgres")
        data = str(self.folder / "data")
        self.run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        # Durability settings as the tests' cluster (a throwaway server), the rest PostgreSQL's defaults.
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
                   f"-c full_page_writes=off -c max_connections={self.max_connections}")
        self.run("pg_ctl", "-D", data, "-l", str(self.folder / "server.log"), "-w", "-o", options, "start")
        return self

    def __exit__(self, *_exc):
        try:
            self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def version(self) -> str:
        result = subprocess.run([str(self.bin / "postgres"), "--version"], capture_output=True, text=True)
        return result.stdout.split()[2]
