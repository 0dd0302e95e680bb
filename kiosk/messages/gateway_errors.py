"""What a gateway answers the sender: accepted, unknown, or why not (shared by every gateway)."""

from __future__ import annotations

from dataclasses import dataclass


class GatewayError(Exception):
    """The gateway could not take the message now (down, busy, garbage): try again later."""


class GatewayRefused(GatewayError):
    """The gateway refused this message for good (a number it will never take): do not retry."""


class NotConfigured(GatewayError):
    """No gateway is set: no SMS leaves the box."""


@dataclass(frozen=True)
class Accepted:
    gateway_id: str
    delivery_status: str | None


UNKNOWN = None  # lookup(): the gateway has never seen this id
