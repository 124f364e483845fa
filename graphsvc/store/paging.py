"""Walking every id of a label in id order without paying FalkorDB for every id after each page.

On FalkorDB a range read (`WHERE x.id > $after ... ORDER BY x.id LIMIT $limit`) hands back every id
after `$after` through the index before the sort keeps `limit` of them (~1.9 µs each): at 1M
contacts, pages of 1,000 cost ~16 minutes of such reads (docs/benchmarks.md, "Exports at 100k").
So passes read ids a large page at a time (50,000: cypher/read/contact_ids,
qualification/account_ids, qualification/pending_accounts) and work on them a small page at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

__all__ = ["id_pages"]


def id_pages(read_after: Callable[[str], list[str]], page: int) -> Iterator[list[str]]:
    """Every id that `read_after(after)` hands back, `page` at a time, in its order. `read_after`
    reads the next large page of ids greater than `after` (empty: none left)."""
    after = ""
    while ids := read_after(after):
        for start in range(0, len(ids), page):
            yield ids[start:start + page]
        after = ids[-1]
