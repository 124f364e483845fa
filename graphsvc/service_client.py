"""The CLI's calls to a running graphsvc (when the embedded store is locked by that service, or the
user points `--url` at one): one request, its answer as JSON, and each failure as the project's own
error with the service's message — never a traceback, never the key."""

from __future__ import annotations

from typing import Any

import httpx

from graphsvc.errors import GraphsvcError, StoreUnavailable

__all__ = ["call"]


def call(url: str, path: str, key: str | None, *, method: str = "GET", params: dict[str, Any] | None = None,
         json_body: Any = None, timeout_s: float = 60.0) -> dict[str, Any]:
    """`method url+path` with the key as a bearer token; the JSON object it answers. A non-2xx answer
    is a GraphsvcError quoting the service's `message`; no answer at all is StoreUnavailable."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        response = httpx.request(method, f"{url.rstrip('/')}{path}", params=params, json=json_body,
                                 headers=headers, timeout=timeout_s)
    except httpx.HTTPError as exc:  # connection refused, timeout, bad URL: the type and cause, no body
        raise StoreUnavailable(f"cannot reach {url}: {type(exc).__name__}: {exc}") from exc
    if response.is_error:
        try:
            detail = str(response.json().get("message", response.text))
        except ValueError:
            detail = response.text
        raise GraphsvcError(f"{url} answered {response.status_code}: {detail}")
    body: dict[str, Any] = response.json()
    return body
