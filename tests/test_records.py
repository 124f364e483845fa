"""How the API speaks stored times (graphsvc/store/records.py): `iso` keeps the times it formatted,
and what it answers from them must be what formatting answers, for any time, every time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphsvc.store import records
from graphsvc.store.records import iso, iso_times

# 1900-01-01 .. 2200-01-01: every time an account, an activity or a due date can have.
TIMES = st.floats(min_value=-2_208_988_800, max_value=7_258_118_400, allow_nan=False)


def formatted(ts: float) -> str:
    return datetime.fromtimestamp(float(ts), tz=UTC).isoformat().replace("+00:00", "Z")


@pytest.fixture(autouse=True)
def _empty_cache():
    records._iso.cache_clear()  # each test sees what it put in the cache, not another test's
    yield


@pytest.mark.parametrize(("first", "then"), [
    (5.0, 5.25), (1.0, -1.0), (1.0001, 1.0002), (1764700000.0, 1764700000.000001), (0.5, -0.5),
    (86400.0, 86400.001), (1e9, 1e9 + 1e-6), (-2208988800.0, -2208988799.999),
])
def test_a_kept_time_is_never_answered_for_a_close_one(first: float, then: float) -> None:
    # Times that a cache keyed too coarsely (whole seconds, milliseconds, the absolute value) would mix up.
    assert iso(first) == formatted(first)
    assert iso(then) == formatted(then) != iso(first)
    assert iso(first) == formatted(first)


@given(TIMES)
def test_a_kept_time_is_the_formatted_time(ts: float) -> None:
    first = iso(ts)
    assert first == formatted(ts)
    assert iso(ts) == first  # the second answer comes from the cache


@given(st.integers(min_value=-2_208_988_800, max_value=7_258_118_400))
def test_whole_seconds_as_int_or_float_read_alike(ts: int) -> None:
    # 5 and 5.0 share a cache entry; they must, and do, format alike.
    assert iso(ts) == iso(float(ts)) == formatted(ts)


def test_known_times() -> None:
    assert iso(None) is None
    assert iso(0) == "1970-01-01T00:00:00Z"
    assert iso(1764700000.2711) == "2025-12-02T18:26:40.271100Z"
    assert iso(-1.5) == "1969-12-31T23:59:58.500000Z"
    assert iso_times({"at": 0, "n": 3, "nested": [{"due_at": 86400.0}]}) == {
        "at": "1970-01-01T00:00:00Z", "n": 3, "nested": [{"due_at": "1970-01-02T00:00:00Z"}]}


@pytest.mark.parametrize("bad", [float("nan"), 1e20, float("inf")])
def test_a_time_no_calendar_holds_raises_every_time(bad: float) -> None:
    # An error is not kept: each call raises as formatting does.
    for _ in range(2):
        with pytest.raises((ValueError, OverflowError, OSError)):
            iso(bad)
