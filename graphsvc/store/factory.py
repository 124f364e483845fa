"""Build the GraphStore the settings ask for: embedded FalkorDB, external FalkorDB, or Neo4j."""

from __future__ import annotations

from dataclasses import dataclass

from graphsvc.config import Settings
from graphsvc.store.embedded import EmbeddedFalkorDB
from graphsvc.store.graph_store import GraphStore


@dataclass
class OpenStore:
    """A store plus the embedded server it owns, if any; `close()` stops both."""

    store: GraphStore
    server: EmbeddedFalkorDB | None = None

    def close(self) -> None:
        self.store.close()
        if self.server:
            self.server.stop()


def open_store(settings: Settings, *, apply_schema: bool = True) -> OpenStore:
    engine = settings.engine
    server = None
    if engine == "neo4j":
        from graphsvc.store.neo4j_executor import Neo4jExecutor

        executor = Neo4jExecutor(
            settings.store, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database
        )
    else:
        from graphsvc.store.falkordb_executor import FalkorDBExecutor

        if engine == "embedded":
            server = EmbeddedFalkorDB(settings.data_dir).start()
            url = server.url
        else:
            url = settings.store
        executor = FalkorDBExecutor.from_url(url, settings.graph)
    opened = OpenStore(GraphStore(executor), server)
    try:
        if apply_schema:
            created = opened.store.apply_schema()
            if server and created:
                server.compact()  # indexes belong in the AOF's RDB base: see EmbeddedFalkorDB.compact
    except Exception:
        opened.close()
        raise
    return opened
