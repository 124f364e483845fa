"""Issue 12: the pure parts of webhook delivery: the retry schedule and the signature scheme."""

from __future__ import annotations

import pytest

from graphsvc.events import signing
from graphsvc.events.schedule import backoff_s


def test_backoff_doubles_is_capped_and_jittered_within_half_to_full():
    assert [backoff_s(n, rand=0.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 8.0]  # half of 2, 4, 8, 16
    assert [backoff_s(n, rand=0.999999) for n in (1, 2)] == pytest.approx([2.0, 4.0], rel=1e-5)
    assert backoff_s(30, rand=0.0) == 1800.0 and backoff_s(200, rand=0.0) == 1800.0  # capped at 3600 s
    assert backoff_s(3, base_s=10, cap_s=25, rand=0.5) == 25 * 0.75
    draws = {backoff_s(5) for _ in range(50)}
    assert len(draws) > 1 and all(16.0 <= d < 32.0 for d in draws)  # random jitter, within its band
    with pytest.raises(ValueError):
        backoff_s(0)


def test_a_receiver_can_verify_the_documented_scheme_by_hand():
    import hashlib
    import hmac

    body = b'{"id":7}'
    h = signing.headers("whsec_k", 7, 1_800_000_000, body)
    expected = hmac.new(b"whsec_k", b"1800000000." + body, hashlib.sha256).hexdigest()
    assert h == {"X-Graphsvc-Event-Id": "7", "X-Graphsvc-Timestamp": "1800000000",
                 "X-Graphsvc-Signature": f"v1={expected}", "Content-Type": "application/json"}
    lower = {k.lower(): v for k, v in h.items()}
    assert signing.verify("whsec_k", body, lower, now=1_800_000_000 - 299)
    assert not signing.verify("whsec_k", body, lower, now=1_800_000_000 - 301)
    assert not signing.verify("whsec_k", body, {**lower, "x-graphsvc-timestamp": "1800000001"}, now=1_800_000_000)
    assert not signing.verify("whsec_k", body, {}, now=1_800_000_000)
