"""gunicorn's threaded worker, made to read each request whole before a thread is given to it.

gunicorn's gthread worker hands a connection to a thread as soon as its first byte arrives; the
thread then blocks on the socket until the request is complete. Nine clients sending a body one
byte a second took every thread and froze every screen. This worker reads requests in its main
loop instead, without blocking, as nginx does in front of an application server: a thread only ever
sees a request already in memory. A request must arrive within bounded times (its head, then the
whole), within bounded sizes, and the errors given here (400, 408, 413, 431, 503) are JSON under
/api/ as CONTRACT.md asks, as are those gunicorn's parser gives (400, 414, 431).
"""

import errno
import json
import selectors
import ssl
import threading
import time
from collections import deque
from functools import partial

from gunicorn import http, sock as gsock
from gunicorn import util
from gunicorn.workers.gthread import TConn, ThreadWorker

HEAD_LIMIT = 64 * 1024           # request line and headers together
BODY_LIMIT = 16 * 1024 * 1024    # the app refuses above its own MAX_CONTENT_LENGTH (8 MB) with its 413
BUFFERED_LIMIT = 96 * 1024 * 1024  # all requests being read at once, so slow uploads cannot eat the memory
REASONS = {400: "Bad Request", 408: "Request Timeout", 413: "Content Too Large", 414: "URI Too Long",
           431: "Request Header Fields Too Large", 503: "Service Unavailable"}
# The messages a person may read; the app is not there to translate them, so they are in French.
MESSAGES = {
    400: "Ce qui a été envoyé n'est pas compris.",
    408: "La demande est arrivée trop lentement. Réessayez.",
    413: "Ce qui a été envoyé est trop gros.",
    414: "L'adresse demandée est trop longue.",
    431: "Les en-têtes de la demande sont trop gros.",
    503: "Le serveur est occupé, réessayez dans un instant.",
}
_handling = threading.local()  # the raw head a thread is serving, for handle_error


def error_bytes(status: int, head: bytes | None) -> bytes:
    """A complete HTTP answer for an error: JSON under /api/, a short French page elsewhere."""
    message = MESSAGES.get(status, MESSAGES[400])
    if is_api(head):
        body, kind = json.dumps({"error": message}, ensure_ascii=False).encode(), "application/json"
    else:
        body = f"<!doctype html><html lang=fr><meta charset=utf-8><title>{status}</title><p>{message}</p>".encode()
        kind = "text/html; charset=utf-8"
    return (f"HTTP/1.1 {status} {REASONS.get(status, 'Bad Request')}\r\nConnection: close\r\n"
            f"Content-Type: {kind}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def is_api(head: bytes | None) -> bool:
    """Whether a raw request's target is under /api/ (also for a head too long to parse)."""
    if not head:
        return False
    parts = head[:4096].split(b" ", 2)
    return len(parts) > 1 and (parts[1].startswith(b"/api/") or b"://" in parts[1] and b"/api/" in parts[1][:300])


def request_state(data: bytearray) -> int | None | bool:
    """True when `data` holds a whole request, False when more is to come, or an error status."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        if len(data) > HEAD_LIMIT:
            return 414 if data.find(b"\r\n") < 0 else 431
        return False
    if end > HEAD_LIMIT:
        return 431
    fields = {}
    for line in bytes(data[:end]).split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        fields[name.strip().lower()] = value.strip()
    if b"chunked" in fields.get(b"transfer-encoding", b"").lower():
        return chunked_complete(data, end + 4)
    length = fields.get(b"content-length", b"0") or b"0"
    if not (length.isascii() and length.isdigit()):
        return True  # gunicorn's parser answers 400 for it
    if int(length) > BODY_LIMIT:
        return 413
    return len(data) >= end + 4 + int(length)


def chunked_complete(data: bytearray, position: int) -> int | bool:
    """Whether a chunked body starting at `position` has arrived to its last chunk and trailers."""
    while True:
        line_end = data.find(b"\r\n", position)
        if line_end < 0:
            return False
        size_text = bytes(data[position:line_end]).split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return True  # gunicorn's parser answers 400 for it
        if size > BODY_LIMIT:
            return 413
        if size == 0:
            return data.find(b"\r\n\r\n", line_end) >= 0 or data[line_end:line_end + 4] == b"\r\n\r\n"
        position = line_end + 2 + size + 2
        if position > len(data):
            return False


class KioskWorker(ThreadWorker):
    """gthread, with each request read whole in the main loop before a thread serves it."""

    head_seconds = 10.0
    request_seconds = 120.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reading = deque()
        self.buffered = 0
        self.ssl_context = None

    def accept(self, listener):
        """Accept a connection and start reading its first request (no thread yet)."""
        try:
            client_sock, client_addr = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, client_sock, client_addr, listener.getsockname())
        if self.cfg.is_ssl:
            if self.ssl_context is None:
                self.ssl_context = gsock.ssl_context(self.cfg)
            conn.sock = self.ssl_context.wrap_socket(
                client_sock, server_side=True, do_handshake_on_connect=False,
                suppress_ragged_eofs=self.cfg.suppress_ragged_eofs)
            conn.handshaking = True
        self.start_reading(conn, b"")

    def on_client_socket_readable(self, conn, client):
        """A kept-alive connection has more to say: read its next request in the main loop too."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self.start_reading(conn, b"")

    def start_reading(self, conn, already: bytes):
        conn.inbox = bytearray(already)
        now = time.monotonic()
        conn.head_deadline, conn.deadline = now + self.head_seconds, now + self.request_seconds
        conn.sock.setblocking(False)
        self.buffered += len(already)
        self.reading.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_readable, conn))
        if already:
            self.on_readable(conn, conn.sock)

    def stop_reading(self, conn):
        self.reading.remove(conn)
        self.buffered -= len(conn.inbox)
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass

    def on_readable(self, conn, _fileobj):
        """Take what has arrived; once the request is whole, give it to a thread."""
        try:
            if getattr(conn, "handshaking", False):
                conn.sock.do_handshake()
                conn.handshaking = False
            received = self.receive(conn)
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return
        except (OSError, ssl.SSLError):
            self.drop(conn)
            return
        if received is None:
            self.drop(conn)
            return
        state = request_state(conn.inbox) if self.buffered <= BUFFERED_LIMIT else 503
        if state is True:
            self.stop_reading(conn)
            self.hand_to_thread(conn)
        elif state:
            self.refuse(conn, state)

    def receive(self, conn) -> int | None:
        """Read what the socket holds now; None when the client has gone."""
        total = 0
        while True:
            try:
                data = conn.sock.recv(65536)
            except (BlockingIOError, ssl.SSLWantReadError):
                return total
            if not data:
                return None
            conn.inbox += data
            self.buffered += len(data)
            total += len(data)
            if len(conn.inbox) > HEAD_LIMIT + BODY_LIMIT:
                return total

    def hand_to_thread(self, conn):
        """The whole request is in memory: the parser reads it from there, never from the network."""
        if conn.parser is None:
            conn.parser = http.get_parser(self.cfg, conn.sock, conn.client)
            conn.initialized = True
        conn.head = bytes(conn.inbox[:HEAD_LIMIT])
        conn.parser.unreader.unread(bytes(conn.inbox))
        conn.inbox = bytearray()
        conn.data_ready = True
        self.enqueue_req(conn)

    def refuse(self, conn, status: int):
        """Answer an error ourselves and close."""
        head = bytes(conn.inbox[:HEAD_LIMIT])
        self.stop_reading(conn)
        try:
            conn.sock.setblocking(True)
            conn.sock.settimeout(2)
            conn.sock.sendall(error_bytes(status, head))
        except (OSError, ssl.SSLError):
            pass
        self.log.warning("Refused a request from %s: %s", conn.client[0] if conn.client else "?", status)
        self.nr_conns -= 1
        conn.close()

    def drop(self, conn):
        self.stop_reading(conn)
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self):
        """Refuse the requests that take too long to arrive (408), then gunicorn's own clean-up."""
        super().murder_pending()
        now = time.monotonic()
        for conn in list(self.reading):
            head_done = conn.inbox.find(b"\r\n\r\n") >= 0
            if not self.alive:
                self.drop(conn)  # stopping: a request still arriving is not waited for
            elif now > conn.deadline or (not head_done and now > conn.head_deadline):
                if conn.inbox:
                    self.refuse(conn, 408)
                else:
                    self.drop(conn)

    def finish_request(self, conn, fs):
        """After a request: bytes read ahead (a pipelined request) are read whole in the main loop too."""
        pending = b""
        if not fs.cancelled() and fs.done() and fs.exception() is None and fs.result() and self.alive:
            pending = conn.parser.unreader.take_buffered()
        if pending:
            self.start_reading(conn, pending)
            return
        super().finish_request(conn, fs)

    def handle(self, conn):
        """Serve a request already in memory (gunicorn's handler), remembering its head for errors."""
        _handling.head = getattr(conn, "head", None)
        try:
            return super().handle(conn)
        finally:
            _handling.head = None

    def handle_error(self, req, client, addr, exc):
        """gunicorn's own errors (400, 414, 431...) as JSON under /api/; the rest as gunicorn does."""
        head = getattr(_handling, "head", None)
        if not is_api(head):
            return super().handle_error(req, client, addr, exc)
        status = 400
        server_fault = False
        if isinstance(exc, http.errors.LimitRequestLine):
            status = 414
        elif isinstance(exc, http.errors.LimitRequestHeaders):
            status = 431
        else:
            server_fault = isinstance(exc, (http.errors.InvalidResponseHeader, http.errors.InvalidResponseHeaderName))
        if server_fault or not isinstance(exc, (http.errors.ParseException, ssl.SSLError)):
            self.log.exception("Error handling request")
            body = json.dumps({"error": "Un problème est survenu. Réessayez ; sinon prévenez la coordination."},
                              ensure_ascii=False).encode()
            data = (b"HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Type: application/json"
                    b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            self._send(client, data)
            return
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("?",))[0], exc)
        self._send(client, error_bytes(status, head))

    @staticmethod
    def _send(client, data: bytes):
        try:
            util.write_nonblock(client, data)
        except Exception:  # the client has gone: nothing to answer
            pass
