"""Debian's nginx, configured as `kiosk box install` writes it, started for real in front of the real
`kiosk serve --unix`: slow clients, oversize requests, static files, and the app stopped."""

import gzip
import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import threading
import time
import warnings
from pathlib import Path

import pytest
import requests

from kiosk import PACKAGE_DIR
from kiosk.box.front import start_throwaway_front
from tests.browser.conftest import KIOSK_BIN, free_port

STATIC = PACKAGE_DIR.parent / "static"


class Front:
    """`kiosk serve --unix` (two threads only) and nginx before it on two loopback ports."""

    def __init__(self, tmp_path: Path, database_url: str):
        self.socket = str(tmp_path / "app.sock")
        self.https_port, self.http_port = free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.https_port}"
        env = {**os.environ, "KIOSK_DATABASE_URL": database_url, "KIOSK_SECRET_KEY": "test-secret-key",
               "KIOSK_INSTANCE_PATH": str(tmp_path / "instance")}
        self.app = subprocess.Popen([str(KIOSK_BIN), "serve", "--unix", self.socket, "--threads", "2"], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.nginx = start_throwaway_front(tmp_path / "front", STATIC, self.socket, tmp_path / "instance",
                                           self.https_port, self.http_port)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("nginx or the app did not answer: "
                           + (tmp_path / "front/nginx/stderr.log").read_text(errors="replace"))

    def get(self, path, **kwargs):
        with warnings.catch_warnings():  # the box's own authority, not trusted by this client
            warnings.simplefilter("ignore")
            return requests.get(self.url + path, verify=False, **kwargs)

    def raw(self, head: bytes) -> tuple[int, dict, bytes]:
        """Send a request's head as it is (no body) and read nginx's answer."""
        context = ssl._create_unverified_context()
        connection = http.client.HTTPSConnection("127.0.0.1", self.https_port, context=context, timeout=10)
        connection.connect()
        connection.sock.sendall(head)
        response = http.client.HTTPResponse(connection.sock)
        response.begin()
        body = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), body

    def stop_app(self):
        if self.app.poll() is None:
            os.killpg(self.app.pid, signal.SIGTERM)
            self.app.wait(timeout=20)

    def stop(self):
        self.stop_app()
        if self.nginx.poll() is None:
            self.nginx.terminate()
            self.nginx.wait(timeout=20)


@pytest.fixture
def front(tmp_path, database_url):
    server = Front(tmp_path, database_url)
    yield server
    server.stop()


def assert_json_error(status, headers, body, expected):
    assert status == expected
    assert headers["Content-Type"].startswith("application/json")
    assert isinstance(json.loads(body)["error"], str) and json.loads(body)["error"]


def test_slow_clients_do_not_stop_healthz(front):
    """A dozen clients sending their bodies a byte a second (more than the app's two threads): does
    /healthz still answer within the contract's 2 s, because nginx, not the app, waits for them?"""
    stop = threading.Event()

    def trickle():
        context = ssl._create_unverified_context()
        with socket.create_connection(("127.0.0.1", front.https_port)) as raw:
            with context.wrap_socket(raw) as tls:
                tls.sendall(b"POST /api/checkins HTTP/1.1\r\nHost: box\r\nContent-Type: application/json\r\n"
                            b"Content-Length: 100\r\n\r\n")
                while not stop.wait(1):
                    tls.sendall(b" ")

    slow = [threading.Thread(target=trickle, daemon=True) for _ in range(12)]
    for thread in slow:
        thread.start()
    try:
        time.sleep(2)
        for _ in range(5):
            answer = front.get("/healthz", timeout=2)
            assert answer.status_code == 200 and answer.json() == {"status": "ok"}
    finally:
        stop.set()


def test_oversize_body_under_api_is_json_413(front):
    """A body over the limit: does nginx itself answer the contract's JSON 413, before reading it?"""
    status, headers, body = front.raw(b"POST /api/checkins HTTP/1.1\r\nHost: box\r\nContent-Type: application/json\r\n"
                                      b"Content-Length: 20000000\r\nConnection: close\r\n\r\n")
    assert_json_error(status, headers, body, 413)


def test_long_uri_is_json_414_and_big_headers_json_431(front):
    """An over-long URI (414) and an over-large header (431): JSON too?"""
    status, headers, body = front.raw(b"GET /api/days/" + b"x" * 10_000 + b" HTTP/1.1\r\nHost: box\r\n"
                                      b"Connection: close\r\n\r\n")
    assert_json_error(status, headers, body, 414)
    status, headers, body = front.raw(b"GET /api/days/2025-01-02 HTTP/1.1\r\nHost: box\r\nX-Big: " + b"a" * 9000
                                      + b"\r\nConnection: close\r\n\r\n")
    assert_json_error(status, headers, body, 431)


def test_static_files_precompressed_and_cached_a_year(front):
    """The kiosk's WebAssembly decoder as the page names it: sent gzipped (the .gz made at install),
    kept a year, and the same bytes once unpacked? Unversioned URLs are checked each time."""
    wasm = STATIC / "vendor/zxing-wasm/zxing_reader.wasm"
    answer = front.get("/static/vendor/zxing-wasm/zxing_reader.wasm?v=abc", headers={"Accept-Encoding": "gzip"},
                       stream=True)
    packed = answer.raw.read()
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in answer.headers["Cache-Control"]
    assert len(packed) < wasm.stat().st_size / 2 and gzip.decompress(packed) == wasm.read_bytes()
    assert front.get("/static/css/kiosk.css").headers["Cache-Control"] == "no-cache"


def test_plain_http_is_redirected_and_the_app_knows_it_is_https(front):
    """Is plain HTTP sent to HTTPS (same path), and does the app, behind nginx, see HTTPS (HSTS)?"""
    answer = requests.get(f"http://127.0.0.1:{front.http_port}/kiosk?x=1", allow_redirects=False, timeout=5)
    assert answer.status_code == 308
    assert answer.headers["Location"] == f"https://127.0.0.1:{front.https_port}/kiosk?x=1"
    assert "max-age" in front.get("/healthz").headers["Strict-Transport-Security"]
    own = front.get("/api/days/2025-01-02")  # the app's own error passes through as it is
    assert own.status_code == 401 and own.headers["Content-Type"].startswith("application/json")


def test_app_stopped_gives_json_502_under_api(front):
    """With the app's server stopped, is /api/ answered in JSON 502, and a page in French HTML?"""
    front.stop_app()
    answer = front.get("/api/days/2025-01-02")
    assert_json_error(answer.status_code, answer.headers, answer.content, 502)
    page = front.get("/dashboard")
    assert page.status_code == 502 and "redémarre" in page.text and page.headers["Content-Type"].startswith("text/html")
