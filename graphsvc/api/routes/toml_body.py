"""A ruleset in a request's body, as TOML text (PUT /v1/rules, the rules lab)."""

from fastapi import Request

from graphsvc.errors import InvalidInput

MAX_TOML_BYTES = 1_000_000  # the default ruleset is ~15 kB


async def toml_body(request: Request) -> str:
    """The body as TOML text, whatever Content-Type says: FastAPI would parse a body sent as (or
    without) application/json as JSON, and refuse TOML as "not JSON"."""
    raw = await request.body()
    if len(raw) > MAX_TOML_BYTES:
        raise InvalidInput("the ruleset is invalid; the active ruleset is unchanged",
                           details=[{"path": "", "message": f"larger than {MAX_TOML_BYTES} bytes"}])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput("the ruleset is invalid; the active ruleset is unchanged",
                           details=[{"path": "", "message": f"the body is not UTF-8 text: {exc}"}]) from None


TOML_BODY = {"required": True, "content": {
    media: {"schema": {"type": "string", "description": "The ruleset, TOML (see GET /v1/rules for the active one)"}}
    for media in ("application/toml", "text/plain")}}
