"""The demo dataset: what `generate(accounts=40, seed=7, as_of=2026-11-01T00:00:00Z)` produces,
stored under seeds/demo/ so the service can load it without generating anything.

`load_demo(now)` returns its rows with every timestamp moved by (now - anchor), so the demo always
looks recent and is never in the future. Regenerate the files with `python -m seeds --demo`; a test
fails if they drift from what the generator produces.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from .clock import DEFAULT_AS_OF, iso, to_epoch
from .generator import KINDS, Dataset, generate
from .scenarios import SCENARIO_ACCOUNTS, SCENARIOS

DEMO_ACCOUNTS = 40
DEMO_SEED = 7
DEMO_AS_OF = DEFAULT_AS_OF
DEMO_DIR = Path(__file__).resolve().parent / "demo"
TIME_FIELDS = {"leads": ("created_at",), "activities": ("at",), "opportunities": ("created_at", "close_date")}


def demo_dataset() -> Dataset:
    return generate(DEMO_ACCOUNTS, seed=DEMO_SEED, as_of=DEMO_AS_OF)


def manifest_for(ds: Dataset, counts: dict[str, int]) -> dict:
    return {
        "description": "graphsvc demo dataset, produced by `python -m seeds --demo`; "
                       "load it with seeds.demo.load_demo(now), which shifts every time by (now - as_of).",
        "as_of": iso(ds.as_of_ts),
        "seed": ds.seed,
        "accounts": ds.n_accounts,
        "contacts_per_account": ds.contacts_per_account,
        "activities_per_contact": ds.activities_per_contact,
        "leads_per_account": ds.leads_per_account,
        "counts": {k: counts[k] for k in KINDS},
        "files": {k: f"{k}.jsonl" for k in KINDS},
        "load_order": list(("accounts", "contacts", "leads", "activities", "opportunities")),
        "scenarios": {name: _describe(acc_id) for name, acc_id in SCENARIO_ACCOUNTS.items()},
    }


def _describe(account_id: str) -> dict:
    s = next(s for s in SCENARIOS if s.account_id == account_id)
    return {"account_id": account_id, "name": s.account["name"], "story": s.story,
            "key_contacts": {s.contact_id(no): note for no, note in s.key_contacts}}


def write_demo(out: str | Path = DEMO_DIR, progress: bool = False) -> dict:
    """Regenerate the demo files and manifest.json under `out`; return the manifest."""
    from .writer import write_dataset

    ds = demo_dataset()
    counts = write_dataset(ds, out, jobs=1, progress=progress)
    manifest = manifest_for(ds, counts)
    Path(out, "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    return manifest


def _demo_files():
    return resources.files("seeds").joinpath("demo")


def load_manifest() -> dict:
    return json.loads(_demo_files().joinpath("manifest.json").read_text(encoding="utf-8"))


def _read_jsonl(name: str) -> list[dict]:
    text = _demo_files().joinpath(name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _epoch(text: str) -> int:
    return to_epoch(datetime.fromisoformat(text.replace("Z", "+00:00")))


def load_demo(now: datetime | None = None) -> dict[str, list[dict]]:
    """The demo rows by kind ("accounts", "contacts", "leads", "activities"), with every timestamp
    shifted by (now - anchor), whole seconds, rounded down: all times stay <= `now`. `now` must be
    timezone-aware; None means the current time."""
    now = datetime.now(UTC) if now is None else now
    manifest = load_manifest()
    shift = to_epoch(now) - _epoch(manifest["as_of"])
    out: dict[str, list[dict]] = {}
    for kind in KINDS:
        if kind not in manifest["files"]:  # files written before the kind existed
            out[kind] = []
            continue
        rows = _read_jsonl(manifest["files"][kind])
        for row in rows:
            for f in TIME_FIELDS.get(kind, ()):
                if row.get(f):
                    row[f] = iso(_epoch(row[f]) + shift)
        out[kind] = rows
    return out
