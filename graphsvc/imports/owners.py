"""Account owners resolved to a person through a CRM users export given in the same import.

A CRM writes an account's owner as an opaque user id (Salesforce `OwnerId` = `0056g000004ABCD`,
HubSpot `hubspot_owner_id`), or, in HubSpot's own exports, as the owner's name. Given a users file
(Salesforce User: `Id`, `Name` or `FirstName` + `LastName`, `Email`; HubSpot owners: `id`, `email`,
`firstName`, `lastName`, `userId`), an account's owner is kept as the person: `owner` = their e-mail
address (what people and webhooks route by), `owner_name` = their name. An owner the users file
does not know is kept as it is and reported on its row. Without a users file owners are kept as
they are. Salesforce ids match in their 15- and 18-character forms alike.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from graphsvc.ingest.models import Id, Text

__all__ = ["UserIn", "person", "resolve"]


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Id
    name: Text | None = None
    first_name: Text | None = None
    last_name: Text | None = None
    email: Text | None = None


def person(record: dict[str, str]) -> dict[str, str]:
    """A users row -> {name, email} (what an account keeps of its owner)."""
    name = record.get("name") or " ".join(p for p in (record.get("first_name"), record.get("last_name")) if p)
    return {k: v for k, v in (("name", name), ("email", record.get("email"))) if v}


def _keys(value: str) -> list[str]:
    v = value.strip().lstrip("@")
    out = [v, v.casefold()]
    if len(v) == 18 and v.isalnum():
        out.append(v[:15])  # a Salesforce id's case-safe 18-character form -> its 15-character one
    return out


def index(users: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """id (both Salesforce forms) and name (case-folded) -> person."""
    out: dict[str, dict[str, str]] = {}
    for user_id, who in users.items():
        for k in _keys(user_id):
            out.setdefault(k, who)
        if who.get("name"):
            out.setdefault(who["name"].casefold(), who)
    return out


def resolve(table: dict[str, dict[str, str]], owner: str) -> dict[str, str] | None:
    """The person an owner cell names (a user id or a user's name), or None."""
    return next((table[k] for k in _keys(owner) if k in table), None)
