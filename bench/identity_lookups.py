"""What issue 15 adds to every ingest batch: the alias lookup (merged ids land on their survivor) and,
for contacts and leads, the erased-email lookup, against the time of the batch's whole ingest.

Loads the generated dataset through the ingest service (in this process), merges 1 % of the contacts
into a colleague (so aliases exist) and erases 0.1 % (so the salt and hashes exist), then ingests
fresh activity and contact batches and times, per batch, the lookups alone and the whole
`IngestService` call (which includes them).

    python bench/identity_lookups.py --accounts 1000 --engine falkordb neo4j

Prints a Markdown table per engine (stdout): ms per batch for each part and the lookups' share.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import ENGINES, Engine, generate_dataset, note, table

from graphsvc.identity.erasure import ErasureService
from graphsvc.identity.merge import MergeService
from graphsvc.ingest import models as m
from graphsvc.ingest.repository import IngestRepository
from graphsvc.ingest.service import IngestService, ingest_rules_from
from graphsvc.loader import load
from graphsvc.rules import default_ruleset


def _ms(fn, repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - started) * 1000 / repeat


def run(engine: Engine, data: dict, batch: int, rounds: int) -> list[list[str]]:
    opened = engine.open()
    store = opened.store
    try:
        ingest = IngestService(store, ingest_rules_from(default_ruleset()))
        load(ingest, data, time.time(), batch_size=5_000)
        rng = random.Random(7)
        by_account: dict[str, list[str]] = {}
        for c in data["contacts"]:
            by_account.setdefault(c.get("account_id") or "", []).append(c["id"])
        pairs = [ids[:2] for ids in by_account.values() if len(ids) >= 2]
        merged = rng.sample(pairs, max(1, len(data["contacts"]) // 100))
        for survivor, gone in merged:
            MergeService(store).merge("contact", survivor, [gone], actor="bench", reason=None, now=time.time())
        merged_ids = {g for _, g in merged}
        alive = [c["id"] for c in data["contacts"] if c["id"] not in merged_ids]
        survivors = {s for s, _ in merged}  # erasing one would leave its aliases pointing nowhere
        erased = set(rng.sample([c for c in alive if c not in survivors], max(1, len(alive) // 1000)))
        for cid in sorted(erased):
            ErasureService(store).erase(cid, "bench", time.time())
        alive = [c for c in alive if c not in erased]
        repo = IngestRepository(store)
        rows = []
        at = datetime.now(UTC) - timedelta(days=1)
        for r in range(rounds):
            acts = [m.ActivityIn(id=f"bench-{r}-{i}", contact_id=rng.choice(alive + sorted(merged_ids)),
                                 type="page_view", at=at) for i in range(batch)]
            contacts = [m.ContactIn(id=f"bench-c-{r}-{i}", email=f"bench{r}-{i}@example.org") for i in range(batch)]
            lookup_a = _ms(lambda acts=acts: repo.aliases("contact", [a.contact_id for a in acts]), 3)
            whole_a = _ms(lambda acts=acts: ingest.activities(acts, time.time()), 1)
            lookup_c = _ms(lambda cs=contacts: (repo.aliases("contact", [c.id for c in cs]),
                                                repo.erased_emails([c.email for c in cs])), 3)
            whole_c = _ms(lambda cs=contacts: ingest.contacts(cs, time.time()), 1)
            rows.append((lookup_a, whole_a, lookup_c, whole_c))
        n = len(rows)
        la, wa, lc, wc = (sum(x[i] for x in rows) / n for i in range(4))
        return [[f"activities, {batch:,} rows", f"{la:,.1f}", f"{wa:,.1f}", f"{la / wa:.1%}"],
                [f"contacts, {batch:,} rows", f"{lc:,.1f}", f"{wc:,.1f}", f"{lc / wc:.1%}"]]
    finally:
        opened.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--accounts", type=int, default=1_000)
    ap.add_argument("--engine", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--batch", type=int, default=2_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    data = generate_dataset(args.accounts, args.seed)
    with tempfile.TemporaryDirectory(prefix="graphsvc-bench-") as tmp:
        for name in args.engine:
            note(f"{name}: loading {args.accounts:,} accounts ...")
            with Engine(name, Path(tmp) / name) as engine:
                out = run(engine, data, args.batch, args.rounds)
            table(f"{name}: issue 15 lookups per ingest batch ({args.accounts:,} accounts, mean of {args.rounds})",
                  ["batch", "lookups ms", "whole ingest ms", "lookups share"], out)


if __name__ == "__main__":
    main()
