"""Activities of one generated account over the year before the anchor, and the opportunity (won,
lost or open) its evaluation episode led to, if any.

Each account is in one of five states that set how much it does and when:

* ``dormant``: a little e-mail and web traffic, all of it more than four months ago;
* ``cold``: mostly newsletter opens and the odd page view, spread evenly;
* ``aware``: some content and webinars;
* ``engaged``: more content, capability and pricing pages, picking up in the last two months;
* ``evaluating``: an evaluation window (recent, or 3 to 10 months ago and stalled) with dense
  engagement, decision makers looking at pricing, and intent late in the window: demo and spec,
  meetings, and rarely a quote request.

Other accounts may have had such an episode in the past (`EPISODE_P`). After an episode a hidden
process (`OPEN_LOGIT`, `WIN_LOGIT`) decides whether an opportunity opens and whether it is won,
from buying-center coverage (a decision maker known and engaged in the episode) and intent.

Web activity bunches in the days after webinars and trade shows; e-mail opens follow sends by
hours; registrations precede webinars. Every time is <= the anchor.
"""

from __future__ import annotations

import math
from random import Random

from .campaigns import Calendar
from .catalog import ASSETS_BY_INDUSTRY, FORMS, PAGES
from .clock import DAY, HOUR, WINDOW_DAYS, day_start, iso, quarter, weekday
from .people import DM_DEPARTMENTS, TECH

STATES = (("dormant", 16), ("cold", 44), ("aware", 25), ("engaged", 11), ("evaluating", 4))
# Activity budget of an account relative to the others; normalised below to a weighted mean of 1.
_RELATIVE_BUDGET = {"dormant": 0.12, "cold": 0.6, "aware": 1.0, "engaged": 2.2, "evaluating": 3.6}
# Measured: bounces and opt-outs drop ~3% of the drawn rows; this brings the mean back to the ratio.
BUDGET_CALIBRATION = 1.03
_MEAN = sum(w * _RELATIVE_BUDGET[s] for s, w in STATES) / sum(w for _, w in STATES)
STATE_BUDGET = {s: b / _MEAN * BUDGET_CALIBRATION for s, b in _RELATIVE_BUDGET.items()}
DORMANT_BEFORE_DAYS = 140  # a dormant account did nothing in the last 140 days

_MIX = {
    "dormant": dict(open=75, click=5, page=17, download=3),
    "cold": dict(open=62, click=5, page=20, capability=3, pricing=0.5, download=3, webinar=2.5, show=1.5, form=1),
    "aware": dict(open=55, click=7, page=20, capability=5, pricing=1, download=5, webinar=4, show=1.5, form=1.5),
    "engaged": dict(open=36, click=9, page=20, capability=11, pricing=3, download=10, webinar=6.5, show=2.5,
                    form=3),
    "evaluating": dict(open=28, click=9, page=19, capability=14, pricing=6, download=11, webinar=7, show=2,
                       form=3.5),
}
ATTEND_P = {"dormant": 0.0, "cold": 0.5, "aware": 0.55, "engaged": 0.7, "evaluating": 0.75}


def _cumulate(values):
    total, out = 0.0, []
    for v in values:
        total += v
        out.append(total)
    return tuple(out)


MIX = {s: (tuple(m), _cumulate(m.values())) for s, m in _MIX.items()}
# Rows per draw (a webinar draw is a registration and, often, an attendance).
ROWS_PER_DRAW = {s: 1 + m.get("webinar", 0) / sum(m.values()) * ATTEND_P[s] for s, m in _MIX.items()}

SEN_W = dict(c_level=0.25, vp=0.45, director=0.7, manager=1.1, senior=1.4, individual=1.3)
DEPT_W = dict(engineering=1.5, r_and_d=1.3, quality=1.2, manufacturing=1.1, operations=1.0, it=0.8,
              procurement=0.6, executive=0.4, finance=0.35, marketing=0.5, sales=0.5, legal=0.25)

_FORM_IDS = tuple(f for f, _ in FORMS)
_PAGE_IDS = tuple(p for p, _ in PAGES)
_CATALOG = {ind: {kind: tuple(a for a, _ in items) for kind, items in groups.items()}
            for ind, groups in ASSETS_BY_INDUSTRY.items()}


class _Account:
    """What the time and asset draws of one account need."""

    def __init__(self, rng: Random, cal: Calendar, industry: str, tz: int, state: str) -> None:
        self.rng, self.cal, self.industry, self.tz, self.state = rng, cal, industry, tz, state
        self.as_of = cal.as_of
        self.catalog = _CATALOG[industry]
        self.sends = cal.sends_for[industry]
        self.recent_sends = cal.recent_sends_for[industry]
        self.webinars = cal.webinars_for[industry]
        self.shows = cal.shows_for[industry]
        self.bursts = cal.bursts_for[industry]
        self.focus: tuple[int, int] | None = None
        self.p_focus = 0.0
        if state == "dormant":
            self.sends = self.recent_sends = cal.old_sends_for[industry]
            self.bursts = None
            self.focus = (self.as_of - WINDOW_DAYS * DAY, self.as_of - DORMANT_BEFORE_DAYS * DAY)
            self.p_focus = 1.0
        elif state == "evaluating":
            if rng.random() < 0.3:  # an evaluation that stalled months ago
                lo = self.as_of - rng.randint(100, WINDOW_DAYS - 60) * DAY
                self.focus = (lo, lo + rng.randint(25, 50) * DAY)
            else:
                self.focus = (self.as_of - rng.randint(20, 75) * DAY, self.as_of)
            self.p_focus = 0.6
        elif state == "engaged":
            self.focus = (self.as_of - 60 * DAY, self.as_of)
            self.p_focus = 0.45

    # -- times -----------------------------------------------------------------------------------
    def at_work(self, day: int) -> int:
        """A plausible local working time on `day` (UTC midnight), never after the anchor."""
        rng = self.rng
        t = day + int((rng.triangular(7.0, 19.0, 10.5) - self.tz) * HOUR)
        wd = weekday(t)
        if wd >= 5 and rng.random() < 0.85:
            t -= (wd - 4) * DAY
        while t > self.as_of:
            t -= DAY
        return t

    def day_between(self, lo: int, hi: int) -> int:
        return self.at_work(day_start(lo) + self.rng.randint(0, max(0, (hi - lo) // DAY)) * DAY)

    def web_time(self) -> int:
        rng = self.rng
        r = rng.random()
        if r < 0.25 and self.bursts is not None:
            e = self.bursts.choose(rng)
            t = self.at_work(day_start(e.at) + rng.randint(0, e.days + 3) * DAY)
            if t >= e.at - DAY:
                return t
        if self.focus is not None and r < 0.25 + self.p_focus:
            return self.day_between(*self.focus)
        return self.at_work(day_start(self.as_of) - rng.randrange(WINDOW_DAYS) * DAY)

    def email_time(self):
        rng = self.rng
        pick = self.recent_sends if self.focus and rng.random() < 0.4 else self.sends
        e = pick.choose(rng)
        delay = min(int(rng.expovariate(1 / (6 * HOUR))), 47 * HOUR)
        return e.at + 300 + delay, e

    # -- one draw -> rows (t, kind, asset, campaign, channel) -------------------------------------
    def draw(self, kind: str) -> list[tuple]:
        rng = self.rng
        cat = self.catalog
        if kind == "open":
            t, e = self.email_time()
            return [(t, "email_open", None, e.campaign, "email")]
        if kind == "click":
            t, e = self.email_time()
            asset = e.asset or rng.choice(cat["content"])
            return [(t + rng.randint(20, 600), "email_click", asset, e.campaign, "email")]
        if kind == "webinar" and self.webinars is not None:
            e = self.webinars.choose(rng)
            reg = e.at - int(rng.uniform(0.3, 13.0) * DAY)
            rows = [(reg, "webinar_registered", e.asset, e.campaign, "webinar")]
            if rng.random() < ATTEND_P[self.state]:
                rows.append((e.at + rng.randint(0, 900), "webinar_attended", e.asset, e.campaign, "webinar"))
            return rows
        if kind == "show" and self.shows is not None:
            e = self.shows.choose(rng)
            t = e.at + rng.randrange(e.days) * DAY + rng.randint(0, 9 * HOUR)
            return [(t, "trade_show_visit", None, e.campaign, "event")]
        t = self.web_time()
        channel, campaign = "web", None
        if kind in ("page", "capability", "download") and rng.random() < 0.22:
            if rng.random() < 0.65:
                channel, campaign = "paid_search", f"ppc-{self.industry}-{quarter(t)}"
            else:
                channel, campaign = "social", f"social-{self.industry}-{quarter(t)}"
        if kind == "capability":
            return [(t, "capability_page_view", rng.choice(cat["capability"]), campaign, channel)]
        if kind == "pricing":
            return [(t, "pricing_page_view", cat["pricing"][0], None, "web")]
        if kind == "download":
            if campaign is None and rng.random() < 0.15:
                campaign = f"synd-{self.industry}-{quarter(t)}"
            return [(t, "content_download", rng.choice(cat["content"]), campaign, channel)]
        if kind == "form":
            form = rng.choices(_FORM_IDS, weights=(35, 25, 22, 18))[0]
            return [(t, "form_submitted", form, None, "web")]
        return [(t, "page_view", rng.choice(_PAGE_IDS), campaign, channel)]


def _contact_weights(rng: Random, contacts: list[dict]) -> list[float]:
    weights = []
    for c in contacts:
        if rng.random() < 0.2:
            weights.append(0.0)  # on the list, never engages
        else:
            weights.append(SEN_W[c["seniority"]] * DEPT_W[c["department"]] * rng.lognormvariate(0.0, 0.9))
    if not any(weights):
        weights[0] = 1.0
    return weights


# -- the hidden buying process (seeds/README.md, "History and outcomes") -------------------------
# An evaluation episode is a window of dense engagement with intent. Every `evaluating` account has
# one (recent, or stalled months ago); other accounts had one in the past with this probability.
EPISODE_P = {"dormant": 0.35, "cold": 0.2, "aware": 0.4, "engaged": 0.55, "evaluating": 1.0}
EPISODE_SHARE = 0.3  # of a past episode account's activity budget, web engagement inside the episode
EPISODE_MIX = (("page", 20), ("capability", 14), ("download", 11), ("pricing", 6), ("form", 3.5))
DM_ENGAGED_P = 0.55  # a decision maker (one exists) engages during the episode
# P(opportunity opened after the episode) and P(won | opened), logistic in coverage (a decision
# maker known and engaged: 0/1) and intent (intent activities in the episode, capped at 4).
OPEN_LOGIT = (-2.0, 1.5, 0.7)  # intercept, coverage, per intent activity
WIN_LOGIT = (-1.5, 2.0, 0.3)
OPEN_AFTER_DAYS = (1, 14)  # the opportunity opens this long after the episode ends
CLOSE_AFTER_DAYS = (20, 80)  # and is won or lost this long after it opened
INTENT_CAP = 4


def _logistic(b: tuple[float, float, float], coverage: int, intent: int) -> float:
    return 1.0 / (1.0 + math.exp(-(b[0] + b[1] * coverage + b[2] * min(intent, INTENT_CAP))))


def _episode_window(acc: _Account) -> tuple[int, int] | None:
    rng, as_of = acc.rng, acc.as_of
    if acc.state == "evaluating":
        return acc.focus
    if rng.random() >= EPISODE_P[acc.state]:
        return None
    span = rng.randint(25, 55) * DAY
    newest = DORMANT_BEFORE_DAYS + 55 if acc.state == "dormant" else 120
    lo = as_of - rng.randint(newest, WINDOW_DAYS - 30) * DAY
    return lo, lo + span


def _intents(acc: _Account, contacts: list[dict], weights: list[float],
             window: tuple[int, int] | None) -> tuple[list[tuple], int, int, int | None]:
    """(contact position, t, type, asset, campaign, channel) rows: intent and decision-maker
    engagement, by account state and evaluation episode; with the episode's coverage (0/1), its
    intent count and the opportunity's contact."""
    rng, as_of, cat = acc.rng, acc.as_of, acc.catalog
    by_weight = sorted(range(len(contacts)), key=lambda k: -weights[k])
    engineers = [k for k in by_weight if contacts[k]["department"] in TECH
                 and contacts[k]["seniority"] in ("manager", "senior", "individual")] or by_weight
    champion = engineers[0]
    dms = sorted((k for k, c in enumerate(contacts)
                  if c["seniority"] in ("c_level", "vp", "director") and c["department"] in DM_DEPARTMENTS),
                 key=lambda k: (contacts[k]["seniority"] == "c_level", -weights[k], k))
    buyers = [k for k, c in enumerate(contacts) if c["department"] == "procurement"]
    out: list[tuple] = []

    def add(k, lo, hi, kind, asset=None, campaign=None, channel="web"):
        out.append((k, acc.day_between(max(lo, as_of - WINDOW_DAYS * DAY), min(hi, as_of)), kind, asset,
                    campaign, channel))

    coverage, intent = 0, 0
    if window is not None:
        lo, hi = window
        span = hi - lo
        coverage = int(bool(dms) and rng.random() < DM_ENGAGED_P)
        if rng.random() < 0.6:
            add(rng.choice(engineers[:3]), lo, lo + span // 4, "demo_request", rng.choice(cat["capability"]))
        for _ in range(rng.choice((1, 1, 2, 3))):
            who = dms[0] if coverage and rng.random() < 0.5 else champion
            add(who, lo + span // 5, hi, "meeting_booked", channel="sales")
        if rng.random() < 0.55:
            for _ in range(rng.choice((1, 1, 2))):
                add(champion, lo + span * 2 // 5, hi, "spec_shared", channel="email")
        if rng.random() < 0.35:
            who = buyers[0] if buyers and rng.random() < 0.5 else champion
            add(who, max(lo, hi - 21 * DAY), hi, "quote_request", cat["pricing"][0])
        if rng.random() < 0.3:
            add(rng.choice(engineers[:3]), lo, hi, "contact_sales", "contact-form")
        intent = len(out)
        if coverage:
            dm = dms[0]
            for _ in range(rng.choice((1, 2))):
                add(dm, lo, hi, "pricing_page_view", cat["pricing"][0])
            if rng.random() < 0.5:
                add(dm, lo, hi, "content_download", rng.choice(cat["content"]))
            if rng.random() < 0.4:
                add(dm, lo, hi, "capability_page_view", rng.choice(cat["capability"]))
        return out, coverage, intent, dms[0] if coverage else champion
    if acc.state == "engaged":
        recent = as_of - 90 * DAY
        if rng.random() < 0.15:
            add(rng.choice(engineers[:3]), recent, as_of, "contact_sales", "contact-form")
        if rng.random() < 0.12:
            add(champion, recent, as_of, "demo_request", rng.choice(cat["capability"]))
        if rng.random() < 0.08:
            add(dms[0] if dms else champion, recent, as_of, "meeting_booked", channel="sales")
    elif acc.state != "dormant" and rng.random() < (0.03 if acc.state == "aware" else 0.01):
        add(champion, as_of - WINDOW_DAYS * DAY, as_of, "contact_sales", "contact-form")
    return out, 0, 0, None


def _episode_draws(acc: _Account, draws: int, window: tuple[int, int]) -> list[tuple]:
    """Extra web engagement inside a past episode: (t, type, asset, campaign, channel) rows."""
    rng = acc.rng
    focus, p_focus = acc.focus, acc.p_focus
    acc.focus, acc.p_focus = window, 0.75
    kinds = rng.choices([k for k, _ in EPISODE_MIX], weights=[w for _, w in EPISODE_MIX], k=draws)
    rows = [row for kind in kinds for row in acc.draw(kind)]
    acc.focus, acc.p_focus = focus, p_focus
    return rows


def _opportunity(acc: _Account, id_prefix: str, contact_id: str, window: tuple[int, int], coverage: int,
                 intent: int) -> dict | None:
    """The hidden process's outcome of an episode: no opportunity, an open one, or one won or lost."""
    rng, as_of = acc.rng, acc.as_of
    opens = rng.random() < _logistic(OPEN_LOGIT, coverage, intent)
    wins = rng.random() < _logistic(WIN_LOGIT, coverage, intent)
    opened = acc.at_work(day_start(window[1]) + rng.randint(*OPEN_AFTER_DAYS) * DAY)
    closed = acc.at_work(day_start(opened) + rng.randint(*CLOSE_AFTER_DAYS) * DAY)
    amount = int(round(rng.lognormvariate(10.8, 0.6), -2))
    if not opens or opened >= as_of or opened <= window[1]:
        return None
    done = closed < as_of and closed > opened
    return {"id": f"opp{id_prefix[3:]}-01", "account_id": None, "contact_id": contact_id,
            "name": f"{acc.industry.replace('_', ' ')} evaluation",
            "stage": ("Closed Won" if wins else "Closed Lost") if done else "Negotiation",
            "is_won": wins if done else False, "is_closed": done, "amount": float(amount), "currency": "EUR",
            "created_at": iso(opened), "close_date": iso(closed) if done else None, "source": "seeds"}


def make_activities(rng: Random, cal: Calendar, *, id_prefix: str, industry: str, tz: int, state: str,
                    contacts: list[dict], activities_per_contact: float) -> list[dict]:
    """Activity rows of one account, in time order, ids `<id_prefix>-00001`..."""
    return make_history(rng, cal, id_prefix=id_prefix, industry=industry, tz=tz, state=state, contacts=contacts,
                        activities_per_contact=activities_per_contact)[0]


def make_history(rng: Random, cal: Calendar, *, id_prefix: str, industry: str, tz: int, state: str,
                 contacts: list[dict], activities_per_contact: float) -> tuple[list[dict], list[dict]]:
    """Activity rows of one account in time order (ids `<id_prefix>-00001`...) and the opportunities
    its evaluation episode led to (none or one; `account_id` left for the caller to fill)."""
    acc = _Account(rng, cal, industry, tz, state)
    weights = _contact_weights(rng, contacts)
    n = len(contacts)
    budget = n * activities_per_contact * STATE_BUDGET[state] * rng.lognormvariate(-0.08, 0.4)
    draws = int(budget / ROWS_PER_DRAW[state] + rng.random())
    window = _episode_window(acc)
    episode_draws = int(draws * EPISODE_SHARE) if window is not None and state != "evaluating" else 0
    draws -= episode_draws
    kinds, cum = MIX[state]
    who = rng.choices(range(n), weights=weights, k=draws) if draws else []
    what = rng.choices(kinds, cum_weights=cum, k=draws)
    rows: list[tuple] = []
    for k, kind in zip(who, what):
        for t, typ, asset, campaign, channel in acc.draw(kind):
            rows.append((t, k, typ, asset, campaign, channel))
    if episode_draws:
        extra = _episode_draws(acc, episode_draws, window)
        for k, (t, typ, asset, campaign, channel) in zip(rng.choices(range(n), weights=weights, k=len(extra)), extra):
            rows.append((t, k, typ, asset, campaign, channel))
    intents, coverage, intent, with_whom = _intents(acc, contacts, weights, window)
    for k, t, typ, asset, campaign, channel in intents:
        rows.append((t, k, typ, asset, campaign, channel))
    opportunities = []
    if window is not None and with_whom is not None:
        opp = _opportunity(acc, id_prefix, contacts[with_whom]["id"], window, coverage, intent)
        if opp is not None:
            opportunities.append(opp)

    # Dead addresses and opt-outs: a hard bounce ends all e-mail (and the person has likely left),
    # an unsubscribe ends e-mail from then on.
    stop_all: dict[int, int] = {}
    stop_email: dict[int, int] = {}
    p_unsub = 0.02 if state in ("dormant", "cold", "aware") else 0.01
    for k in range(n):
        r = rng.random()
        if r < 0.008:
            t, e = acc.email_time()
            stop_all[k] = t
            rows.append((t, k, "hard_bounce", None, e.campaign, "email"))
        elif r < 0.008 + p_unsub:
            t, e = acc.email_time()
            stop_email[k] = t
            rows.append((t + rng.randint(5, 120), k, "unsubscribe", None, e.campaign, "email"))
    if stop_all or stop_email:
        kept = []
        for row in rows:
            t, k, typ = row[0], row[1], row[2]
            if k in stop_all and (t > stop_all[k] or typ in ("email_open", "email_click")) and typ != "hard_bounce":
                continue
            if k in stop_email and t > stop_email[k] and typ in ("email_open", "email_click"):
                continue
            kept.append(row)
        rows = kept

    as_of = cal.as_of
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3] or "", r[4] or ""))
    out = []
    for seq, (t, k, typ, asset, campaign, channel) in enumerate(rows, 1):
        out.append({
            "id": f"{id_prefix}-{seq:05d}",
            "contact_id": contacts[k]["id"],
            "type": typ,
            "at": iso(t if t <= as_of else as_of),
            "asset": asset,
            "campaign": campaign,
            "channel": channel,
        })
    return out, opportunities
