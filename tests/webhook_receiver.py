"""A real local HTTP receiver for webhook tests: http.server in a thread, recording every request
and answering with scripted statuses (or hanging until released)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self) -> None:
        self.requests: list[dict] = []  # {headers, body (bytes), json}
        self.statuses: list[int] = []  # answered in turn; 200 once empty
        self.delay_s = 0.0  # every answer waits this long (a slow receiver)
        self.hang = threading.Event()  # set: every request waits for `release`
        self.release = threading.Event()
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if receiver.hang.is_set():
                    receiver.release.wait(120)
                if receiver.delay_s:
                    receiver.release.wait(receiver.delay_s)
                with receiver.arrived:
                    receiver.requests.append({"headers": dict(self.headers), "body": body, "json": json.loads(body),
                                              "path": self.path})
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.arrived.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def ids(self) -> list[int]:
        return [int(r["headers"]["X-Graphsvc-Event-Id"]) for r in self.requests]

    def wait_for(self, n: int, timeout: float = 60.0) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.requests) >= n, timeout)
