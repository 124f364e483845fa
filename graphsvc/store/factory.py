"""Build the GraphStore the settings ask for: embedded FalkorDB, external FalkorDB, or Neo4j."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from graphsvc.config import Settings
from graphsvc.store.backfill import backfill_sort_keys, backfill_stage_since
from graphsvc.store.embedded import EmbeddedFalkorDB
from graphsvc.store.executor import Executor
from graphsvc.store.graph_store import GraphStore

__all__ = ["OpenStore", "open_store"]


@dataclass
class OpenStore:
    """A store plus the embedded server it owns, if any; `close()` stops both."""

    store: GraphStore
    server: EmbeddedFalkorDB | None = None

    def close(self) -> None:
        self.store.close()
        if self.server:
            self.server.stop()


def falkordb_password(settings: Settings) -> str | None:
    """The password of an external FalkorDB: the one in GRAPHSVC_STORE's URL, else the content of
    GRAPHSVC_STORE_PASSWORD_FILE (how `serve --workers` hands its workers the embedded engine's)."""
    u = urlparse(settings.store or "")
    if u.password:
        return unquote(u.password)
    if settings.store_password_file:
        from graphsvc.errors import StoreUnavailable

        try:
            return settings.store_password_file.read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise StoreUnavailable(f"cannot read the engine password file {settings.store_password_file}: "
                                   f"{exc.strerror or exc}") from exc
    return None


def open_store(settings: Settings, *, apply_schema: bool = True) -> OpenStore:
    engine = settings.engine
    server = None
    executor: Executor
    if engine == "neo4j":
        from graphsvc.store.neo4j_executor import Neo4jExecutor

        assert settings.store is not None  # engine "neo4j" comes from a neo4j:// or bolt:// store URI
        executor = Neo4jExecutor(
            settings.store, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database
        )
    else:
        from graphsvc.store.falkordb_executor import FalkorDBExecutor

        if engine == "embedded":
            server = EmbeddedFalkorDB(settings.data_dir, ready_timeout_s=settings.embedded_ready_timeout_s,
                                      threads=settings.embedded_threads,
                                      rewrite_wait_s=settings.embedded_rewrite_wait_s).start()
            executor = FalkorDBExecutor("127.0.0.1", server.port, settings.graph, password=server.password)
        else:
            u = urlparse(settings.store or "")
            executor = FalkorDBExecutor(u.hostname or "127.0.0.1", u.port or 6379, settings.graph,
                                        password=falkordb_password(settings))
    opened = OpenStore(GraphStore(executor), server)
    try:
        if apply_schema:
            created = opened.store.apply_schema()
            if server and created:
                server.compact()  # indexes belong in the AOF's RDB base: see EmbeddedFalkorDB.compact
            backfill_stage_since(opened.store)  # one-time, idempotent: older data without stage_since
            backfill_sort_keys(opened.store)  # one-time, idempotent: older data without the board's keys
    except Exception:
        opened.close()
        raise
    return opened
