"""Erasing a person on request (GDPR Art. 17): see cypher/identity/erase_contact.cypher for what goes
and what stays. The contact's email (and the emails merged into it) are kept only as salted hashes,
so a later import of the same address is reported (ingest's `previously_erased`), never silently
joined to anything that was erased: nothing of the person is left to join it to."""

from __future__ import annotations

import json
import re
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
        aliases = [r["key"] for r in self.store.read("identity/aliases_of", id=contact_id)]
        emails = {row["contact"].get("email")} | {k.split(":", 1)[1] for k in aliases if k.startswith("email:")}
        ids = [contact_id] + [k.split(":", 1)[1] for k in aliases if k.startswith("contact:")]
        salt = self.store.write("identity/erasure_salt", candidate=secrets.token_hex(32))[0]["salt"]
        hashes = sorted({email_hash(salt, e) for e in emails if e})
        anonymous = f"erased-{uuid.uuid4().hex}"
        # An event written between this read and the erasure keeps the id: the window is one request.
        events = [(r["seq"], anonymised(r["payload"], ids, anonymous))
                  for r in self.store.read("identity/events_naming", ids=ids)]
        changed = [(seq, payload) for seq, payload in events if payload is not None]
        done = self.store.write("identity/erase_contact", id=contact_id, anonymous_id=anonymous,
                                erasure_id=uuid.uuid4().hex, email_hashes=hashes, actor=actor, now=now,
                                batch=uuid.uuid4().hex, event_seqs=[seq for seq, _ in changed],
                                event_payloads=[payload for _, payload in changed])
        if not done:  # erased (or merged) by another request in between
            raise NotFound(f"no contact with id {contact_id!r}")
        return {"erased": contact_id, "anonymous_id": anonymous, "account_id": done[0]["account_id"],
                "emails_hashed": len(hashes)}


def anonymised(payload: str, ids: list[str], anonymous: str) -> str | None:
    """The payload (JSON) with every string naming one of `ids` (whole, or as a token in a text such
    as a check's detail) naming `anonymous` instead; None when nothing in it does."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None  # not ours to rewrite
    token = re.compile("|".join(rf"(?<![\w-]){re.escape(i)}(?![\w-])" for i in sorted(ids, key=len, reverse=True)))

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return anonymous if value in ids else token.sub(anonymous, value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {walk(k): walk(v) for k, v in value.items()}
        return value

    out = walk(data)
    return None if out == data else json.dumps(out, sort_keys=True)
