"""Who may call what, and the dependency that enforces it.

Each router module declares its access right next to its router: `ACCESS = OPEN` or
`ACCESS = Access({"GET": ("sales",), "*": ("ingest",)})` (roles per HTTP method, "*" for the methods
not listed). `admin` may call everything. A router module without an `ACCESS` is refused to
everyone but admin (fail closed) and fails tests/test_auth.py, so a new router cannot ship without
a decision about who may use it, and renaming a module changes nothing.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from graphsvc.auth.keys import ApiKey, KeyStore
from graphsvc.errors import GraphsvcError

log = logging.getLogger("graphsvc.auth")

ADMIN = "admin"


@dataclass(frozen=True)
class Access:
    """Who may call a router's routes: roles per HTTP method ("*": every other method); `None`:
    open to anyone. Admin may always."""

    by_method: dict[str, tuple[str, ...]] | None

    @property
    def open(self) -> bool:
        return self.by_method is None

    def roles(self, method: str) -> tuple[str, ...] | None:
        """The roles that may call `method` (admin included); None = open."""
        if self.by_method is None:
            return None
        roles = self.by_method.get(method.upper(), self.by_method.get("*", ()))
        return tuple(dict.fromkeys((*roles, ADMIN)))


OPEN = Access(None)
ADMIN_ONLY = Access({"*": ()})


def access_of(module: ModuleType) -> Access:
    """The module's declared `ACCESS`; admin only (and an error in the log) when it declares none."""
    access = getattr(module, "ACCESS", None)
    if not isinstance(access, Access):
        log.error("router module %s declares no ACCESS (graphsvc.auth.policy.Access): admin only", module.__name__)
        return ADMIN_ONLY
    return access


class Unauthorized(GraphsvcError):
    status_code = 401
    code = "unauthorized"


class Forbidden(GraphsvcError):
    status_code = 403
    code = "forbidden"


class OpenModeRefused(GraphsvcError):
    """Open mode (no keys) trusts loopback clients; this request may come from a web page instead (a
    rebound DNS name, a cross-site browser request), or asks for what only the CLI may do there."""

    status_code = 403
    code = "open_mode_refused"


def allowed_roles(module: ModuleType, method: str) -> tuple[str, ...] | None:
    """The roles that may call `method` on the module's routes (admin always may); None = open."""
    return access_of(module).roles(method)


@lru_cache(maxsize=256)
def is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <key>`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="or `X-API-Key: <key>`")


async def _keystore(request: Request) -> KeyStore:  # async: no I/O, no thread hop (api/deps.py)
    keystore: KeyStore = request.app.state.keystore
    return keystore


def require(access: Access) -> Callable[..., Awaitable[ApiKey | None]]:
    """The dependency that guards one router's routes."""

    async def guard(
        request: Request,
        keystore: Annotated[KeyStore, Depends(_keystore)],
        bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
        header: Annotated[str | None, Security(_header)] = None,
    ) -> ApiKey | None:
        roles = access.roles(request.method)
        if roles is None:
            return None
        if not keystore.enforced:
            _open_mode(request)  # raises unless a loopback client asks
            return None
        secret = header or (bearer.credentials if bearer else None)
        if not secret:
            raise Unauthorized("an API key is required: send `Authorization: Bearer <key>` or `X-API-Key: <key>`")
        key = keystore.authenticate(secret)
        if key is None:
            raise Unauthorized("the API key is not valid (unknown or revoked)")
        if not set(key.roles) & set(roles):
            raise Forbidden(
                f"this key's roles ({', '.join(key.roles)}) do not allow {request.method} {request.url.path}; "
                f"it needs one of: {', '.join(roles)}",
                details={"key_roles": list(key.roles), "required": list(roles)},
            )
        return key

    return guard


@lru_cache(maxsize=256)  # pure; asked on every request in open mode, about the same few Host values
def loopback_host_header(value: str | None) -> bool:
    """A Host header (or an origin's host[:port]) naming loopback: `127.0.0.1`, any 127/8 or `[::1]`
    literal, or `localhost`, with any port. A DNS name other than localhost could be rebound."""
    if not value:
        return False
    host, port = value.strip().lower(), ""
    if host.startswith("["):  # [::1] or [::1]:8000
        end = host.find("]")
        if end < 0:
            return False
        host, port = host[1:end], host[end + 1:]
        if port and not port.startswith(":"):
            return False
        port = port[1:]
        literal_v6 = True
    else:
        host, _, port = host.partition(":")
        literal_v6 = False
    if port and not (port.isascii() and port.isdigit()):
        return False
    if host == "localhost" and not literal_v6:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback and (address.version == 6) == literal_v6


def loopback_origin(origin: str) -> bool:
    """An `Origin` of a page served from loopback: http(s)://<loopback host>[:port], nothing more."""
    scheme, sep, rest = origin.strip().partition("://")
    return bool(sep) and scheme.lower() in ("http", "https") and "/" not in rest and loopback_host_header(rest)


OPEN_MODE_HINT = "create an API key with `graphsvc keys create --role admin` and send it"


@lru_cache(maxsize=256)  # pure; open mode parsed the peer's address three times per request
def _ip_peer(host: str | None) -> bool:
    """Whether the peer is an IP address (not an in-process test client or a unix socket)."""
    try:
        ipaddress.ip_address((host or "").strip("[]"))
    except ValueError:
        return False
    return True


def _open_mode(request: Request) -> None:
    # No keys configured: loopback clients only, even if the server was bound wider by other means.
    host = request.client.host if request.client else None
    tcp_peer = _ip_peer(host)  # False: not an IP peer (in-process test client, unix socket): local by construction
    if tcp_peer and not is_loopback(host):
        raise Unauthorized("no API keys are configured, so this service only answers loopback clients; "
                           "create a key with `graphsvc keys create --role ROLE`")
    # A loopback peer may still be a browser, run by a web page of another site (DNS rebinding: a
    # name of the attacker's now resolving to 127.0.0.1, or a plain cross-site request). Browsers
    # always send the name they connected to in Host, and say where a request comes from in Origin
    # and Sec-Fetch-Site; a local program (curl, the CLI, a script) sends a loopback Host and no such
    # header. Over a unix socket or in-process there is no browser to fear and no real Host to check.
    if tcp_peer and not loopback_host_header(request.headers.get("host")):
        raise OpenModeRefused(
            f"no API keys are configured, so this service only answers requests addressed to a loopback name "
            f"(127.0.0.1, localhost, [::1]), not to {request.headers.get('host') or 'no Host'!r}; {OPEN_MODE_HINT}",
            details={"refused": "host"},
        )
    origin = request.headers.get("origin")
    if origin is not None and not loopback_origin(origin):
        raise OpenModeRefused(
            f"no API keys are configured, so this service refuses requests made by web pages of other sites "
            f"(Origin {origin!r}); {OPEN_MODE_HINT}",
            details={"refused": "origin"},
        )
    if request.headers.get("sec-fetch-site", "").strip().lower() == "cross-site":
        raise OpenModeRefused(
            "no API keys are configured, so this service refuses cross-site browser requests "
            f"(Sec-Fetch-Site: cross-site); {OPEN_MODE_HINT}",
            details={"refused": "sec-fetch-site"},
        )
    return None


def dependencies_for(module: ModuleType) -> list[Any]:
    """What `include_router` adds for the module: nothing for an OPEN router, else its guard."""
    access = access_of(module)
    return [] if access.open else [Depends(require(access))]
