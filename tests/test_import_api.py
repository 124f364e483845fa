"""POST /v1/imports (multipart) -> an import job; GET the job; download its rejected rows. Both engines."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = next((d for d in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data") if d.exists()),
            ROOT.parent / "shared" / "data")
SF = DATA / "salesforce" / "devorg-sample-cumulusci"


def _files(*paths: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "text/csv")) for p in paths]


def test_an_import_job_reports_counts_and_writes(client, clock, store):
    clock.now = datetime(2026, 12, 1, tzinfo=UTC).timestamp()
    r = client.post("/v1/imports?wait=true", files=_files(SF / "Account.csv", SF / "Contact.csv", SF / "Lead.csv"))
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["status"] == "done" and job["rejected"] == []
    counts = job["report"]["counts"]
    assert (counts["accounts"]["created"], counts["contacts"]["created"], counts["leads"]["matched"]) == (11, 18, 2)
    assert store.counts() == {"accounts": 11, "contacts": 18, "leads": 22, "activities": 0}
    again = client.get(f"/v1/imports/{job['id']}")
    assert again.status_code == 200 and again.json()["report"] == job["report"]


def test_a_background_job_ends_done(client, store):
    r = client.post("/v1/imports", files=_files(SF / "Account.csv"), data={"dry_run": "true"})
    assert r.status_code == 202 and r.json()["status"] in ("queued", "running", "done")
    job = _follow(client, r.json()["id"])
    assert job["status"] == "done" and job["report"]["counts"]["accounts"]["created"] == 11
    assert store.counts()["accounts"] == 0  # a dry run


def _follow(client, job_id: str) -> dict:
    """The job once it ended (a bounded wait for its thread, not a timing assertion)."""
    for _ in range(600):
        job = client.get(f"/v1/imports/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"import job {job_id} did not end: {job}")


def test_rejected_rows_download_as_a_csv_to_fix_and_reimport(client, store, tmp_path):
    rows = list(csv.reader(io.StringIO((SF / "Contact.csv").read_text())))
    h = {n: i for i, n in enumerate(rows[0])}
    rows[1][h["Email"]] = "rose-at-edge.com"
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    bad = tmp_path / "Contact.csv"
    bad.write_text(buf.getvalue())
    r = client.post("/v1/imports?wait=true", files=_files(SF / "Account.csv", bad), data={"skip_invalid": "true"})
    job = r.json()
    assert job["status"] == "done" and job["report"]["counts"]["contacts"]["refused"] == 1
    assert job["report"]["problems"][0]["line"] == 2 and job["report"]["problems"][0]["column"] == "Email"
    assert [x["file"] for x in job["rejected"]] == ["Contact.rejected.csv"]
    got = client.get(job["rejected"][0]["url"])
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rejected = list(csv.reader(io.StringIO(got.text)))
    assert len(rejected) == 2 and rejected[1][h["id"]] == "11" and "email" in rejected[1][-1].lower()
    rejected[1][h["Email"]] = "rose@edge.com"
    buf = io.StringIO()
    csv.writer(buf).writerows(rejected)
    fixed = client.post("/v1/imports?wait=true", files=[("files", ("Contact.csv", buf.getvalue().encode(), "text/csv"))])
    assert fixed.json()["report"]["problem_count"] == 0
    assert store.counts()["contacts"] == 18
    assert client.get(f"/v1/imports/{job['id']}/rejected/nope.csv").status_code == 404


def test_a_blocked_import_writes_nothing_and_says_why(client, store):
    r = client.post("/v1/imports?wait=true", files=_files(SF / "Contact.csv"))
    job = r.json()
    assert job["status"] == "done" and job["report"]["written"] is False
    assert job["report"]["problem_count"] == 18  # every contact names an account the graph does not have
    assert "nothing was written" in job["report"]["message"]
    assert store.counts()["contacts"] == 0


def test_bad_options_are_422_naming_the_field_and_unknown_jobs_404(client):
    r = client.post("/v1/imports", files=_files(SF / "Lead.csv"), data={"tz": "Mars/Olympus"})
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "tz"
    r = client.post("/v1/imports", files=_files(SF / "Lead.csv"), data={"source": "csv"})
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "mapping"
    mapping = ("mapping", ("m.toml", b"[[file]]\nkind = 'accounts'\n[file.columns]\nnaem = 'x'\n", "text/plain"))
    r = client.post("/v1/imports", files=[*_files(SF / "Lead.csv"), mapping])
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "mapping" and "naem" in r.json()["message"]
    assert client.get("/v1/imports/0123456789abcdef").status_code == 404
    r = client.post("/v1/imports", data={"dry_run": "true"})
    assert r.status_code == 422


def test_an_import_job_sets_crm_roles_with_their_events(client, clock, store, tmp_path):
    clock.now = datetime(2026, 12, 1, tzinfo=UTC).timestamp()
    roles = tmp_path / "OpportunityContactRole.csv"
    roles.write_text("Id,ContactId,OpportunityId,Role,IsPrimary\n00K1,13,1,Decision Maker,True\n"
                     "00K2,14,1,BUDGET_HOLDER,False\n", encoding="utf-8")
    r = client.post("/v1/imports?wait=true", files=_files(SF / "Account.csv", SF / "Contact.csv", roles))
    assert r.status_code == 200, r.text
    assert r.json()["report"]["counts"]["roles"]["roles"] == 2
    events = client.get("/v1/events", params={"types": "roles_changed"}).json()["events"]
    assert sorted((e["actor"], e["data"]["contact_id"]) for e in events) == [("import", "13"), ("import", "14")]
    assert client.get("/v1/contacts/14").json()["roles"][0]["role"] == "economic_buyer"


def test_wait_true_answers_a_long_job_as_a_job_to_follow_before_the_deadline(store, clock, settings):
    """A `wait=true` import still running near the request's deadline is answered 202 with its id (then
    followed to its end), not cut off by the deadline's 503 while it goes on. The deadline here is 2 s
    (so the request waits 1 s), and the import's first write is held until the test has its answer."""
    from fastapi.testclient import TestClient
    from held_store import HeldStore

    from graphsvc.api.app import create_app

    held = HeldStore(store, "ingest/upsert_accounts")
    app = create_app(settings.model_copy(update={"request_timeout_s": 2.0}), store=held, clock=clock)
    with TestClient(app) as c:
        r = c.post("/v1/imports?wait=true", files=_files(SF / "Account.csv"))
        assert r.status_code == 202, r.text
        assert r.json()["status"] == "running" and r.json()["id"]
        held.release.set()
        job = _follow(c, r.json()["id"])
    assert job["status"] == "done" and job["report"]["counts"]["accounts"]["created"] == 11
    assert job["waiting"] is None and store.counts()["accounts"] == 11
