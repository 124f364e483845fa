"""`python -m seeds`: write a generated dataset (or the demo) as JSONL files."""

from __future__ import annotations

import argparse
import os
import sys

from .clock import DEFAULT_AS_OF, iso, parse_iso

EPILOG = """\
examples:
  python -m seeds --accounts 1000 --out /tmp/seed1k
  python -m seeds --accounts 10000 --out /tmp/seed10k --jobs 4      # ~100k contacts, ~1M activities
  python -m seeds --accounts 100 --out /tmp/s --as-of 2026-06-30T12:00:00Z --seed 3
  python -m seeds --demo                                           # regenerate seeds/demo/

Files: accounts.jsonl, contacts.jsonl, leads.jsonl, activities.jsonl (one ingest-API row per
line, UTF-8); load them in that order. The same arguments always give byte-identical files,
whatever --jobs is. Every timestamp is <= --as-of.
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m seeds",
        description="Generate a deterministic, realistic B2B dataset (accounts, contacts with org charts "
                    "and buying roles, leads, ~6 months of activities) as ingest-API rows.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--accounts", type=int, help="number of accounts (required unless --demo)")
    p.add_argument("--out", help="output directory (required unless --demo; with --demo: where to write "
                                 "the demo instead of seeds/demo/)")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--as-of", default=iso(int(DEFAULT_AS_OF.timestamp())),
                   help="anchor time, ISO-8601 (a missing timezone means UTC); no activity is later "
                        "(default %(default)s)")
    p.add_argument("--contacts-per-account", type=float, default=10.0, help="mean contacts per account (10)")
    p.add_argument("--activities-per-contact", type=float, default=10.0,
                   help="mean activities per contact (10)")
    p.add_argument("--leads-per-account", type=float, default=1.5, help="leads per account (1.5)")
    p.add_argument("--no-scenarios", action="store_true",
                   help="leave out the four hand-written scenario accounts (acc-brenner, ...)")
    p.add_argument("--jobs", type=int, default=None,
                   help="worker processes (default: CPU count, at most 8; 1 for small runs)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--demo", action="store_true",
                   help="regenerate the demo dataset (40 accounts, seed 7, as of 2026-11-01T00:00:00Z) "
                        "and its manifest.json in seeds/demo/")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.demo:
        from .demo import DEMO_DIR, write_demo

        out = args.out or DEMO_DIR
        manifest = write_demo(out, progress=not args.quiet)
        if not args.quiet:
            print(f"seeds: demo written to {out}: {manifest['counts']}", file=sys.stderr)
        return 0
    if args.accounts is None or args.out is None:
        build_parser().error("--accounts and --out are required (or use --demo)")
    if args.accounts < 0:
        build_parser().error("--accounts must be >= 0")
    try:
        as_of = parse_iso(args.as_of)
    except ValueError as e:
        build_parser().error(f"--as-of: {e}")

    from .generator import generate
    from .writer import write_dataset

    ds = generate(args.accounts, seed=args.seed, as_of=as_of, contacts_per_account=args.contacts_per_account,
                  activities_per_contact=args.activities_per_contact, leads_per_account=args.leads_per_account,
                  scenarios=not args.no_scenarios)
    jobs = args.jobs
    if jobs is None:
        jobs = min(os.cpu_count() or 1, 8) if args.accounts >= 1000 else 1
    write_dataset(ds, args.out, jobs=max(1, jobs), progress=not args.quiet)
    return 0
