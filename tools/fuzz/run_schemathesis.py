"""Fuzz the whole HTTP API with Schemathesis, on both engines, as an admin client would.

    python tools/fuzz/run_schemathesis.py                      # both engines (default)
    python tools/fuzz/run_schemathesis.py --engine falkordb    # or neo4j
    python tools/fuzz/run_schemathesis.py --max-examples 10    # quicker, fewer cases

Per engine it starts `graphsvc serve --demo` in a fresh data directory (for Neo4j, a Neo4j 5.26 from
tools/neo4j first), creates an admin key with `graphsvc keys create` and runs `st run` over every
operation of /openapi.json with every check Schemathesis has (`--checks all`: no server error,
status codes, content types, response headers and bodies against the schema, positive data
accepted, negative data rejected, auth not ignored, unsupported methods and their Allow header,
use after free, resources available...) in all four phases: examples, coverage, fuzzing and
stateful (sequences of calls following the links Schemathesis infers between operations). Path
parameters are fed real ids of the demo dataset half the time, so the fuzzer reaches the code
behind the 404s. It prints a summary per engine and exits 1 on any failure, 0 when every engine
passed; servers are stopped whatever happens. Reports (JSON, and JUnit) go to --report-dir.

Deliberate settings, each for a reason (see CONFIG below):
- The harness's own admin key is never revoked (tools/fuzz/st_hooks.py): the stateful phase would
  otherwise find it through GET /v1/keys, DELETE it, and test nothing but 401s from then on.
- `positive_data_acceptance` (a schema-valid request must not get a 4xx) also accepts 400/422 on
  the operations whose documented rules JSON Schema cannot state: references to rows that must
  exist, times not in the future, `from` before `to`, Cypher that must parse, an opaque paging
  cursor, roles, types and reasons from the active ruleset, a TOML ruleset. Each is
  listed in ACCEPTS_REFUSAL with its reason. Every other check stays strict on them, and a 5xx is
  a failure everywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ENGINES = ("falkordb", "neo4j")
PHASES = "examples,coverage,fuzzing,stateful"
# The venv's interpreter runs both tools, so the script works without the venv on PATH (pytest, CI).
GRAPHSVC = [sys.executable, "-m", "graphsvc.cli"]
ST = [sys.executable, "-m", "schemathesis.cli"]

# Operations where a schema-valid request can still be refused with 400/422 because of a rule the
# OpenAPI schema cannot express (JSON Schema has no cross-field, cross-request or "must parse" rules).
ACCEPTS_REFUSAL: dict[tuple[str, str], str] = {
    ("GET", "/v1/accounts"): "the cursor is opaque: only one this API issued is valid",
    ("POST", "/v1/accounts/{account_id}/transitions"): "reject and disqualify need a reason (reject's from the "
                                                        "active ruleset's list)",
    ("PUT", "/v1/contacts/{contact_id}/roles"): "roles must be in the active ruleset's vocabulary",
    ("POST", "/v1/accounts"): "parent_id must name an account",
    ("POST", "/v1/contacts"): "account_id and reports_to must exist (and not be the contact itself); roles "
                              "from the ruleset's vocabulary",
    ("POST", "/v1/leads"): "created_at must not be in the future",
    ("POST", "/v1/activities"): "contact or email must exist; type from the ruleset; times not in the future",
    ("POST", "/v1/cypher"): "the query must be Cypher the engine can run, and read-only",
    ("POST", "/v1/queries/{name}"): "parameters must be the query's documented ones, with their types",
    ("GET", "/v1/reports/funnel"): "`from` must be before `to`",
    ("GET", "/v1/reports/sla"): "`from` must be before `to`",
    ("PUT", "/v1/rules"): "the body must be a valid ruleset (TOML), checked field by field",
    ("POST", "/v1/webhooks"): "the URL must be http(s) with a host and no credentials; types must be event types",
    ("GET", "/v1/events"): "types must be event types",
}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _toml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string for the text used here


def _demo_ids(kind: str, limit: int) -> list[str]:
    rows = (ROOT / "seeds" / "demo" / f"{kind}.jsonl").read_text().splitlines()
    return [json.loads(line)["id"] for line in rows[:limit] if line.strip()]


def write_config(path: Path, *, key: str, queries: list[str], max_examples: int, workers: int, seed: int,
                 strict: bool = False) -> None:
    """The schemathesis.toml of one run: auth, real ids for path parameters, per-operation rules."""
    lines = [
        f"seed = {seed}",
        f"workers = {workers}",
        "request-timeout = 60",
        "[generation]",
        f"max-examples = {max_examples}",
        "[auth.openapi.HTTPBearer]",
        f"bearer = {_toml_str(key)}",
        "[auth.openapi.APIKeyHeader]",
        f"api_key = {_toml_str(key)}",
        "[dictionaries.account_ids]",
        f"values = {json.dumps(_demo_ids('accounts', 40))}",
        "[dictionaries.contact_ids]",
        f"values = {json.dumps(_demo_ids('contacts', 60))}",
        "[dictionaries.query_names]",
        f"values = {json.dumps(queries)}",
        "[parameters]",
        '"path.account_id" = { dictionary = "account_ids", probability = 0.5 }',
        '"path.contact_id" = { dictionary = "contact_ids", probability = 0.5 }',
        '"path.name" = { dictionary = "query_names", probability = 0.5 }',
    ]
    for (method, op_path), reason in ({} if strict else ACCEPTS_REFUSAL).items():
        lines += [
            "[[operations]]",
            f"# {reason}",
            f"include-method = {_toml_str(method)}",
            f"include-path = {_toml_str(op_path)}",
            "checks.positive_data_acceptance.expected-statuses = "
            '["2xx", "3xx", 400, 401, 403, 404, 409, 422, 429, "5xx"]',
        ]
    path.write_text("\n".join(lines) + "\n")


@dataclass
class Result:
    engine: str
    ok: bool
    operations: int = 0
    cases: int = 0
    failures: dict[str, int] = field(default_factory=dict)  # "ST103 Undocumented status code" -> count
    errors: int = 0
    server_errors: int = 0
    seconds: float = 0.0
    note: str = ""
    output: str = ""

    def line(self) -> str:
        failed = sum(self.failures.values())
        text = (f"{self.engine}: {'PASS' if self.ok else 'FAIL'}: {self.operations} operations, {self.cases} cases, "
                f"{failed} failures, {self.server_errors} server errors, {self.errors} errors, {self.seconds:.0f} s")
        if self.failures:
            text += "\n  " + "\n  ".join(f"{n} x {name}" for name, n in sorted(self.failures.items()))
        if self.note:
            text += f"\n  {self.note}"
        return text


class Service:
    """`graphsvc serve --demo` on one engine in a fresh data directory, with an admin key."""

    def __init__(self, engine: str, workdir: Path) -> None:
        self.engine, self.workdir = engine, workdir
        self.data_dir = workdir / "data"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.neo4j = None
        self.process: subprocess.Popen | None = None
        self.key = self.key_id = ""

    def start(self, ready_timeout_s: float = 300) -> Service:
        env = {**os.environ}
        env.pop("GRAPHSVC_API_KEYS_FILE", None)
        env.pop("GRAPHSVC_STORE", None)
        if self.engine == "neo4j":
            sys.path.insert(0, str(ROOT / "tools" / "neo4j"))
            import launcher  # noqa: PLC0415 - dev tooling, only needed for this engine

            self.neo4j = launcher.Neo4jServer(self.workdir / "neo4j").start()
            env["GRAPHSVC_STORE"] = self.neo4j.uri
        created = subprocess.run([*GRAPHSVC, "keys", "create", "--role", "admin", "--label", "schemathesis",
                                  "--data-dir", str(self.data_dir)], env=env, capture_output=True, text=True,
                                 check=True)
        self.key = created.stdout.strip().splitlines()[-1]
        found = re.search(r"created API key (\S+)", created.stderr + created.stdout)
        self.key_id = found.group(1) if found else ""
        self.log = open(self.workdir / "serve.log", "wb")
        self.process = subprocess.Popen(
            [*GRAPHSVC, "serve", "--demo", "--port", str(self.port), "--data-dir", str(self.data_dir),
             "--no-access-log"], env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + ready_timeout_s
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"graphsvc serve exited with {self.process.returncode}: see {self.workdir}/serve.log")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{self.url}/health", timeout=5) as r:
                    if r.status == 200:
                        return self
            if time.monotonic() > deadline:
                raise RuntimeError(f"graphsvc serve not healthy within {ready_timeout_s:.0f} s")
            time.sleep(0.5)

    def get(self, path: str):
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"Bearer {self.key}"})
        with urllib.request.urlopen(request, timeout=30) as r:
            return json.load(r)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: the embedded engine goes too
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.neo4j is not None:
            self.neo4j.stop()
        if getattr(self, "log", None):
            self.log.close()


def run_engine(engine: str, *, max_examples: int, workers: int, seed: int, phases: str, time_limit_s: float,
               report_dir: Path, keep: bool = False, quiet: bool = False, strict: bool = False) -> Result:
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix=f"graphsvc-fuzz-{engine}-"))
    service = Service(engine, workdir)
    result = Result(engine, ok=False)
    try:
        service.start()
        queries = [q["name"] for q in service.get("/v1/queries")]
        config = workdir / "schemathesis.toml"
        write_config(config, key=service.key, queries=queries, max_examples=max_examples, workers=workers, seed=seed,
                     strict=strict)
        report_dir.mkdir(parents=True, exist_ok=True)
        json_report = report_dir / f"{engine}.json"
        cmd = [*ST, "--config-file", str(config), "run", f"{service.url}/openapi.json",
               "--checks", "all", "--phases", phases, "--no-color", "--continue-on-failure",
               "--report", "json,junit", "--report-json-path", str(json_report),
               "--report-junit-path", str(report_dir / f"{engine}.junit.xml"),
               "--generation-database", "none"]
        env = {**os.environ, "SCHEMATHESIS_HOOKS": "st_hooks", "GRAPHSVC_FUZZ_KEY_ID": service.key_id,
               "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
        with contextlib.suppress(FileNotFoundError):
            json_report.unlink()
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=time_limit_s, cwd=workdir)
        except subprocess.TimeoutExpired as exc:
            result.output = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            result.note = f"schemathesis did not finish within {time_limit_s:.0f} s (--time-limit)"
            return result
        result.output = proc.stdout + proc.stderr
        (report_dir / f"{engine}.txt").write_text(result.output)
        if not json_report.exists():
            result.note = f"no report (st exited {proc.returncode}); see {report_dir / (engine + '.txt')}"
            return result
        report = json.loads(json_report.read_text())
        result.operations = report["operations"]["tested"]
        result.cases = report["test_cases"]["generated"]
        result.failures = {f"{f['code']} {f['title']}": f["count"] for f in report.get("failures", [])}
        result.errors = len(report.get("errors", []))
        result.server_errors = sum(n for name, n in result.failures.items() if name.startswith("ST101"))
        try:  # still authenticated: a revoked harness key would have turned the run into 401s
            service.get("/v1/keys")
        except Exception as exc:  # noqa: BLE001
            result.note = f"the harness's admin key no longer works after the run: {exc}"
            return result
        result.ok = (proc.returncode == 0 and not result.failures and not result.errors
                     and result.operations == report["operations"]["selected"] == report["operations"]["total"])
        if result.operations != report["operations"]["total"]:
            result.note = f"only {result.operations} of {report['operations']['total']} operations were tested"
        return result
    except Exception as exc:  # noqa: BLE001 - any failure to set up is this engine's failure, reported
        result.note = f"{type(exc).__name__}: {exc}"
        return result
    finally:
        service.stop()
        result.seconds = time.monotonic() - started
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
        elif not quiet:
            print(f"[{engine}] kept {workdir}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=(*ENGINES, "both"), default="both")
    parser.add_argument("--max-examples", type=int, default=100, help="cases per operation and phase (default 100)")
    # One worker by default: with two, Hypothesis once crashed describing a strategy in a worker thread
    # (CPython 3.11 "SystemError: AST constructor recursion depth mismatch"), a tool error, not the API's.
    parser.add_argument("--workers", type=int, default=1, help="concurrent schemathesis workers (default 1)")
    parser.add_argument("--seed", type=int, default=8, help="random seed, for a reproducible run (default 8)")
    parser.add_argument("--phases", default=PHASES, help=f"default {PHASES}")
    parser.add_argument("--time-limit", type=float, default=420, help="seconds per engine before it fails (default 420)")
    parser.add_argument("--report-dir", type=Path, default=ROOT / ".graphsvc" / "schemathesis")
    parser.add_argument("--keep", action="store_true", help="keep the data directories and server logs")
    parser.add_argument("--strict", action="store_true",
                        help="no ACCEPTS_REFUSAL exemptions: see every schema-valid request refused")
    parser.add_argument("--verbose", action="store_true", help="print Schemathesis's own output")
    args = parser.parse_args(argv)
    try:
        import schemathesis  # noqa: F401, PLC0415
    except ImportError:
        print('error: schemathesis is not installed: pip install -e ".[test]"', file=sys.stderr)
        return 2
    engines = ENGINES if args.engine == "both" else (args.engine,)
    results = []
    for engine in engines:
        print(f"[{engine}] starting graphsvc serve --demo and schemathesis ...", flush=True)
        result = run_engine(engine, max_examples=args.max_examples, workers=args.workers, seed=args.seed,
                            phases=args.phases, time_limit_s=args.time_limit, report_dir=args.report_dir,
                            keep=args.keep, strict=args.strict)
        if args.verbose or not result.ok:
            print(result.output)
        print(result.line(), flush=True)
        results.append(result)
    print(f"\nsummary (reports in {args.report_dir}):")
    for result in results:
        print(result.line())
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
