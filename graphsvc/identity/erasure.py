"""Erasing a person on request (GDPR Art. 17): see cypher/identity/erase_contact.cypher for what goes
and what stays. The contact's email (and the emails merged into it) are kept only as salted hashes,
so a later import of the same address is reported (ingest's `previously_erased`), never silently
joined to anything that was erased: nothing of the person is left to join it to."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from graphsvc.errors import NotFound
from graphsvc.rules import email_hash
from graphsvc.store.graph_store import GraphStore

__all__ = ["ErasureService"]


class ErasureService:
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def erase(self, contact_id: str, actor: str, now: float) -> dict[str, Any]:
        """Erase the contact; {erased, anonymous_id, account_id, emails_hashed}. The caller requalifies
        the account."""
        row = self.store.contact(contact_id)
        if row is None:
            raise NotFound(f"no contact with id {contact_id!r}")
        emails = {row["contact"].get("email")}
        emails |= {r["key"].split(":", 1)[1] for r in self.store.read("identity/aliases_of", id=contact_id)
                   if r["key"].startswith("email:")}
        salt = self.store.write("identity/erasure_salt", candidate=secrets.token_hex(32))[0]["salt"]
        hashes = sorted({email_hash(salt, e) for e in emails if e})
        anonymous = f"erased-{uuid.uuid4().hex}"
        done = self.store.write("identity/erase_contact", id=contact_id, anonymous_id=anonymous,
                                erasure_id=uuid.uuid4().hex, email_hashes=hashes, actor=actor, now=now,
                                batch=uuid.uuid4().hex)
        if not done:  # erased (or merged) by another request in between
            raise NotFound(f"no contact with id {contact_id!r}")
        return {"erased": contact_id, "anonymous_id": anonymous, "account_id": done[0]["account_id"],
                "emails_hashed": len(hashes)}
