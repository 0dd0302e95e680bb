"""The production server under strain: slow clients, and the errors it gives before the app sees a request."""

import json
import socket
import time

import pytest
import requests

from tests.browser.conftest import LiveServer

SLOW_CLIENTS = 16


@pytest.fixture
def server(tmp_path, database_url):
    """The real server, told (through its instance config) to wait 2 s at most for a request's head."""
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text("SERVER_HEAD_SECONDS = 2\n")
    live = LiveServer(tmp_path, database_url)
    yield live
    live.stop()


def open_slow_client(port: int, head: bytes) -> socket.socket:
    """A connection that has sent `head` and will send the rest one byte at a time."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(head)
    return sock


def send_one_byte_each(clients, byte=b"a") -> None:
    for sock in clients:
        try:
            sock.send(byte)
        except OSError:
            pass


@pytest.mark.parametrize("head", [
    b"POST /login HTTP/1.1\r\nHost: box\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: 100000\r\n\r\nu",
    b"GET /dashboard HTTP/1.1\r\nHost: box\r\nX-Slow: a",
], ids=["slow-body", "slow-headers"])
def test_healthz_keeps_answering_while_a_dozen_clients_send_one_byte_a_second(server, head):
    """Does /healthz answer within 2 s while 16 clients (more than the server's threads) trickle
    their request one byte a second?"""
    clients = [open_slow_client(server.port, head) for _ in range(SLOW_CLIENTS)]
    try:
        for _second in range(4):  # bounded: four rounds of one byte each
            send_one_byte_each(clients)
            time.sleep(1)
            answer = requests.get(server.url + "/healthz", timeout=2)
            assert answer.status_code == 200
        assert requests.get(server.url + "/login", timeout=2).status_code == 200
    finally:
        for sock in clients:
            sock.close()


def raw_request(port: int, data: bytes) -> tuple[int, dict, bytes]:
    """Send raw bytes; return the status, headers and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


@pytest.mark.parametrize("data, status", [
    (b"GET /api/stock?" + b"a" * 9000 + b" HTTP/1.1\r\nHost: box\r\n\r\n", 414),
    (b"GET /api/stock HTTP/1.1\r\nHost: box\r\n" + b"X-Big: " + b"a" * 70000 + b"\r\n\r\n", 431),
    (b"GET /api/stock HTTP/1.1\r\nHost: box\r\nX-Bad\x01Name: a\r\n\r\n", 400),
    (b"POST /api/checkins HTTP/1.1\r\nHost: box\r\nContent-Length: 900000000\r\n\r\n", 413),
], ids=["414", "431", "400", "413"])
def test_errors_the_server_gives_itself_under_api_are_json(server, data, status):
    """Is every error the server answers before the app sees an /api/ request the contract's JSON?"""
    code, headers, body = raw_request(server.port, data)
    assert code == status
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]


def test_a_request_that_never_ends_is_408_json_under_api(server):
    """Does a request whose head never ends get a 408 (JSON under /api/) rather than a thread forever?"""
    code, headers, body = raw_request(server.port, b"GET /api/stock HTTP/1.1\r\nHost: box\r\n")
    assert code == 408
    assert headers["content-type"].startswith("application/json")
