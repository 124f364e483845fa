"""Shared bits of the benchmark scripts: a graphsvc server in a child process, timing, output."""

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


class Server:
    """`graphsvc serve` on an embedded store in `data_dir`, as a child process."""

    def __init__(self, data_dir: Path, extra_env: dict | None = None, workers: int = 1, *args: str) -> None:
        self.port = free_port()
        self.log = open(data_dir.parent / f"server-{self.port}.log", "w")  # noqa: SIM115
        env = {**os.environ, "GRAPHSVC_STORE": "", **(extra_env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "graphsvc.cli", "serve", "--port", str(self.port), "--data-dir", str(data_dir),
             "--workers", str(workers), *args],
            stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited; see {self.log.name}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise SystemExit("server did not become healthy")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def say(*parts: object) -> None:
    print(*parts, flush=True)


def progress(label: str, done: int, total: int, started: float) -> None:
    rate = done / max(time.perf_counter() - started, 1e-9)
    print(f"\r  {label:<24} {done:>10,}/{total:<10,} {rate:>10,.0f} rows/s", end="", file=sys.stderr, flush=True)
    if done >= total:
        print(file=sys.stderr)
