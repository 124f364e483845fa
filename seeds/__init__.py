"""Seeds: a deterministic generator of a realistic B2B dataset, and the demo dataset it produced.

    from seeds import generate, load_demo
    ds = generate(accounts=10_000)            # lazy: ds.accounts / .contacts / .leads / .activities
    rows = load_demo(now)                     # {"accounts": [...], ...}, times shifted to end at now

Stands alone: imports nothing from graphsvc. See seeds/README.md.
"""

from .clock import DEFAULT_AS_OF
from .demo import load_demo, load_manifest
from .generator import KINDS, AccountBundle, Dataset, batched, generate
from .scenarios import SCENARIO_ACCOUNTS

__all__ = ["DEFAULT_AS_OF", "KINDS", "SCENARIO_ACCOUNTS", "AccountBundle", "Dataset", "batched", "generate",
           "load_demo", "load_manifest"]
