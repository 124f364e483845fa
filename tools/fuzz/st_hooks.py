"""Schemathesis hooks for tools/fuzz/run_schemathesis.py (loaded through SCHEMATHESIS_HOOKS).

One rule only: the run must not revoke the admin key it authenticates with. The stateful phase
follows `GET /v1/keys` to `DELETE /v1/keys/{key_id}` and would otherwise revoke it a few seconds in,
after which every operation answers 401 and nothing else is tested. A DELETE aimed at the harness's
key is sent to a key id that does not exist instead (a 404, which is checked like any other answer).
Revoking keys the run itself created through `POST /v1/keys` still happens.
"""

from __future__ import annotations

import os

import schemathesis

PROTECTED_KEY_ID = os.environ.get("GRAPHSVC_FUZZ_KEY_ID", "")


@schemathesis.hook
def before_call(context, case, kwargs):
    if (PROTECTED_KEY_ID and case.method.upper() == "DELETE" and case.path == "/v1/keys/{key_id}"
            and str((case.path_parameters or {}).get("key_id")) == PROTECTED_KEY_ID):
        case.path_parameters["key_id"] = "not-the-harness-key"
