"""Engine cost of buying groups per initiative and subsidiary roll-up (issue 15): pure `evaluate()`
over snapshots built from the seeds generator (no store), in accounts per second.

    python bench/engine_groups.py --accounts 2000 --repeat 3

CPU time of this process (time.process_time, so other processes on a loaded machine count less).
Prints the rate for the generated accounts as they are (most have only the default group; about one
enterprise account in ten holds its roles in an initiative group), and, when the engine knows them,
with every account's roles split over two groups and with `subsidiary_engagement = "roll_up"` and
each account given its next account's contacts as a subsidiary's. Run with PYTHONPATH pointing at
another checkout to compare engines (the first figure needs nothing issue 15 added).
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from datetime import datetime

from graphsvc.rules import AccountSnapshot, Activity, ContactSnapshot, RoleAssignment, default_ruleset, evaluate
from graphsvc.rules.loading import load_ruleset
from graphsvc.rules.snapshot import summarize
from seeds import generate


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def snapshots(n: int) -> tuple[list[AccountSnapshot], float]:
    ds = generate(n, seed=7)
    as_of = float(ds.as_of_ts)
    out = []
    for b in ds.bundles():
        by_contact: dict[str, list[Activity]] = {}
        for a in b.activities:
            by_contact.setdefault(a["contact_id"], []).append(Activity(a["id"], a["type"], _epoch(a["at"])))
        contacts = tuple(ContactSnapshot(
            id=c["id"], email=c["email"], first_name=c["first_name"], last_name=c["last_name"], title=c["title"],
            seniority=c["seniority"], department=c["department"], reports_to=c["reports_to"],
            roles=tuple(RoleAssignment(r["role"], r["source"], 1.0, r["buying_group"]) for r in c["roles"]),
            stats=summarize(by_contact.get(c["id"], ()), 30.0, as_of)) for c in b.contacts)
        a = b.account
        out.append(AccountSnapshot(id=a["id"], name=a["name"], domain=a["domain"], industry=a["industry"],
                                   employees=a["employees"], annual_revenue=a["annual_revenue"], country=a["country"],
                                   segment=a["segment"], contacts=contacts))
    return out, as_of


def rate(snaps: list[AccountSnapshot], ruleset, as_of: float, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for s in snaps:
            evaluate(s, ruleset, as_of)
        best = min(best, time.process_time() - started)
    return len(snaps) / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    snaps, as_of = snapshots(args.accounts)
    rs = default_ruleset()
    print(f"{len(snaps)} accounts, {sum(len(s.contacts) for s in snaps)} contacts; best of {args.repeat}")
    print(f"as generated:              {rate(snaps, rs, as_of, args.repeat):8.0f} accounts/s")
    if "rolled_up" not in AccountSnapshot.__dataclass_fields__:
        return  # an engine before issue 15's groups and roll-up
    split = [dataclasses.replace(s, contacts=tuple(
        dataclasses.replace(c, roles=tuple(dataclasses.replace(r, buying_group="rf" if i % 2 else "packaging")
                                           for r in c.roles)) for i, c in enumerate(s.contacts))) for s in snaps]
    print(f"roles over two groups:     {rate(split, rs, as_of, args.repeat):8.0f} accounts/s")
    roll = load_ruleset('[hierarchy]\nsubsidiary_engagement = "roll_up"\n', merge_defaults=True)
    below = [dataclasses.replace(s, rolled_up=tuple(dataclasses.replace(c, account_id=nxt.id) for c in nxt.contacts))
             for s, nxt in zip(snaps, snaps[1:] + snaps[:1])]
    print(f"roll_up, one subsidiary:   {rate(below, roll, as_of, args.repeat):8.0f} accounts/s")


if __name__ == "__main__":
    main()
