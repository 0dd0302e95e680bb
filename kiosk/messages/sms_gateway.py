"""SMS Gateway for Android (capcom6/android-sms-gateway) in local-server mode: an Android phone on
the centre's Wi-Fi that sends SMS through its SIM, over its documented HTTP API.

- send: `POST /message` with basic auth and `{"id", "textMessage": {"text"}, "phoneNumbers"}`;
  any 2xx means accepted. Our `id` is the outbox row's idempotency key, so the phone keeps it.
- lookup: `GET /message/{id}` answers the message's state (Pending, Processed, Sent, Delivered,
  Failed), or 404 when the phone never received it.
- incoming SMS ("STOP"): the app posts `sms:received` webhooks to the box (kiosk/messages/views.py).
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
from urllib.parse import quote, unquote, urlsplit

from kiosk.messages.gateway_errors import UNKNOWN, Accepted, GatewayError, GatewayRefused


class AndroidGateway:
    name = "android"

    def __init__(self, url: str, timeout: float):
        parts = urlsplit(url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.https else 80)
        self.base = parts.path.rstrip("/")
        credentials = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
        self.auth = "Basic " + base64.b64encode(credentials.encode()).decode()
        self.timeout = timeout

    def _request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        connection = kind(self.host, self.port, timeout=self.timeout)
        headers = {"Authorization": self.auth, "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            connection.request(method, self.base + path, body=payload, headers=headers)
            response = connection.getresponse()
            return response.status, response.read(65536)
        except (socket.timeout, TimeoutError) as exc:
            raise GatewayError(f"le téléphone n'a pas répondu en {self.timeout:g} s") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise GatewayError(f"téléphone injoignable ({exc.__class__.__name__})") from exc
        finally:
            connection.close()

    def send(self, key: str, phone: str, text: str) -> Accepted:
        """Hand one SMS to the phone under our id; Accepted on any 2xx."""
        status, body = self._request("POST", "/message", {
            "id": key, "textMessage": {"text": text}, "phoneNumbers": [phone], "withDeliveryReport": True,
        })
        if 200 <= status < 300:
            answer = _json(body)
            return Accepted(str(answer.get("id") or key)[:80], _state(answer))
        if status == 409:  # a message of this id is already on the phone: it was accepted before
            return Accepted(key, None)
        if status == 401:
            raise GatewayError("le téléphone refuse l'identifiant ou le mot de passe (401)")
        if 400 <= status < 500 and status not in (408, 429):
            raise GatewayRefused(f"le téléphone refuse ce message ({status})")
        raise GatewayError(f"le téléphone répond {status}")

    def lookup(self, key: str) -> str | None:
        """The phone's state of our message, UNKNOWN when it never received it; GatewayError if it cannot say."""
        status, body = self._request("GET", "/message/" + quote(key, safe=""))
        if status == 404:
            return UNKNOWN
        if 200 <= status < 300:
            return _state(_json(body)) or "Pending"
        raise GatewayError(f"le téléphone répond {status} à la question de l'état")


def _json(body: bytes) -> dict:
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return answer if isinstance(answer, dict) else {}


def _state(answer: dict) -> str | None:
    state = answer.get("state")
    return state[:20] if isinstance(state, str) and state else None
