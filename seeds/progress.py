"""Progress for long seed runs: a tqdm bar on a terminal, a plain line every few seconds otherwise.

Written to something that is not a terminal (a log file, CI), a bar's carriage returns would pile
every update into one line of hundreds of kilobytes; there we print one complete line (with a
newline) at most every `interval` seconds, and one at the end.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm

LOG_INTERVAL_S = 5.0


def is_terminal(stream: TextIO) -> bool:
    return bool(getattr(stream, "isatty", None) and stream.isatty())


class Progress:
    """Progress of one count towards an optional `total`.

    `update(done, **extra)` sets the count (absolute, not a delta) and shows `extra` after it
    (e.g. contacts=…, activities=…). `close(message)` ends the bar and prints `message`."""

    def __init__(self, desc: str, total: int | None = None, *, unit: str = "rows", stream: TextIO | None = None,
                 enabled: bool = True, interval: float = LOG_INTERVAL_S, tty: bool | None = None) -> None:
        self.desc, self.total, self.unit = desc, total, unit
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.interval = interval
        self.tty = is_terminal(self.stream) if tty is None else tty
        self.t0 = self.last = time.monotonic()
        self.done = 0
        self.extra: dict[str, int | str] = {}
        self.lines = 0  # lines written in log mode
        self._bar = (tqdm(total=total, desc=desc, unit=unit, unit_scale=True, file=self.stream, dynamic_ncols=True,
                          mininterval=0.25, leave=True)
                     if enabled and self.tty else None)

    def update(self, done: int, force: bool = False, **extra: int | str) -> None:
        if not self.enabled:
            return
        self.done, self.extra = done, extra
        if self._bar is not None:
            if extra:
                self._bar.set_postfix({k: f"{v:,}" if isinstance(v, int) else v for k, v in extra.items()},
                                      refresh=False)
            self._bar.update(done - self._bar.n)
            return
        now = time.monotonic()
        if force or now - self.last >= self.interval:
            self.last = now
            self._line(now, extra)

    def _line(self, now: float, extra: dict) -> None:
        took = now - self.t0
        of = f"/{self.total:,}" if self.total is not None else ""
        pct = f" ({100.0 * self.done / self.total:.0f}%)" if self.total else ""
        rate = self.done / took if took > 0 else 0.0
        more = "".join(f", {k} {v:,}" if isinstance(v, int) else f", {k} {v}" for k, v in extra.items())
        self.stream.write(f"{self.desc}: {self.done:,}{of} {self.unit}{pct}{more}, {rate:,.0f} {self.unit}/s, "
                          f"{took:.0f}s\n")
        self.stream.flush()
        self.lines += 1

    def close(self, message: str | None = None, **extra: int | str) -> None:
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        else:
            self._line(time.monotonic(), extra or self.extra)  # the final count, always
        if message:
            self.stream.write(message + "\n")
            self.stream.flush()


class LoadProgress:
    """A `graphsvc.loader.load` progress callback `(kind, rows done, seconds elapsed)`: one
    `Progress` per kind (accounts, contacts, leads, activities), closed when the next kind starts."""

    def __init__(self, totals: dict[str, int] | None = None, *, stream: TextIO | None = None,
                 enabled: bool = True, interval: float = LOG_INTERVAL_S, units: dict[str, str] | None = None) -> None:
        self.totals = totals or {}
        self.units = units or {}  # what a kind counts, when not rows (a requalification: accounts)
        self.stream, self.enabled, self.interval = stream, enabled, interval
        self.kind: str | None = None
        self.bar: Progress | None = None

    def __call__(self, kind: str, done: int, elapsed: float) -> None:
        if kind != self.kind:
            self.close()
            self.kind = kind
            self.bar = Progress(f"  {kind}", self.totals.get(kind), unit=self.units.get(kind, "rows"), stream=self.stream,
                                enabled=self.enabled, interval=self.interval)
        assert self.bar is not None
        self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
