"""How webhook requests are signed, and how a receiver verifies them (the scheme in the README).

Every request carries

    X-Graphsvc-Event-Id:  the event id (de-duplicate by it: delivery is at least once)
    X-Graphsvc-Timestamp: unix seconds when this attempt was signed
    X-Graphsvc-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the webhook's secret>

A receiver recomputes the HMAC over the timestamp and the raw body bytes it received, compares in
constant time, and refuses a timestamp further than its tolerance (300 s here) from its clock: a
captured request replayed later fails, and one edited in transit fails. The timestamp is inside
the signed text, so it cannot be moved forward without the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

SECRET_PREFIX = "whsec_"
TOLERANCE_S = 300.0
EVENT_ID = "X-Graphsvc-Event-Id"
TIMESTAMP = "X-Graphsvc-Timestamp"
SIGNATURE = "X-Graphsvc-Signature"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def headers(secret: str, event_id: int, timestamp: int, body: bytes) -> dict[str, str]:
    return {EVENT_ID: str(event_id), TIMESTAMP: str(timestamp), SIGNATURE: signature(secret, timestamp, body),
            "Content-Type": "application/json"}


def verify(secret: str, body: bytes, received: Mapping[str, str], now: float, tolerance_s: float = TOLERANCE_S) -> bool:
    """What a receiver does (header names case-insensitively): True only for an untampered request
    signed with `secret` within `tolerance_s` of `now`."""
    lower = {k.lower(): v for k, v in received.items()}
    try:
        timestamp = int(lower[TIMESTAMP.lower()])
        given = lower[SIGNATURE.lower()]
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance_s:
        return False
    return hmac.compare_digest(given, signature(secret, timestamp, body))
