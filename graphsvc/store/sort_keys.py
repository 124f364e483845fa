"""The board's sort keys (issue 10): one integer per sort, kept on each Account by every statement
that writes what it sorts, so that a page of the board by fit, time in stage or name is one range of
one index on both engines. FalkorDB's range index honours both bounds of a numeric range but only a
lower bound of a string range and hands over every entry in the range (no ordered read); a tie group
at a page's floor (at 100k accounts 15k-29k share a fit, 12,639 the oldest stage_since) was read and
sorted whole on every page (docs/benchmarks.md, "Sort keys that carry their tie-breaker").

* `seq`: the account's creation number (`AccountSeq`, taken by ingest/upsert_accounts; the store's
  start numbers older accounts in id order, so their ties keep the order they had). The tie-breaker,
  modulo 2^22: past 4,194,304 accounts created, ties of later ones go by the wrapped number (still
  one order, the same in every read), and equal keys by id.
* `fit_key = floor(fit x 10^4) x 2^22 + seq mod 2^22` (a missing fit counts as 0): by fit, ties by seq.
* `since_key = clamp(floor((stage_since - 2020-01-01) in ms)) x 2^22 + seq mod 2^22`: by time in
  stage, ties by seq. Milliseconds within +-2^40 (1985-2054), clamped beyond, so that every key and
  the bounds +-2^62 (board.py) are within a signed 64-bit integer. Above 2^53 (today's keys are
  ~2^59.5) a double cannot hold every key: if FalkorDB's index keeps doubles, a range may hand over
  up to a few hundred more accounts than it bounds, never fewer (rounding keeps the order), and the
  statements order the exact integers.
* `name_key`: the first 6 bytes of the name's UTF-8 (zero-padded) as a number: a ceiling on it is an
  index range, the name itself is then compared exactly, so the name's order is unchanged. UTF-8 byte
  order is code point order, the order both engines compared stored names in
  (tests/test_board_keys.py, names from beyond U+FFFF and just below it among them; Java compares
  UTF-16 strings otherwise, so a Neo4j that did would order those few names differently here).

The Cypher statements compute fit_key and since_key themselves with the expressions below (FIT_KEY,
SINCE_KEY, spelled out in each: Cypher has no functions of ours); name_key is computed here, by
the caller of the statements that write a name. The Python mirrors are for the tests and the docs.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["EPOCH", "FIT_KEY", "FIT_SCALE", "SINCE_CLAMP_MS", "SINCE_KEY", "TIE", "fit_key", "name_key", "since_key", "with_name_keys"]

TIE = 4_194_304  # 2^22 sequence numbers per value before ties wrap (they still sort, by id)
FIT_SCALE = 10_000  # fit in 0..100 -> 0..10^6: 20 bits, so fit_key < 2^42 (exact in a double)
EPOCH = 1_577_836_800.0  # 2020-01-01T00:00:00Z
SINCE_CLAMP_MS = 1_099_511_627_775  # 2^40 - 1 ms: |since_key| < 2^62

# The same in Cypher, made of the constants above ({fit}, {since}, {seq}: the statement's operands);
# tests/test_board_keys.py checks that every statement spells exactly these.
_MS = f"({{since}} - {EPOCH}) * 1000"
FIT_KEY = f"toInteger(floor(coalesce({{fit}}, 0) * {FIT_SCALE})) * {TIE} + {{seq}} % {TIE}"
SINCE_KEY = (f"CASE WHEN {{since}} IS NULL THEN null ELSE (CASE WHEN {_MS} > {SINCE_CLAMP_MS} THEN {SINCE_CLAMP_MS} "
             f"WHEN {_MS} < -{SINCE_CLAMP_MS} THEN -{SINCE_CLAMP_MS} ELSE toInteger(floor({_MS})) END) * {TIE} "
             f"+ {{seq}} % {TIE} END")


def fit_key(fit: float | None, seq: int) -> int:
    """What `fit_key` holds for this fit and creation number."""
    return math.floor((fit or 0) * FIT_SCALE) * TIE + seq % TIE


def since_key(since: float | None, seq: int) -> int | None:
    """What `since_key` holds for this stage_since (epoch seconds) and creation number."""
    if since is None:
        return None
    ms = (since - EPOCH) * 1000
    clamped = SINCE_CLAMP_MS if ms > SINCE_CLAMP_MS else -SINCE_CLAMP_MS if ms < -SINCE_CLAMP_MS else math.floor(ms)
    return clamped * TIE + seq % TIE


def name_key(name: Any) -> int | None:
    """The first 6 bytes of `name`'s UTF-8, zero-padded, as a number (48 bits: exact in a double, as
    FalkorDB's index keeps numbers); None for no name or one that is not a string."""
    if not isinstance(name, str):
        return None
    return int.from_bytes(name.encode("utf-8")[:6].ljust(6, b"\0"), "big")


def with_name_keys(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Account upsert rows ({id, props, ...}) with `name_key` beside every `name` in `props` (a null
    name: a null key, which removes it as the name is removed)."""
    out = []
    for r in rows:
        props = r.get("props") or {}
        out.append({**r, "props": {**props, "name_key": name_key(props["name"])}} if "name" in props else r)
    return out
