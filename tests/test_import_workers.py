"""Import jobs across the workers of `serve --workers N`: the worker that took the upload runs the job,
and any other (here a second app on the same data directory and graph) answers GET for it, while it
runs and once it ended, and hands out its rejected rows. Before, another worker answered 404. Both
engines."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from held_store import HeldStore
from test_import_api import SF, _files, _follow

from graphsvc.api.app import create_app


def _with_a_bad_email() -> bytes:
    rows = list(csv.reader(io.StringIO((SF / "Contact.csv").read_text())))
    rows[1][rows[0].index("Email")] = "rose-at-edge.com"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_another_worker_answers_for_a_job_and_its_rejected_rows(client, store, clock, settings):
    with TestClient(create_app(settings, store=store, clock=clock)) as other:
        r = client.post("/v1/imports?wait=true", data={"skip_invalid": "true"},
                        files=[*_files(SF / "Account.csv"), ("files", ("Contact.csv", _with_a_bad_email(), "text/csv"))])
        assert r.status_code == 200, r.text
        job = r.json()
        assert job["status"] == "done" and [x["file"] for x in job["rejected"]] == ["Contact.rejected.csv"]
        seen = other.get(f"/v1/imports/{job['id']}")
        assert seen.status_code == 200 and seen.json() == client.get(f"/v1/imports/{job['id']}").json() == job
        url = job["rejected"][0]["url"]
        rejected = other.get(url)
        assert rejected.status_code == 200 and rejected.content == client.get(url).content
        assert b"rose-at-edge.com" in rejected.content
        for bad in ("0123456789abcdef", "..", "%2e%2e%2fjob.json", job["id"].upper()):
            assert other.get(f"/v1/imports/{bad}").status_code == 404, bad


def test_another_worker_shows_a_running_job_until_it_ends(client, store, clock, settings, monkeypatch):
    import json
    import time

    from graphsvc import job_files

    monkeypatch.setattr(job_files, "BEAT_S", 0.05)
    held = HeldStore(store, "ingest/upsert_accounts")  # the taking worker's first account upsert waits
    with TestClient(create_app(settings, store=held, clock=clock)) as taking:
        r = taking.post("/v1/imports", files=_files(SF / "Account.csv"))
        assert r.status_code == 202, r.text
        shown = client.get(f"/v1/imports/{r.json()['id']}")  # the other worker
        assert shown.status_code == 200 and shown.json()["status"] in ("queued", "running"), shown.text
        # While it waits, its heartbeat keeps rewriting job.json (what tells it from an interrupted one).
        saved = settings.data_dir / "imports" / r.json()["id"] / "job.json"
        first = json.loads(saved.read_text())["updated_at"]
        for _ in range(200):  # bounded: a few beats of 0.05 s
            if json.loads(saved.read_text())["updated_at"] > first:
                break
            time.sleep(0.05)
        assert json.loads(saved.read_text())["updated_at"] > first
        assert client.get(f"/v1/imports/{r.json()['id']}").json()["status"] == "running"
        held.release.set()
        assert taking.get(f"/v1/imports/{r.json()['id']}").status_code == 200
        done = _follow(client, r.json()["id"])
    assert done["status"] == "done" and done["report"]["counts"]["accounts"]["created"] == 11
    assert store.counts()["accounts"] == 11


def test_a_job_whose_process_stopped_is_shown_interrupted(client, settings):
    """What a worker killed mid-import leaves: a running job.json no heartbeat rewrites any more."""
    import json
    import time

    directory = settings.data_dir / "imports" / "00000000deadbeef"
    directory.mkdir(parents=True)
    gone = {"id": "00000000deadbeef", "status": "running", "phase": "write contacts", "rows_done": 5000,
            "error": None, "rejected": [], "updated_at": time.time() - 3_600}
    (directory / "job.json").write_text(json.dumps(gone))
    shown = client.get("/v1/imports/00000000deadbeef").json()
    assert shown["status"] == "interrupted" and shown["rows_done"] == 5000 and "updated_at" not in shown
    assert "import the files again" in shown["error"]
    (directory / "job.json").write_text(json.dumps({**gone, "updated_at": time.time()}))  # alive: as it says
    assert client.get("/v1/imports/00000000deadbeef").json()["status"] == "running"
    # Stopped while it copied the upload (before any heartbeat): queued, then nothing more.
    (directory / "job.json").write_text(json.dumps({**gone, "status": "queued", "phase": None, "rows_done": 0}))
    assert client.get("/v1/imports/00000000deadbeef").json()["status"] == "interrupted"
