"""The requalification that ends an import: a page at a time, each page reported (phase `qualify`),
so a large import does not sit silent after its last write. Both engines."""

from __future__ import annotations

from test_import_files import NOW, SF, rows_of, write_csv

from graphsvc.imports import export
from graphsvc.imports.job import Importer, ImportOptions
from graphsvc.rules import default_ruleset


def test_the_qualification_after_an_import_shows_progress_page_by_page(store, tmp_path):
    """1,100 accounts (the Salesforce sample's first row, renamed): the accounts the import touched
    are requalified a page at a time, each page reported as phase `qualify`, so a large import does
    not sit silent after its last write."""
    rows = rows_of(SF / "Account.csv")
    h = {name: i for i, name in enumerate(rows[0])}
    made = []
    for n in range(1100):
        row = list(rows[1])
        row[h["id"]], row[h["Name"]], row[h["Website"]] = f"bulk-{n:04}", f"Bulk {n:04}", f"bulk{n:04}.example.com"
        made.append(row)
    seen: list[tuple[str, int]] = []
    report = Importer(store, default_ruleset(), NOW, ImportOptions(), lambda phase, done: seen.append((phase, done))
                      ).run([(write_csv(tmp_path / "Account.csv", [rows[0], *made]), "Account.csv")])
    assert report.written and report.requalified == 1100
    assert [done for phase, done in seen if phase == "qualify"] == [500, 1000, 1100]
    assert seen[-1] == ("qualify", 1100)
    fits = [r["fit"] for r in export.rows(store, "board")]
    assert len(fits) == 1100 and all(f is not None for f in fits)  # every page was qualified
