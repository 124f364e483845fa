"""Start a real Neo4j 5.26 (Community, embedded, Bolt on loopback) for tests and local development.

Dev tooling, not part of the graphsvc package. The jars come from Maven Central through `pom.xml`
(`mvn dependency:build-classpath`, cached in ~/.m2 after the first run); `Server.java` runs with
Java 17 as a single-file program, so there is nothing to compile or install by hand.

    python tools/neo4j/launcher.py --data-dir .graphsvc/neo4j --port 7687
    GRAPHSVC_STORE=bolt://127.0.0.1:7687 graphsvc serve --demo

The test suite imports `Neo4jServer` from here (tests/conftest.py) and starts one per session.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
POM = HERE / "pom.xml"
CLASSPATH_FILE = HERE / "cp.txt"
SERVER = HERE / "Server.java"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def classpath() -> str:
    """The jars' class path, resolving them with Maven when cp.txt is missing or older than pom.xml."""
    if not CLASSPATH_FILE.exists() or CLASSPATH_FILE.stat().st_mtime < POM.stat().st_mtime:
        mvn = shutil.which("mvn")
        if mvn is None:
            raise RuntimeError("Maven (mvn) is needed to resolve Neo4j's jars: apt-get install maven")
        subprocess.run(
            [mvn, "-q", "-B", "-f", str(POM), "dependency:build-classpath", f"-Dmdep.outputFile={CLASSPATH_FILE}"],
            check=True,
        )
    return CLASSPATH_FILE.read_text().strip()


def java() -> str:
    """Java 17+: $JAVA_HOME/bin/java when set, else `java` on the PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise RuntimeError("Java 17 is needed to run Neo4j 5.26: apt-get install openjdk-17-jre-headless")
    return found


class Neo4jServer:
    """One Neo4j process owning `data_dir`, Bolt on 127.0.0.1:`port`, authentication off."""

    def __init__(self, data_dir: Path, *, port: int | None = None, heap: str = "1g", page_cache: str = "256m",
                 ready_timeout_s: float = 180.0, jvm_options: list[str] | None = None) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.port = port or _free_port()
        self.heap, self.page_cache = heap, page_cache
        self.jvm_options = list(jvm_options or [])  # more JVM flags, after ours (a later flag wins)
        self.ready_timeout_s = ready_timeout_s
        self.process: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def start(self) -> Neo4jServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.data_dir / "server.log", "ab")
        # Every collector pause and safepoint goes to gc.log (rotated, 3 x 10 MB): a latency stall
        # can be matched with the JVM's pauses by time.
        gc_log = f"-Xlog:gc,safepoint:file={self.data_dir / 'gc.log'}:time,uptime:filecount=3,filesize=10m"
        cmd = [java(), f"-Xmx{self.heap}", "-XX:+UseG1GC", gc_log, *self.jvm_options, "-cp", classpath(), str(SERVER),
               "--data", str(self.data_dir), "--port", str(self.port), "--page-cache", self.page_cache]
        self.process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        ready = threading.Event()

        def read() -> None:  # the READY line, then keep draining stdout so the child never blocks
            for line in self.process.stdout:  # type: ignore[union-attr]
                if line.startswith(b"READY"):
                    ready.set()

        threading.Thread(target=read, name="neo4j-stdout", daemon=True).start()
        deadline = time.monotonic() + self.ready_timeout_s
        while not ready.wait(0.2):
            if self.process.poll() is not None:
                raise RuntimeError(f"Neo4j exited with {self.process.returncode}; see {self.data_dir / 'server.log'}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Neo4j did not open Bolt in {self.ready_timeout_s:.0f} s; "
                                   f"see {self.data_dir / 'server.log'}")

    def kill(self) -> None:
        """SIGKILL, as a crash would (for outage tests); `start()` brings it back on the same port."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self, timeout_s: float = 60.0) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run Neo4j 5.26 Community on loopback (no auth) until Ctrl-C.")
    parser.add_argument("--data-dir", type=Path, default=Path(".graphsvc/neo4j"), help="database files and server.log")
    parser.add_argument("--port", type=int, default=7687, help="Bolt port on 127.0.0.1 (default 7687)")
    parser.add_argument("--heap", default="2g", help="JVM heap (default 2g)")
    parser.add_argument("--page-cache", default="512m", help="Neo4j page cache (default 512m)")
    args = parser.parse_args(argv)
    try:
        server = Neo4jServer(args.data_dir, port=args.port, heap=args.heap, page_cache=args.page_cache).start()
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Neo4j is ready at {server.uri} (data in {server.data_dir}); Ctrl-C stops it", flush=True)
    try:
        server.process.wait()  # type: ignore[union-attr]
    except KeyboardInterrupt:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
