"""`graphsvc serve` as a real child process, for the tests that need real processes and real HTTP
(crashes, outages, demo parity): start it, wait until it is healthy, read its log, stop it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeProcess:
    """`graphsvc serve --port P --data-dir DATA ARGS...` with `env` over a copy of os.environ from
    which every GRAPHSVC_ variable was removed (the test says what the service gets); the output
    goes to `log`. `http` is a client on its base URL."""

    def __init__(self, data_dir: Path, log: Path, *args: str, env: dict[str, str] | None = None,
                 http_timeout: float = 30.0) -> None:
        self.port = free_port()
        self.data_dir, self.log = data_dir, log
        self.base_url = f"http://127.0.0.1:{self.port}"
        child_env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
        child_env.update(env or {})
        with open(log, "w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "graphsvc.cli", "serve", "--port", str(self.port), "--data-dir", str(data_dir),
                 *args],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=child_env,
            )
        self.http = httpx.Client(base_url=self.base_url, timeout=http_timeout)

    def tail(self, chars: int = 5000) -> str:
        return self.log.read_text(errors="replace")[-chars:]

    def wait_healthy(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"graphsvc serve exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                if self.http.get("/health", timeout=10).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"graphsvc serve not healthy in {timeout:.0f} s:\n{self.tail()}")

    def stop(self, timeout: float = 30.0) -> None:
        """SIGINT (a clean shutdown), then SIGKILL if it does not end in `timeout` seconds."""
        self.http.close()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(30)
