#!/usr/bin/env python3
"""Issue 15's attacks again, against the production server as `make run` starts it (gunicorn through
`kiosk serve`, one worker, eight threads, on loopback), on a fresh demo database in a temporary folder.

    .venv/bin/python scripts/attack-figures.py [--slow-clients 30] [--slow-seconds 20] [--json out.json]

Measures, and prints as JSON at the end:
  1. slow clients: /healthz latency while N clients send `POST /login` bodies one byte a second
     (Content-Length 100000), and while N others send their request head one byte a second;
  2. 500s: lone surrogates in every JSON string of every `POST /api/...` route, Unicode digits (`²`,
     `١`) and undecodable bytes in every query parameter the code reads, on every GET route without a
     path argument (and `²` in path arguments), for each role and device; a CSV import whose household
     size is `²` through the page and through `kiosk participant import`;
  3. the worst spreadsheets: the worker's peak resident memory (VmHWM) and the answer while uploading
     an .xlsx holding one 300 MB shared string, and one holding 3 million cells, to the import page.
Nothing here is timed in a test; these are figures for people to read.
"""

import argparse
import io
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
KIOSK = ROOT / ".venv" / "bin" / "kiosk"
SURROGATE = '"\\ud800"'  # a JSON string holding one lone surrogate, as the JSON text has it
ODD_DIGITS = ["²", "١٢", "𝟙", "½"]
UNDECODABLE = "%ED%A0%80"  # the surrogate U+D800 encoded as UTF-8: not valid UTF-8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Box:
    """`kiosk init-db`, `kiosk demo`, `kiosk serve` as `make run` does, in a temporary folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "KIOSK_DATABASE_URL": f"sqlite:///{folder / 'box.sqlite3'}",
                    "KIOSK_INSTANCE_PATH": str(folder / "instance"), "KIOSK_SECRET_KEY": "attack-figures"}
        (folder / "instance").mkdir()
        self.cli("init-db")
        self.cli("demo", "--if-empty")
        self.log = open(folder / "server.log", "w+")
        self.process = subprocess.Popen([str(KIOSK), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                        env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.3)
        raise RuntimeError("the server did not start: " + (folder / "server.log").read_text())

    def cli(self, *args, check=True) -> subprocess.CompletedProcess:
        return subprocess.run([str(KIOSK), *args], env=self.env, capture_output=True, text=True, check=check,
                              cwd=self.folder)

    def worker_pid(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return int(children[0])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def memory_kb(pid: int) -> dict:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0, writing 5 to clear_refs; needs the same user)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def session_for(box: Box, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(box.url + "/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = session.post(box.url + "/login", data={"username": username, "password": password, "csrf_token": token},
                          allow_redirects=False)
    assert answer.status_code in (302, 303), (username, answer.status_code)
    session.headers["X-CSRFToken"] = csrf_of(session, box.url + "/dashboard" if username == "coordination" else box.url + "/")
    return session


def csrf_of(session: requests.Session, url: str) -> str:
    page = session.get(url).text
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return match.group(1) if match else ""


def device_session(box: Box, kind: str) -> requests.Session:
    path = box.cli("device", "add", f"attaque {kind} {time.monotonic_ns()}", "--kind", kind).stdout.strip().splitlines()[-1]
    session = requests.Session()
    session.get(box.url + path)
    session.headers["X-CSRFToken"] = csrf_of(session, box.url + ("/kiosk" if kind == "kiosk" else "/tablet"))
    return session


# 1. Slow clients --------------------------------------------------------------------------------

def slow_client(box: Box, stop: threading.Event, head_only: bool, opened: list) -> None:
    try:
        sock = socket.create_connection(("127.0.0.1", box.port), timeout=5)
    except OSError:
        opened.append("refused")
        return
    head = (f"POST /login HTTP/1.1\r\nHost: 127.0.0.1:{box.port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n").encode()
    opened.append("open")
    try:
        if head_only:
            for byte in head:
                if stop.is_set():
                    break
                sock.sendall(bytes([byte]))
                stop.wait(1)
        else:
            sock.sendall(head)
            while not stop.is_set():
                sock.sendall(b"a")
                stop.wait(1)
    except OSError:
        opened.append("cut by the server")
    finally:
        sock.close()


def healthz_under_slow_clients(box: Box, clients: int, seconds: float, head_only: bool) -> dict:
    stop, opened = threading.Event(), []
    threads = [threading.Thread(target=slow_client, args=(box, stop, head_only, opened), daemon=True)
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(2)  # every slow client connected and sending
    latencies, failures = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            ok = requests.get(box.url + "/healthz", timeout=10).status_code == 200
        except requests.RequestException:
            ok = False
        latencies.append((time.monotonic() - started) * 1000)
        failures += not ok
        time.sleep(0.25)
    stop.set()
    for thread in threads:
        thread.join(5)
    return {"slow_clients": clients, "sending": "head" if head_only else "body", "healthz_requests": len(latencies),
            "healthz_failed": failures, "healthz_p50_ms": round(statistics.median(latencies), 1),
            "healthz_max_ms": round(max(latencies), 1),
            "slow_clients_cut_by_server": opened.count("cut by the server")}


# 2. 500s ----------------------------------------------------------------------------------------

def query_names() -> list[str]:
    """Every query parameter the code reads (request.args.get("x"), args["x"], query_int(request.args, "x"))."""
    names = set()
    for path in (ROOT / "kiosk").rglob("*.py"):
        names.update(re.findall(r"args(?:\.get(?:list)?\(\s*|\[|,\s*)\"([a-z_]+)\"", path.read_text()))
    return sorted(names - {"process_revision_directives"})


def routes(box: Box) -> list[tuple[str, str, list[str]]]:
    """(rule, methods, argument names) of the app, read from its URL map."""
    script = ("import json; from kiosk import create_app; app = create_app();"
              "print(json.dumps([(r.rule, sorted(r.methods), sorted(r.arguments)) for r in app.url_map.iter_rules()]))")
    out = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", script], env=box.env, capture_output=True,
                         text=True, check=True, cwd=box.folder).stdout
    return json.loads(out.strip().splitlines()[-1])


def fill_rule(rule: str, value: str) -> str:
    def one(match):
        converter = match.group(1) or ""
        return "1" if converter.startswith(("int", "id", "ID")) or "int" in converter else value
    return re.sub(r"<(?:([^:>]+):)?[^>]+>", one, rule)


def count_500s(box: Box, sessions: dict) -> dict:
    names = query_names()
    rules = routes(box)
    seen, tried = [], 0

    def hit(who, session, method, url, **kwargs):
        nonlocal tried
        tried += 1
        try:
            answer = session.request(method, url, timeout=30, allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            seen.append({"who": who, "method": method, "url": url, "status": f"no answer: {exc.__class__.__name__}"})
            return
        if answer.status_code >= 500:
            seen.append({"who": who, "method": method, "url": url[len(box.url):][:200], "status": answer.status_code})

    for who, session in sessions.items():
        for rule, methods, arguments in rules:
            if "GET" not in methods or rule.startswith("/static"):
                continue
            for odd in ODD_DIGITS + [UNDECODABLE]:
                path = fill_rule(rule, odd) if arguments else rule
                query = "&".join(f"{name}={odd}" for name in names)
                hit(who, session, "GET", f"{box.url}{path}?{query}")
        for rule, methods, arguments in rules:
            if "POST" not in methods or not rule.startswith("/api/"):
                continue
            path = fill_rule(rule, "1")
            bodies = [
                '{"code": %s}' % SURROGATE,
                '{%s: "x"}' % SURROGATE,
                '{"query": %s, "q": %s, "name": %s, "text": %s}' % ((SURROGATE,) * 4),
                '{"code": %s, "lines": [{"category": %s, "quantity": 1, "weight_kg": 1, "value_eur": %s}], '
                '"paid_eur": %s}' % ((SURROGATE,) * 4),
                '{"code": "x", "lines": [{"category": "hygiene", "quantity": "²", "weight_kg": "²", '
                '"value_eur": "²"}], "paid_eur": "١٢"}',
                '{"code": "x", "scanned_at": %s}' % SURROGATE,
                '{"participant_id": "²", "lines": [], "paid_eur": %s}' % SURROGATE,
                '{"device_time": %s}' % SURROGATE,
            ]
            for number, body in enumerate(bodies):
                hit(who, session, "POST", box.url + path, data=body.encode(),
                    headers={"Content-Type": "application/json", "Idempotency-Key": f"00000000-0000-4000-8000-{number:012d}"})

    # A household size of ² in an imported CSV: the page, then the CLI.
    coordinator = sessions["coordinator"]
    csv = "Nom;Prénom;Personnes au foyer;Date d'entrée\nBenali;Fatima;²;0²/01/2026\nMartin;Léa;١٢;01/01/0000\n".encode()
    token = csrf_of(coordinator, box.url + "/participants/import")
    answer = coordinator.post(box.url + "/participants/import", data={"csrf_token": token},
                              files={"file": ("liste.csv", csv, "text/csv")}, timeout=60)
    tried += 1
    if answer.status_code >= 500:
        seen.append({"who": "coordinator", "method": "POST", "url": "/participants/import (CSV, size ²)",
                     "status": answer.status_code})
    (box.folder / "liste.csv").write_bytes(csv)
    cli = box.cli("participant", "import", str(box.folder / "liste.csv"), "--dry-run", check=False)
    cli_unexpected = "Erreur inattendue" in cli.stderr + cli.stdout or "Traceback" in cli.stderr
    return {"requests": tried, "query_parameters_tried": names, "server_errors": seen,
            "cli_import_exit": cli.returncode, "cli_import_unexpected_error": cli_unexpected,
            "cli_import_last_line": (cli.stderr or cli.stdout).strip().splitlines()[-1:]}


# 3. Spreadsheets -----------------------------------------------------------------------------------

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                 'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
                 '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override '
                 'PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'spreadsheetml.sharedStrings+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Liste" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
                 'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"'
                 ' Target="sharedStrings.xml"/></Relationships>')
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


def xlsx(sheet_parts, shared_parts) -> bytes:
    """An .xlsx whose sheet and shared strings are written from iterables of text (streamed, deflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, parts in (("xl/worksheets/sheet1.xml", sheet_parts), ("xl/sharedStrings.xml", shared_parts)):
            with archive.open(name, "w", force_zip64=True) as member:
                for part in parts:
                    member.write(part.encode())
    return buffer.getvalue()


def huge_shared_string(megabytes: int = 300) -> bytes:
    chunk = "A" * (1024 * 1024)
    shared = ['<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
              '2006/main" count="3" uniqueCount="3"><si><t>Nom</t></si><si><t>Prénom</t></si><si><t>',
              *([chunk] * megabytes), "</t></si></sst>"]
    sheet = [SHEET_HEAD, '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>',
             '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>2</v></c></row></sheetData></worksheet>']
    return xlsx(sheet, shared)


def million_cells(cells: int = 3_000_000, columns: int = 30, cell: str = "<c><v>1</v></c>") -> bytes:
    shared = ['<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
              '2006/main" count="2" uniqueCount="2"><si><t>Nom</t></si><si><t>Prénom</t></si></sst>']

    def rows():
        yield SHEET_HEAD + '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>'
        row = "<row>" + cell * columns + "</row>"
        for _ in range(cells // columns):
            yield row
        yield "</sheetData></worksheet>"
    return xlsx(rows(), shared)


def largest_list(people: int = 20_000) -> bytes:
    """A real list at the bounds: 20,000 people in ten columns (inline strings, as LibreOffice writes)."""
    shared = ['<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
              '2006/main" count="0" uniqueCount="0"></sst>']
    header = ["Nom", "Prénom", "Téléphone", "Orienté par", "Structure", "Date d'entrée", "Personnes au foyer",
              "Épicerie jusqu'au", "Note", "Autre"]

    def row(values):
        return "<row>" + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values) + "</row>"

    def rows():
        yield SHEET_HEAD + row(header)
        for n in range(people):
            yield row([f"Nom{n}", f"Prénom{n}", "06 12 34 56 78", "Mme Briand", "CCAS", "01/09/2026", "3",
                       "", "", ""])
        yield "</sheetData></worksheet>"
    return xlsx(rows(), shared)


def upload_peak(box: Box, coordinator: requests.Session, name: str, data: bytes) -> dict:
    pid = box.worker_pid()
    before = memory_kb(pid)
    peak_reset = reset_peak(pid)
    before_peak = memory_kb(pid)["VmHWM"]
    samples, stop = [], threading.Event()

    def watch():
        while not stop.is_set():
            samples.append(memory_kb(pid)["VmRSS"])
            stop.wait(0.05)

    health = []

    def probe():
        while not stop.is_set():
            started = time.monotonic()
            try:
                requests.get(box.url + "/healthz", timeout=10)
            except requests.RequestException:
                pass
            health.append((time.monotonic() - started) * 1000)
            stop.wait(0.25)

    watchers = [threading.Thread(target=watch, daemon=True), threading.Thread(target=probe, daemon=True)]
    for thread in watchers:
        thread.start()
    token = csrf_of(coordinator, box.url + "/participants/import")
    started = time.monotonic()
    answer = coordinator.post(box.url + "/participants/import", data={"csrf_token": token},
                              files={"file": (name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
                              timeout=300)
    seconds = time.monotonic() - started
    stop.set()
    for thread in watchers:
        thread.join(5)
    after = memory_kb(pid)
    message = re.findall(r'class="field-error"[^>]*>([^<]+)<', answer.text)
    return {"file": name, "file_kb": round(len(data) / 1024), "status": answer.status_code,
            "message": message[:1], "seconds": round(seconds, 2),
            "rss_before_mb": round(before["VmRSS"] / 1024, 1),
            "rss_peak_mb": round((after["VmHWM"] if peak_reset else max(samples + [before_peak])) / 1024, 1),
            "rss_peak_sampled_mb": round(max(samples or [0]) / 1024, 1),
            "rss_after_mb": round(after["VmRSS"] / 1024, 1),
            "healthz_max_ms_meanwhile": round(max(health or [0]), 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slow-clients", type=int, default=30)
    parser.add_argument("--slow-seconds", type=float, default=20)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="attack-figures-"))
    box = Box(folder)
    figures = {}
    try:
        print("1. slow clients…", file=sys.stderr)
        figures["slow_body"] = healthz_under_slow_clients(box, args.slow_clients, args.slow_seconds, head_only=False)
        figures["slow_head"] = healthz_under_slow_clients(box, args.slow_clients, args.slow_seconds, head_only=True)
        print("2. lone surrogates, Unicode digits…", file=sys.stderr)
        sessions = {role: session_for(box, username, password) for role, username, password in
                    [("coordinator", "coordination", "cepourmoi-coord"), ("volunteer", "benevole", "cepourmoi-benevole"),
                     ("referent", "referente", "cepourmoi-referente")]}
        sessions["kiosk"] = device_session(box, "kiosk")
        sessions["tablet"] = device_session(box, "tablet")
        sessions["anonymous"] = requests.Session()
        figures["errors"] = count_500s(box, sessions)
        print("3. the worst spreadsheets…", file=sys.stderr)
        figures["uploads"] = [upload_peak(box, sessions["coordinator"], "une-chaine-de-300-Mo.xlsx", huge_shared_string()),
                              upload_peak(box, sessions["coordinator"], "3-millions-de-cellules.xlsx", million_cells()),
                              # Just under the bound on the expanded size: the bounds on cells, text and time.
                              upload_peak(box, sessions["coordinator"], "une-chaine-de-38-Mo.xlsx", huge_shared_string(38)),
                              upload_peak(box, sessions["coordinator"], "3-millions-de-cellules-vides.xlsx",
                                          million_cells(3_000_000, 100, "<c/>")),
                              # What a real list may be at most: read whole, its preview shown.
                              upload_peak(box, sessions["coordinator"], "20000-personnes.xlsx", largest_list())]
        log = (folder / "server.log").read_text()
        figures["server_tracebacks"] = log.count("Traceback")
    finally:
        box.stop()
    text = json.dumps(figures, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    if figures.get("server_tracebacks") == 0:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        print(f"server log kept in {folder / 'server.log'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
