"""X Education leads -> graphsvc contacts and activities -> `graphsvc rules calibrate`'s model, with the
cross-validated AUC of the default ruleset, the calibrated one and the plain model.

    python examples/xeducation.py [--csv ../shared/data/xeducation/Leads.csv] [--rounds 100]
                                  [--out xeducation-candidate.toml] [--report xeducation-report.json]

X Education sells online courses (B2C): every lead is its own account with one contact. The export
has no timestamps, so every activity is at the same moment (decay weight 1). How the columns map
(see ../shared/data/README.md for the quirks):

* `TotalVisits` -> that many `page_view`; `Total Time Spent on Website` (seconds) -> one `site_minute`
  per minute (a new type: the default ruleset has no points for time on site);
* `Lead Origin`: Landing Page Submission -> `form_submitted`, Lead Add Form -> `lead_add_form`;
  `Lead Source`: Olark Chat -> `chat`, Reference -> `referral`, Welingak Website -> `partner_site_visit`;
* `Last Activity`, the lead's own actions only: Email Opened -> `email_open`, Email Link Clicked / View
  in browser link Clicked -> `email_click`, Form Submitted on Website -> `form_submitted`, Page Visited
  on Website -> `page_view`, Olark Chat Conversation -> `chat`, Converted to Lead -> `lead_converted`,
  Email Bounced -> `hard_bounce`, Unsubscribed / Email Marked Spam -> `unsubscribe`, Had a Phone
  Conversation -> `phone_conversation`. Sales' actions (SMS Sent, Unreachable, Approached upfront)
  are left out: they happen after sales looked at the lead;
* `A free copy of Mastering The Interview` = Yes -> `content_download`; `Do Not Email` = Yes -> `unsubscribe`;
* `What is your current occupation` -> seniority, `Specialization` -> department (`Select`, "not
  answered", is a level of its own; empty is unknown);
* `Tags`, `Lead Quality`, `Lead Profile` and `Asymmetrique *` are filled by sales after contact and
  leak the outcome: never used. `Converted` is the outcome.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from graphsvc.lab.calibrate import calibrate
from graphsvc.lab.features import row_of
from graphsvc.rules import AccountSnapshot, ActivityStat, ContactSnapshot, default_ruleset

AS_OF = 1_767_225_600.0  # 2026-01-01T00:00:00Z: the export has no times; every activity is "now"
DEFAULT_CSV = Path(__file__).resolve().parents[1] / ".." / ".." / "shared" / "data" / "xeducation" / "Leads.csv"
ORIGIN = {"Landing Page Submission": "form_submitted", "Lead Add Form": "lead_add_form"}
SOURCE = {"Olark Chat": "chat", "Reference": "referral", "Welingak Website": "partner_site_visit"}
LAST = {"Email Opened": "email_open", "Email Link Clicked": "email_click", "View in browser link Clicked": "email_click",
        "Form Submitted on Website": "form_submitted", "Page Visited on Website": "page_view",
        "Olark Chat Conversation": "chat", "Converted to Lead": "lead_converted", "Email Bounced": "hard_bounce",
        "Unsubscribed": "unsubscribe", "Email Marked Spam": "unsubscribe",
        "Had a Phone Conversation": "phone_conversation"}


def _number(text: str) -> float:
    try:
        return max(0.0, float(text))
    except ValueError:
        return 0.0  # empty / NaN: no visits recorded


def lead_snapshot(r: dict[str, str]) -> AccountSnapshot:
    counts: dict[str, int] = {}

    def add(kind: str | None, n: int = 1) -> None:
        if kind and n > 0:
            counts[kind] = counts.get(kind, 0) + n

    add("page_view", int(round(_number(r["TotalVisits"]))))
    add("site_minute", int(round(_number(r["Total Time Spent on Website"]) / 60)))
    add(ORIGIN.get(r["Lead Origin"]))
    add(SOURCE.get(r["Lead Source"].strip()))
    add(LAST.get(r["Last Activity"]))
    if r["A free copy of Mastering The Interview"] == "Yes":
        add("content_download")
    if r["Do Not Email"] == "Yes":
        add("unsubscribe")
    stats = tuple(ActivityStat(type=t, count=n, last_at=AS_OF, decay_weight=float(n)) for t, n in sorted(counts.items()))
    contact = ContactSnapshot(id=r["Prospect ID"], seniority=r["What is your current occupation"] or None,
                              department=r["Specialization"] or None, stats=stats)
    return AccountSnapshot(id=r["Prospect ID"], contacts=(contact,))


def load(path: Path) -> tuple[list[AccountSnapshot], list[int]]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [lead_snapshot(r) for r in rows], [int(r["Converted"]) for r in rows]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    p.add_argument("--rounds", type=int, default=100, help="bootstrap refits for the intervals")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--out", type=Path, default=None, help="write the candidate ruleset TOML here")
    p.add_argument("--report", type=Path, default=None, help="write the full report (JSON) here")
    args = p.parse_args(argv)
    if not args.csv.exists():
        print(f"no such file: {args.csv}", file=sys.stderr)
        return 1
    snaps, won = load(args.csv)
    base = default_ruleset()
    rows = [row_of(s, w, base) for s, w in zip(snaps, won)]
    text, report = calibrate(rows, snaps, base, AS_OF, folds=args.folds, rounds=args.rounds)
    if args.out:
        args.out.write_text(text)
    if args.report:
        args.report.write_text(json.dumps(report, indent=2))
    cv = report["cv"]
    print(f"X Education: {report['accounts']:,} leads, {report['won']:,} converted ({report['base_rate']:.1%}); "
          f"{args.folds}-fold stratified CV")
    for name, label in (("base", "default ruleset"), ("candidate", "calibrated ruleset"),
                        ("unconstrained", "plain logistic regression")):
        print(f"  {label:<28} AUC {cv[name]['auc']:.3f}   top-decile lift {cv[name]['lift_top_decile']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
