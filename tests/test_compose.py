"""docker-compose.yml is a valid Compose file and wires the API to Neo4j (it cannot run here).

tests/data/compose-spec.json is the Compose Specification's JSON schema (draft 2020-12,
`$id` compose_spec.json), vendored so the test needs no network. Source: the PyPI package
check-jsonschema 0.39.0, file check_jsonschema/builtin_schemas/vendor/compose-spec.json, which
vendors `schema/compose-spec.json` of the compose-spec project; sha256 below, matching the
package's own vendor/sha256/compose-spec.sha256. License: Apache-2.0 (the Compose Specification
authors), copy in tests/data/compose-spec.LICENSE. To update: `pip download --no-deps
check-jsonschema`, unzip, copy that file and update SCHEMA_SHA256.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
SCHEMA = Path(__file__).resolve().parent / "data" / "compose-spec.json"
SCHEMA_SHA256 = "d549057ebc2925f39f62799eab0db7b9e2c18b35b6c00595199116da3ed10e64"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: str(v) for k, v in env.items()}


def test_vendored_schema_is_the_recorded_one():
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256


def test_compose_file_is_valid_against_the_compose_spec(compose):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    errors = sorted(validator_cls(schema).iter_errors(compose), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors)


def test_the_schema_rejects_a_broken_file(compose):
    # Guards against a vacuous validation (e.g. a schema that accepts anything).
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(compose))
    broken["services"]["api"]["depends_on"] = {"neo4j": {"condition": "when_it_feels_like_it"}}
    broken["services"]["api"]["portz"] = ["8000:8000"]
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert len(list(validator.iter_errors(broken))) >= 2


def test_api_points_at_the_neo4j_service(compose):
    services = compose["services"]
    assert {"api", "neo4j"} <= set(services)
    env = _env(services["api"])
    m = re.fullmatch(r"(neo4j|bolt)://([^:/]+):(\d+)", env["GRAPHSVC_STORE"])
    assert m, env["GRAPHSVC_STORE"]
    assert m.group(2) == "neo4j" and m.group(3) == "7687"
    assert env["GRAPHSVC_NEO4J_USER"] == "neo4j"
    assert env["GRAPHSVC_NEO4J_DATABASE"] == "neo4j"
    # The API's password is Neo4j's: both come from the same variable with the same default.
    neo4j_auth = _env(services["neo4j"])["NEO4J_AUTH"]
    assert neo4j_auth == "neo4j/" + env["GRAPHSVC_NEO4J_PASSWORD"]


def test_api_waits_for_a_healthy_neo4j(compose):
    depends = compose["services"]["api"]["depends_on"]
    assert isinstance(depends, dict), "use the long form: depends_on: {neo4j: {condition: service_healthy}}"
    assert depends["neo4j"]["condition"] == "service_healthy"


def test_neo4j_has_a_healthcheck_and_a_volume(compose):
    neo4j = compose["services"]["neo4j"]
    assert re.match(r"neo4j:5[.\d]*-community$", neo4j["image"]), neo4j["image"]
    # The same pinned patch version the test suite runs (tools/neo4j/pom.xml).
    pom = (Path(__file__).resolve().parent.parent / "tools" / "neo4j" / "pom.xml").read_text()
    tested = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", pom).group(1)
    assert neo4j["image"] == f"neo4j:{tested}-community"
    test = neo4j["healthcheck"]["test"]
    assert "cypher-shell" in " ".join(test) or "7474" in " ".join(test)
    named = set(compose.get("volumes") or {})
    mounts = [v if isinstance(v, str) else f"{v['source']}:{v['target']}" for v in neo4j["volumes"]]
    data = [m for m in mounts if m.split(":")[1] == "/data"]
    assert data and data[0].split(":")[0] in named, f"/data must be on a named volume: {mounts}"


def test_ports_and_the_image_that_serves_them(compose):
    api = compose["services"]["api"]
    assert any(str(p).endswith("8000:8000") for p in api["ports"])
    neo4j_ports = [str(p) for p in compose["services"]["neo4j"]["ports"]]
    assert any(p.endswith(":7474") for p in neo4j_ports) and any(p.endswith(":7687") for p in neo4j_ports)
    build = api["build"]
    dockerfile = ROOT / build.get("context", ".") / build.get("dockerfile", "Dockerfile")
    text = dockerfile.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    assert '"graphsvc", "serve", "--host", "0.0.0.0", "--port", "8000"' in text


def test_dockerignore_keeps_what_the_wheel_is_built_from():
    lines = [ln.strip() for ln in (ROOT / ".dockerignore").read_text().splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    assert lines[0] == "*", "allow-list .dockerignore expected"
    kept = {ln[1:].rstrip("/") for ln in lines if ln.startswith("!")}
    # pyproject.toml: the wheel packs graphsvc and seeds, force-includes cypher/, and reads README.md.
    assert {"pyproject.toml", "README.md", "graphsvc", "seeds", "cypher"} <= kept
