"""A real HTTP server on loopback that speaks SMS Gateway for Android's local API (the part we use):
`POST /message` (or `/messages`) with basic auth and `textMessage.text` or `message` plus
`phoneNumbers`, answering 202 with the message's state; `GET /message/{id}` (404 when unknown).
It records what it receives, fails on demand, hangs on demand, and goes down and up."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakePhone:
    def __init__(self, username: str = "sms", password: str = "secret"):
        self.username, self.password = username, password
        self.received: list[dict] = []  # every message accepted (or swallowed by a hang)
        self.mode = "ok"  # ok | fail | garbage | hang | refuse
        self.hang_release = threading.Event()
        self.got_request = threading.Event()
        self.port = 0
        self.server: ThreadingHTTPServer | None = None
        self.up()

    @property
    def url(self) -> str:
        return f"http://{self.username}:{self.password}@127.0.0.1:{self.port}"

    def up(self) -> None:
        phone = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: bytes, kind: str = "application/json"):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _authorised(self) -> bool:
                expected = base64.b64encode(f"{phone.username}:{phone.password}".encode()).decode()
                return self.headers.get("Authorization") == f"Basic {expected}"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not self._authorised():
                    return self._answer(401, b'{"message":"unauthorized"}')
                if self.path not in ("/message", "/messages"):
                    return self._answer(404, b"{}")
                if phone.mode == "fail":
                    return self._answer(500, b'{"message":"modem busy"}')
                if phone.mode == "garbage":
                    return self._answer(502, b"<html>\x00\xff nonsense")
                data = json.loads(body)
                text = (data.get("textMessage") or {}).get("text") or data.get("message")
                if not text or not data.get("phoneNumbers"):
                    return self._answer(400, b'{"message":"bad request"}')
                ident = data.get("id") or f"gen{len(phone.received)}"
                if any(m["id"] == ident for m in phone.received):
                    return self._answer(409, b'{"message":"duplicate id"}')
                phone.received.append({"id": ident, "text": text, "phoneNumbers": data["phoneNumbers"]})
                phone.got_request.set()
                if phone.mode == "hang":
                    phone.hang_release.wait(30)
                answer = {"id": ident, "state": "Pending",
                          "recipients": [{"phoneNumber": n, "state": "Pending"} for n in data["phoneNumbers"]]}
                self._answer(202, json.dumps(answer).encode())

            def do_GET(self):
                if not self._authorised():
                    return self._answer(401, b"{}")
                if not self.path.startswith("/message/"):
                    return self._answer(404, b"{}")
                ident = self.path.removeprefix("/message/")
                if phone.mode in ("fail", "garbage"):
                    return self._answer(500, b"{}")
                for message in phone.received:
                    if message["id"] == ident:
                        return self._answer(200, json.dumps({"id": ident, "state": "Delivered", "recipients": []}).encode())
                self._answer(404, b'{"message":"not found"}')

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self.server is not None:
            self.hang_release.set()
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def texts_to(self, number: str) -> list[str]:
        return [m["text"] for m in self.received if number in m["phoneNumbers"]]
