"""CRM import benchmark: `graphsvc import` of HubSpot-shaped exports vs the ingest service it goes
through, in the same run, on fresh databases of the same engine; and the import's memory over a
250,000-row contacts file (HubSpot's own import limit).

* import: the companies and contacts CSV files through `graphsvc.imports` (read, recognise, check
          every row, then write in batches through the ingest service, then requalify the accounts).
* ingest: the same rows as dicts, validated by the ingest models and written through the same
          ingest service in the same batch size (what `POST /v1/accounts` / `/v1/contacts` run,
          without HTTP), then the same requalification.

    python bench/imports.py                       # 250,000 contacts, 25,000 companies, FalkorDB
    python bench/imports.py --rows 20000          # a quick look
    python bench/imports.py --engine neo4j --rows 50000

Prints rows/s of both sides, their ratio (goal: import >= 0.7 of ingest) and the import's resident
memory as the contacts are checked and written (flat: rows are streamed, only ids are kept).
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
from _common import Engine, note, ratio, table

from graphsvc.imports.job import Importer, ImportOptions
from graphsvc.ingest import models as m
from graphsvc.ingest.service import IngestService, ingest_rules_from
from graphsvc.qualification.service import QualificationService
from graphsvc.rules import default_ruleset

TITLES = ("VP Operations", "Process Engineer", "Procurement Manager", "CFO", "Test Engineer", "Director R&D")
ROLES = ("Decision Maker", "Budget Holder", "Champion", "Influencer")
COMPANIES = ["Record ID", "Company name", "Company Domain Name", "Industry", "Number of Employees", "Country/Region"]
CONTACTS = ["Record ID", "First Name", "Last Name", "Email", "Job Title", "Buying Role", "Associated Company IDs",
            "Lifecycle Stage"]


def companies(n: int) -> Iterator[list[str]]:
    for j in range(n):
        yield [f"9{j:09d}", f"Company {j}", f"company{j}.example", "ELECTRONICS", str(50 + j % 5000), "Germany"]


def contacts(n: int, accounts: int) -> Iterator[list[str]]:
    for i in range(n):
        j = i % accounts
        yield [f"5{i:09d}", f"First{i}", f"Last{i}", f"person{i}@company{j}.example", TITLES[i % len(TITLES)],
               ROLES[i % len(ROLES)] if i % 20 == 0 else "", f"9{j:09d}", "Subscriber"]


def write(path: Path, header: list[str], rows: Iterator[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL)  # HubSpot quotes every field
        out.writerow(header)
        out.writerows(rows)
    return path


def rss_mb() -> float:
    return psutil.Process(os.getpid()).memory_info().rss / 2**20


def run_import(engine: Engine, files: list[Path], batch: int, rows: int) -> tuple[float, list[tuple[str, int, float]]]:
    samples: list[tuple[str, int, float]] = []
    step = max(rows // 5, 1)
    due: dict[str, int] = {}

    def progress(phase: str, done: int) -> None:
        """The RSS each time a fifth more contacts were checked, then written."""
        if "contacts" in phase and done >= due.setdefault(phase, step):
            samples.append((phase.split(" ")[0], done, rss_mb()))
            due[phase] = done - done % step + step

    opened = engine.open()
    try:
        started = time.perf_counter()
        report = Importer(opened.store, default_ruleset(), time.time(), ImportOptions(batch_size=batch),
                          progress=progress).run([(p, p.name) for p in files])
        took = time.perf_counter() - started
        assert report.problem_count == 0 and report.written, report.summary()
        note(f"  import: {report.summary()}")
    finally:
        opened.close()
    return took, samples


def run_ingest(engine: Engine, n_accounts: int, n_contacts: int, batch: int) -> float:
    opened = engine.open()
    try:
        store = opened.store
        ingest = IngestService(store, ingest_rules_from(default_ruleset()))
        now = time.time()
        started = time.perf_counter()
        chunk: list[dict] = []
        for cells in companies(n_accounts):
            chunk.append({"id": cells[0], "name": cells[1], "domain": cells[2], "industry": cells[3],
                          "employees": int(cells[4]), "country": cells[5]})
            if len(chunk) == batch:
                ingest.accounts([m.AccountIn.model_validate(r) for r in chunk], now)
                chunk = []
        if chunk:
            ingest.accounts([m.AccountIn.model_validate(r) for r in chunk], now)
        roles = {"Decision Maker": "decision_maker", "Budget Holder": "economic_buyer", "Champion": "champion",
                 "Influencer": "influencer"}
        chunk = []
        for cells in contacts(n_contacts, n_accounts):
            row = {"id": cells[0], "first_name": cells[1], "last_name": cells[2], "email": cells[3], "title": cells[4],
                   "account_id": cells[6]}
            if cells[5]:
                row["roles"] = [{"role": roles[cells[5]], "source": "import"}]
            chunk.append(row)
            if len(chunk) == batch:
                ingest.contacts([m.ContactIn.model_validate(r) for r in chunk], now)
                chunk = []
        if chunk:
            ingest.contacts([m.ContactIn.model_validate(r) for r in chunk], now)
        QualificationService(store, default_ruleset()).requalify([c[0] for c in companies(n_accounts)], now)
        return time.perf_counter() - started
    finally:
        opened.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=250_000, help="contacts (default 250,000)")
    parser.add_argument("--accounts", type=int, default=None, help="companies (default rows / 10)")
    parser.add_argument("--engine", choices=("falkordb", "neo4j"), default="falkordb")
    parser.add_argument("--batch", type=int, default=2_000)
    args = parser.parse_args()
    n_accounts = args.accounts or max(args.rows // 10, 1)
    total = args.rows + n_accounts
    with tempfile.TemporaryDirectory(prefix="graphsvc-bench-imports-") as tmp:
        root = Path(tmp)
        note(f"writing {n_accounts:,} companies and {args.rows:,} contacts (HubSpot export shape) ...")
        files = [write(root / "companies.csv", COMPANIES, companies(n_accounts)),
                 write(root / "contacts.csv", CONTACTS, contacts(args.rows, n_accounts))]
        size = sum(f.stat().st_size for f in files) / 2**20
        note(f"  {size:.1f} MiB; importing on {args.engine} ...")
        base = rss_mb()
        with Engine(args.engine, root / "import") as engine:
            import_s, samples = run_import(engine, files, args.batch, args.rows)
        note(f"  ingest service on {args.engine} ...")
        with Engine(args.engine, root / "ingest") as engine:
            ingest_s = run_ingest(engine, n_accounts, args.rows, args.batch)
    imp, ing = total / import_s, total / ingest_s
    table(f"Import vs ingest service, {args.engine}: {n_accounts:,} companies + {args.rows:,} contacts "
          f"({size:.0f} MiB of CSV), batch {args.batch:,}, requalification included",
          ["side", "seconds", "rows/s"],
          [["import (files)", f"{import_s:.1f}", f"{imp:,.0f}"], ["ingest service (dicts)", f"{ingest_s:.1f}",
                                                                   f"{ing:,.0f}"],
           ["import / ingest", "", ratio(imp, ing)]])
    table(f"Import memory (RSS; {base:.0f} MiB before the import)", ["phase", "contacts done", "RSS MiB"],
          [[phase, f"{done:,}", f"{mb:.0f}"] for phase, done, mb in samples])


if __name__ == "__main__":
    main()
