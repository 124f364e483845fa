"""What a delivery's body says: the event as JSON, or a Slack-compatible chat message."""

from __future__ import annotations

import json
from typing import Any

STAGE_NAMES = {"mqa": "MQA", "sql": "SQL"}


def slack_text(event: dict[str, Any], account_name: str | None) -> str:
    """One line for people: "Acme Corp is now SQL: latest intent quote_request by e1 1 days ago; decision
    maker covered"."""
    data, name = event["data"], account_name or event["account_id"]
    if event["type"] == "stage_changed":
        to = STAGE_NAMES.get(data.get("to"), data.get("to"))
        text = f"{name} is now {to}"
        checks = data.get("checks") or []
        gate = "sql" if data.get("to") == "sql" else "mqa"
        intent = next((c for c in checks if c["gate"] == "sql" and c["name"] == "intent" and c["passed"]), None)
        covered = [c["name"][5:].replace("_", " ") for c in checks
                   if c["gate"] == gate == "sql" and c["name"].startswith("role:") and c["passed"]]
        why = [intent["detail"]] if intent and data.get("to") == "sql" and intent.get("detail") else []
        why += [f"{', '.join(covered)} covered"] if covered else []
        if data.get("missing_roles") and data.get("to") in ("mqa", "sql"):
            why.append(f"missing: {', '.join(r.replace('_', ' ') for r in data['missing_roles'])}")
        if data.get("action"):
            why.append(f"{data['action']} by {event.get('actor')}" + (f" ({data['reason']})" if data.get("reason")
                                                                          else ""))
        elif not why and data.get("reason"):
            why.append(data["reason"])
        return text + (": " + "; ".join(why) if why else "")
    if event["type"] == "roles_changed":
        parts = [f"+{', '.join(data.get('confirmed') or [])}" if data.get("confirmed") else "",
                 f"-{', '.join(data.get('removed') or [])}" if data.get("removed") else ""]
        return f"{name}: buying roles of contact {data.get('contact_id')} changed by {event.get('actor')} " \
               f"({' '.join(p for p in parts if p)})"
    if event["type"] == "owner_assigned":  # "Acme Motion is now owned by anna: routing rule dach (team dach)"
        if data.get("source") == "routing":
            why = f"routing rule {data.get('rule')}" + (f" (team {data['team']})" if data.get("team") else "")
        else:
            why = f"assigned by {event.get('actor')}" + (f" ({data['reason']})" if data.get("reason") else "")
        return f"{name} is now owned by {data.get('to')}: {why}"
    return f"{name}: {event['type']}"


def body(fmt: str, event: dict[str, Any], account_name: str | None) -> bytes:
    if fmt == "slack":
        payload: dict[str, Any] = {"text": slack_text(event, account_name)}
    else:
        payload = event
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
