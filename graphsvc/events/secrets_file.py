"""Webhook signing secrets, kept where only the service can read them: a JSON file (mode 0600, in a
0700 data directory), `webhook_secrets.json` in the data dir or GRAPHSVC_WEBHOOK_SECRETS_FILE.

Not in the graph: analysts may run read-only Cypher over the whole graph, and a secret there would
be one `MATCH` away. Written under a lock and replaced atomically, like the API keys file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graphsvc.config import Settings
from graphsvc.errors import GraphsvcError
from graphsvc.private_files import exclusive, write_private

FILE_NAME = "webhook_secrets.json"


class SecretsFileError(GraphsvcError):
    status_code = 500
    code = "webhook_secrets_unreadable"


def secrets_path(settings: Settings) -> Path:
    return Path(settings.webhook_secrets_file) if settings.webhook_secrets_file else \
        Path(settings.data_dir) / FILE_NAME


class SecretsFile:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def get(self, webhook_id: str) -> str | None:
        return self._read().get(webhook_id)

    def put(self, webhook_id: str, secret: str) -> None:
        with self._writing() as data:
            data[webhook_id] = secret

    def remove(self, webhook_id: str) -> None:
        with self._writing() as data:
            data.pop(webhook_id, None)

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise SecretsFileError(f"the webhook secrets file {self.path} cannot be read ({exc})") from exc
        if not isinstance(data, dict):
            raise SecretsFileError(f"the webhook secrets file {self.path} is not a JSON object")
        return {str(k): str(v) for k, v in data.items()}

    @contextmanager
    def _writing(self) -> Iterator[dict[str, str]]:
        with exclusive(self.path):
            data = self._read()
            yield data
            write_private(self.path, json.dumps(data, indent=2))
