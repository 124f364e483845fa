"""Service configuration: pydantic settings, every field overridable as `GRAPHSVC_<NAME>`."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from urllib.parse import urlparse

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRAPHSVC_", extra="ignore")

    store: str | None = Field(
        default=None,
        description="Unset: embedded FalkorDB. neo4j://, neo4j+s://, bolt:// URIs: Neo4j. "
        "falkordb://host:port: an external FalkorDB.",
    )
    data_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir("graphsvc")),
        description="Where the embedded FalkorDB keeps its append-only file (and the API keys).",
    )
    store_password_file: Path | None = Field(
        default=None,
        description="A file holding the password of the FalkorDB named by `store` (instead of "
        "putting it in the URL). The embedded engine keeps its own in <data_dir>/falkordb.password.",
    )
    graph: str = Field(default="graphsvc", description="Graph name on FalkorDB (Neo4j's database is `neo4j_database`).")
    neo4j_user: str = "neo4j"
    neo4j_password: str = "neo4j"
    neo4j_database: str | None = None
    max_batch: int = Field(default=10_000, description="Rows per ingest batch before 413.")
    requalify_interval_s: float = Field(
        default=60.0, ge=0, description="This often, requalify the accounts whose decay is due (their requalify_at has "
        "come: a score crossing a bar, a window expiring, a hold ending), or every account with "
        "requalify_full_pass; 0 = off."
    )
    embedded_ready_timeout_s: float = Field(
        default=120.0, gt=0, description="How long the embedded FalkorDB may load its append-only file at start "
        "without answering or using CPU before the service gives up; while it works (replaying a long tail of "
        "writes answers nobody for minutes at 100k accounts) the start waits on."
    )
    embedded_rewrite_wait_s: float = Field(
        default=120.0, ge=0, description="How long stopping the embedded FalkorDB waits for an append-only file "
        "rewrite that is running (stopping ends it, and the next start replays the log's whole tail again: ~10 "
        "minutes at 100k accounts); 0 = stop at once."
    )
    embedded_threads: int | None = Field(
        default=None, ge=1, description="Queries the embedded FalkorDB runs at once (its THREAD_COUNT); unset: one "
        "per core. 1 avoided a FalkorDB crash (signal 11 in GraphBLAS) that three of about eleven full passes over "
        "100k accounts with two processes hit, at the cost of a slower board and analysts' queries holding up sales "
        "reads (docs/benchmarks.md)."
    )
    requalify_full_pass: bool = Field(
        default=False, description="The periodic requalification requalifies every account (the behaviour before "
        "issue 10) instead of only those whose requalify_at has come. `graphsvc requalify --all` does one such pass."
    )
    requalify_processes: int = Field(
        default_factory=lambda: os.cpu_count() or 1, ge=1, description="Worker processes of a requalification of "
        "every account (a ruleset's activation, the periodic pass with requalify_full_pass) and of the pending drain "
        "when 2,000 or more accounts are marked (a bulk load with requalify=later), and of the readiness export "
        "(GET /v1/exports/readiness) of more than 1,000 accounts: all are Python-bound, so one per core (the "
        "default) divides their time; 1 = in the API process."
    )
    requalify_pending_interval_s: float = Field(
        default=5.0, ge=0, description="Requalify accounts whose requalification a failure left pending (marked "
        "in the same statement as the write) this often, and once at start; 0 = off (a client's retry still drains)."
    )
    requalify_pending_elsewhere_s: float = Field(
        default=0.0, ge=0, description="Set by `graphsvc serve --workers N` for its worker processes (their own "
        "interval is 0): how often the serving process drains pending requalifications. Not for setting by hand."
    )
    query_timeout_s: float = Field(default=10.0, gt=0, description="Ad-hoc and library Cypher timeout, the wait "
                                   "for a place in the analysts' lane included.")
    analyst_concurrency: int = Field(default=1, ge=1, description="Analysts' queries (ad-hoc, library, reports) "
                                     "running at once per API process; more wait their turn within their timeout, so "
                                     "ingest and sales reads keep the engine's other threads.")
    request_timeout_s: float = Field(default=30.0, ge=0, description="Deadline of any request: past it the client "
                                     "gets 503 engine_timeout with Retry-After (a hung engine); 0 = none.")
    query_row_limit: int = Field(default=10_000, ge=1, description="Ad-hoc and library Cypher row limit.")
    query_byte_limit: int = Field(default=32 * 1024 * 1024, ge=1024, description="Bytes (as JSON) an ad-hoc or "
                                  "library answer may hold: cut there (`truncated`); one larger row is a 400.")
    api_keys_file: Path | None = Field(
        default=None,
        description="API keys (hashed), JSON; default <data_dir>/api_keys.json. No file: open on loopback only.",
    )

    score_horizon_days: float = Field(default=90.0, gt=0, description="The predictive score's horizon: "
                                      "`graphsvc rules fit-score` fits the probability of being won within this "
                                      "many days (rules lab, issue 13).")
    sla_interval_s: float = Field(default=60.0, ge=0, description="How often SLA due times are checked for "
                                  "reminder and breach events; 0 = not in this process.")
    webhook_poll_s: float = Field(default=1.0, ge=0, description="How often the webhook delivery worker looks for "
                                  "new events and due retries; 0 = no worker in this process.")
    webhook_timeout_s: float = Field(default=10.0, gt=0, description="Seconds a webhook receiver has to answer "
                                     "one delivery (connect, send, each read) before the attempt counts as failed.")
    webhook_max_attempts: int = Field(default=8, ge=1, le=50, description="Default tries of a delivery before it "
                                      "is dead-lettered (a webhook may set its own).")
    webhook_backoff_base_s: float = Field(default=2.0, gt=0, description="First retry delay of a failed delivery; "
                                          "doubled per attempt, with jitter.")
    webhook_backoff_cap_s: float = Field(default=3600.0, gt=0, description="Longest delay between two tries.")
    webhook_secrets_file: Path | None = Field(default=None, description="Webhook signing secrets (JSON, 0600); "
                                              "default <data_dir>/webhook_secrets.json.")

    @property
    def pending_drain_s(self) -> float:
        """How often pending requalifications are drained for this service (0: never): by this process,
        or, in a worker of `serve --workers N`, by the serving process."""
        return self.requalify_pending_interval_s or self.requalify_pending_elsewhere_s

    @cached_property
    def engine(self) -> str:
        """`embedded`, `falkordb` or `neo4j`, from the `store` URI."""
        if not self.store:
            return "embedded"
        scheme = urlparse(self.store).scheme.lower()
        if scheme in NEO4J_SCHEMES:
            return "neo4j"
        if scheme in ("falkordb", "redis"):
            return "falkordb"
        raise ValueError(
            f"GRAPHSVC_STORE={self.store!r}: expected neo4j://, neo4j+s://, bolt:// or falkordb://host:port"
        )
