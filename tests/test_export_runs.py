"""Exports answer within the request's deadline however many accounts there are: an export whose file
is still being written shortly before the deadline is answered 202 (JSON, `Location:
/v1/exports/runs/{id}`) and followed there to its file's URL; the file is the one the export answers
at once on a calm engine. Before, the deadline's 503 ("retry") came while the file went on being
written, to be thrown away (at 100k accounts the readiness export takes minutes, the board's XLSX
about 30 s; the deadline is 30 s). Both engines; the export's first page read is held until the test
has its answer. Another API worker (a second app on the same data directory) answers for the run and
its file."""

from __future__ import annotations

from fastapi.testclient import TestClient
from held_store import HeldStore, follow, held_app
from test_import_export import _csv, _imported

from graphsvc.api.app import create_app
from graphsvc.errors import StoreUnavailable


def test_a_long_export_is_answered_as_a_run_to_follow_to_its_file(client, store, clock, settings):
    _imported(store)
    calm = client.get("/v1/exports/board", params={"format": "csv", "target": "hubspot"})
    assert calm.status_code == 200 and len(_csv(calm.content)) == 11
    assert not list((settings.data_dir / "exports").iterdir())  # answered at once: nothing kept
    held_client, held = held_app(store, clock, settings, "imports/export_accounts")
    with held_client as c, TestClient(create_app(settings, store=store, clock=clock)) as other:
        r = c.get("/v1/exports/board", params={"format": "csv", "target": "hubspot"})
        assert r.status_code == 202 and r.headers["content-type"] == "application/json", r.text
        run = r.json()
        url = f"/v1/exports/runs/{run['id']}"
        assert r.headers["Location"] == url
        assert (run["kind"], run["status"], run["what"], run["format"], run["target"]) == (
            "export", "running", "board", "csv", "hubspot")
        assert (run["unit"], run["done"], run["total"], run["result"]) == ("rows", 0, 11, None)
        early = other.get(f"{url}/file")  # another worker: the run is known, its file not written yet
        assert early.status_code == 409 and early.json()["details"] == {"status": "running"}, early.text
        held.release.set()
        done = follow(other, url)
        assert done["status"] == "done" and done["error"] is None
        result = done["result"]
        assert (result["file"], result["rows"], result["url"]) == ("board-hubspot.csv", 11, f"{url}/file")
        for worker in (c, other):
            got = worker.get(result["url"])
            assert got.status_code == 200 and got.content == calm.content, got.text[:200]
            assert got.headers["content-type"].startswith("text/csv")
            assert 'filename="board-hubspot.csv"' in got.headers["content-disposition"]
            assert int(got.headers["content-length"]) == result["bytes"]


def test_an_export_that_fails_after_its_answer_has_no_file(client, store, clock, settings):
    _imported(store)
    held_client, held = held_app(store, clock, settings, "imports/export_contacts")
    with held_client as c:
        r = c.get("/v1/exports/contacts", params={"format": "xlsx"})
        assert r.status_code == 202, r.text
        held.fail = StoreUnavailable("engine down")
        held.release.set()
        failed = follow(c, r.headers["Location"])
        assert failed["status"] == "failed" and failed["result"] is None
        assert failed["error"] == {"error": "store_unavailable", "message": "engine down", "status": 503}
        gone = c.get(f"{r.headers['Location']}/file")
        assert gone.status_code == 409 and gone.json()["details"] == {"status": "failed"}
        assert c.get("/v1/exports/runs/0123456789abcdef").status_code == 404
        assert c.get("/v1/exports/runs/0123456789abcdef/file").status_code == 404


def test_an_export_failing_at_once_is_its_error_and_leaves_nothing(client, store, clock, settings):
    _imported(store)
    failing = HeldStore(store, "imports/export_accounts")
    failing.fail = StoreUnavailable("engine down")
    failing.release.set()
    with TestClient(create_app(settings, store=failing, clock=clock)) as c:
        r = c.get("/v1/exports/board")
        assert r.status_code == 503 and r.json()["error"] == "store_unavailable", r.text
    assert not list((settings.data_dir / "exports").iterdir())


def test_a_third_export_at_once_is_429(client, store, clock, settings):
    _imported(store)
    held_client, held = held_app(store, clock, settings, "imports/export_accounts")
    with held_client as c:
        first, second = c.get("/v1/exports/board"), c.get("/v1/exports/readiness")
        assert (first.status_code, second.status_code) == (202, 202), (first.text, second.text)
        third = c.get("/v1/exports/contacts")  # a read of its own, not held: it is refused all the same
        assert third.status_code == 429 and third.headers["Retry-After"] == "10", third.text
        assert set(third.json()["details"]["running"]) == {first.json()["id"], second.json()["id"]}
        held.release.set()
        assert follow(c, first.headers["Location"])["result"]["rows"] == 11
        assert follow(c, second.headers["Location"])["result"]["rows"] == 11
        assert c.get("/v1/exports/contacts").status_code == 200
