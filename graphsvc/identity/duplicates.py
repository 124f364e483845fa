"""Candidate duplicates: contacts with the same email, or the same normalised name at the same email
domain; accounts with the same domain, or the same normalised name. Candidates only: a person
decides, then merges. Normalising is pure (tested without a store)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from graphsvc.identity.repository import IdentityRepository
from graphsvc.store.graph_store import GraphStore

__all__ = ["account_candidates", "candidate_groups", "contact_candidates", "normalise_company", "normalise_name"]

# Legal forms that do not tell two companies apart ("Acme Inc." and "ACME" are one name).
LEGAL_FORMS = frozenset({
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "llp", "plc", "lp",
    "gmbh", "ag", "kg", "se", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "oy", "ab", "as", "kk", "pte", "pty",
})


def normalise_name(text: str | None) -> str:
    """Lower case, accents, apostrophes and punctuation gone, spaces collapsed: 'José  O’Neil' -> 'jose oneil'."""
    if not text:
        return ""
    text = text.replace("'", "").replace("\u2019", "")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded.replace("&", " and ")).split())


def normalise_company(name: str | None) -> str:
    """normalise_name without trailing legal forms: 'Acme Motion GmbH & Co. KG' -> 'acme motion'."""
    words = normalise_name(name).split()
    while words and (words[-1] in LEGAL_FORMS or words[-1] == "and"):
        words.pop()
    return " ".join(words)


def candidate_groups(keyed: Iterable[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """(reason, key, id) triples -> [{reason, key, ids}] for every key shared by two ids or more."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for reason, key, row_id in keyed:
        if key:
            groups[(reason, key)].append(row_id)
    return [{"reason": reason, "key": key, "ids": sorted(set(ids))}
            for (reason, key), ids in sorted(groups.items()) if len(set(ids)) > 1]


def contact_candidates(store: GraphStore) -> list[dict[str, Any]]:
    def keys() -> Iterable[tuple[str, str, str]]:
        for c in IdentityRepository(store).people():
            email = (c["email"] or "").strip().lower()
            yield "same_email", email, c["id"]
            name = normalise_name(f"{c['first_name'] or ''} {c['last_name'] or ''}")
            domain = email.rpartition("@")[2]
            if name and domain:
                yield "same_name_and_domain", f"{name} @{domain}", c["id"]
    return candidate_groups(keys())


def account_candidates(store: GraphStore) -> list[dict[str, Any]]:
    def keys() -> Iterable[tuple[str, str, str]]:
        for a in IdentityRepository(store).companies():
            yield "same_domain", (a["domain"] or "").strip().lower(), a["id"]
            yield "same_name", normalise_company(a["name"]), a["id"]
    return candidate_groups(keys())
