"""The marketing calendar of the six months before the anchor: webinars, trade shows and e-mail
sends (newsletters, nurture streams, invitations). Activities cluster around these events, which
is what gives the data its bursts.

The calendar depends only on (seed, as_of), so every account sees the same events.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate
from random import Random

from .catalog import INDUSTRIES, TRADE_SHOWS, WEBINAR_TOPICS
from .clock import DAY, HOUR, WINDOW_DAYS, day_start, weekday


@dataclass(frozen=True, slots=True)
class Event:
    at: int  # epoch seconds (start)
    campaign: str
    asset: str | None
    industries: tuple[str, ...]
    name: str
    days: int = 1


@dataclass(frozen=True, slots=True)
class Pick:
    """Events with cumulative weights, for rng.choices."""

    events: tuple[Event, ...]
    cum: tuple[float, ...]

    def choose(self, rng: Random) -> Event:
        # What rng.choices(events, cum_weights=cum)[0] does, without its overhead.
        return self.events[bisect_right(self.cum, rng.random() * self.cum[-1], 0, len(self.cum) - 1)]


def _pick(events: list[Event], weight) -> Pick | None:
    if not events:
        return None
    return Pick(tuple(events), tuple(accumulate(weight(e) for e in events)))


def _to_weekday(t: int, allowed=(1, 2, 3)) -> int:
    while weekday(t) not in allowed:
        t += DAY
    return t


class Calendar:
    def __init__(self, seed: int, as_of: int) -> None:
        rng = Random(f"graphsvc-seeds:{seed}:calendar:{as_of}")
        self.as_of = as_of
        self.start = start = day_start(as_of) - WINDOW_DAYS * DAY
        last_usable = as_of - 2 * DAY

        webinars: list[Event] = []
        t = start + rng.randint(3, 9) * DAY
        topics = list(WEBINAR_TOPICS)
        rng.shuffle(topics)
        k = 0
        while True:
            at = _to_weekday(day_start(t)) + rng.choice((9, 14, 15, 16)) * HOUR
            if at > last_usable:
                break
            slug, title, industry = topics[k % len(topics)]
            stamp = datetime.fromtimestamp(at, UTC).strftime("%Y%m%d")
            webinars.append(Event(at, f"webinar-{slug}-{stamp}", f"webinar-{slug}", (industry,), title))
            k += 1
            t = at + rng.randint(11, 20) * DAY
        self.webinars = webinars

        shows: list[Event] = []
        for frac, (slug, name, industries) in zip((0.14, 0.42, 0.68, 0.9), rng.sample(TRADE_SHOWS, 4)):
            at = _to_weekday(day_start(start + int(frac * WINDOW_DAYS * DAY) + rng.randint(-5, 5) * DAY)) + 8 * HOUR
            if at + 3 * DAY > last_usable:
                continue
            year = datetime.fromtimestamp(at, UTC).year
            shows.append(Event(at, f"ts-{slug}-{year}", None, industries, name, days=3))
        self.trade_shows = shows

        sends: list[Event] = []
        month = datetime.fromtimestamp(start, UTC).replace(day=6, hour=8, minute=0, second=0)
        while True:
            at = _to_weekday(int(month.timestamp()), (0, 1, 2, 3))  # 08:00 UTC
            if at > last_usable:
                break
            if at >= start:
                sends.append(Event(at, f"nl-{month:%Y-%m}", None, (), "Monthly newsletter"))
            month = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
        for n, industry in enumerate(INDUSTRIES):
            at = _to_weekday(start + (2 + 3 * n) * DAY, (1,)) + 9 * HOUR
            while at <= last_usable:
                stamp = datetime.fromtimestamp(at, UTC).strftime("%Y%m%d")
                sends.append(Event(at, f"nurture-{industry}-{stamp}", None, (industry,), "Nurture e-mail"))
                at += 14 * DAY
        for w in webinars:
            for before in (12, 3):
                at = w.at - before * DAY - 5 * HOUR
                if start <= at <= last_usable:
                    sends.append(Event(at, w.campaign, w.asset, w.industries, f"Invitation: {w.name}"))
        for s in shows:
            at = s.at - 18 * DAY
            if start <= at <= last_usable:
                sends.append(Event(at, s.campaign, None, s.industries, f"Invitation: {s.name}"))
        sends.sort(key=lambda e: (e.at, e.campaign))
        self.sends = sends

        recent_from = as_of - 60 * DAY
        old_until = as_of - 142 * DAY  # opens follow a send by up to two days
        self.sends_for = {}
        self.old_sends_for = {}
        self.recent_sends_for = {}
        self.webinars_for = {}
        self.shows_for = {}
        self.bursts_for = {}
        for industry in INDUSTRIES:
            def send_w(e: Event, ind=industry) -> float:
                if not e.industries:
                    return 3.0
                return 2.0 if ind in e.industries else 0.4
            self.sends_for[industry] = _pick(sends, send_w)
            self.old_sends_for[industry] = _pick([e for e in sends if e.at <= old_until], send_w)
            self.recent_sends_for[industry] = _pick([e for e in sends if e.at >= recent_from], send_w) \
                or self.sends_for[industry]
            self.webinars_for[industry] = _pick(webinars, lambda e, ind=industry: 4.0 if ind in e.industries else 1.0)
            self.shows_for[industry] = _pick(shows, lambda e, ind=industry: 4.0 if ind in e.industries else 0.5)
            self.bursts_for[industry] = _pick(
                webinars + shows, lambda e, ind=industry: 3.0 if ind in e.industries else 1.0)

    def campaigns(self) -> list[dict[str, str]]:
        """Every campaign id the calendar can put on an activity, with a name."""
        out: dict[str, str] = {}
        for e in self.webinars + self.trade_shows + self.sends:
            out.setdefault(e.campaign, e.name)
        return [{"id": k, "name": v} for k, v in out.items()]
