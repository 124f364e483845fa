"""API keys with roles (ingest, sales, analyst, admin): stored hashed in a JSON file, checked per
router by the `ACCESS` each router module declares (see `policy`). `install(app, settings)` wires the key store into an app."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from graphsvc.auth.keys import ROLES, ApiKey, KeyStore, keys_path
from graphsvc.auth.policy import OPEN, Access, OpenModeRefused, dependencies_for, is_loopback
from graphsvc.config import Settings

log = logging.getLogger("graphsvc.auth")

__all__ = ["OPEN", "ROLES", "Access", "ApiKey", "KeyStore", "OpenModeRefused", "dependencies_for", "install",
           "is_loopback", "keys_path"]

OPEN_WARNING = (
    "NO API KEYS CONFIGURED (%s does not exist): the API is OPEN to every loopback client (requests addressed to "
    "127.0.0.1, localhost or [::1], not sent by a web page of another site) and refuses all others. Create the "
    "first key with `graphsvc keys create --role admin` (not possible over HTTP) before exposing it."
)


def install(app: FastAPI, settings: Settings) -> KeyStore:
    keystore = KeyStore.for_settings(settings)
    app.state.keystore = keystore
    if not keystore.enforced:
        log.warning("!" * 100)
        log.warning(OPEN_WARNING, keystore.path)
        log.warning("!" * 100)
    elif not keystore.keys():
        log.warning("the API keys file %s holds no keys: every protected route answers 401", keystore.path)
    return keystore
