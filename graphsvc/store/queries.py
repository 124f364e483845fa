"""Named Cypher statements, loaded from `cypher/` (one statement per `.cypher` file).

A file's name relative to `cypher/`, without the suffix, is its query name
(`ingest/upsert_accounts`). Its leading `//` comment block documents it:

    // What the query answers, in a sentence or a paragraph.
    // @param rows LIST<MAP> the batch, one map per account
    // @param days INTEGER = 30 optional parameter with its default
    // @column id STRING the account id

`@param` lines are the contract: the store refuses to run a query with parameters it does not
declare or without the ones it requires, and the Cypher lint is given exactly these names.

`// @plain <why>` marks a hot statement whose columns hold only strings, numbers, booleans, nulls and
lists of them, read by code that takes an integral float for an int (`float(x)`, arithmetic): an
executor may return such values as its engine's client decoded them instead of walking each one
to normalise it (on Neo4j that walk was half of the contacts read's client CPU: docs/benchmarks.md,
"Scale"). Its `@column` types must say so (STRING, INTEGER, FLOAT, BOOLEAN, LIST<...> of these).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["Column", "DEV_ONLY", "Param", "Query", "cypher_dir", "get", "load_all", "parse"]

_PARAM = re.compile(r"^@param\s+(?P<name>\w+)\s+(?P<type>[A-Z<>_]+)(?:\s*=\s*(?P<default>\S+))?\s*(?P<doc>.*)$")
_COLUMN = re.compile(r"^@column\s+(?P<name>\w+)\s+(?P<type>[A-Z<>_]+)\s*(?P<doc>.*)$")
_PLAIN_TYPE = re.compile(r"^(?:LIST<)*(?:STRING|INTEGER|FLOAT|BOOLEAN|LIST)>*$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # Cypher type name: STRING, INTEGER, FLOAT, BOOLEAN, MAP, LIST<MAP>, LIST<STRING>, ANY
    required: bool
    default: object = None
    doc: str = ""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    doc: str = ""


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    doc: str = ""
    params: dict[str, Param] = field(default_factory=dict)
    columns: tuple[Column, ...] = ()
    path: Path | None = None
    plain: bool = False  # `// @plain`: see the module's docstring

    def statements(self) -> list[str]:
        """The statements of a multi-statement file (schema files), split on `;` at line end."""
        parts = re.split(r";\s*(?:\n|$)", _strip_comments(self.text))
        return [p.strip() for p in parts if p.strip()]

    def bind(self, params: dict[str, Any] | None) -> dict[str, Any]:
        """Check `params` against the declared ones and fill defaults; raises ValueError."""
        params = dict(params or {})
        unknown = sorted(set(params) - set(self.params))
        if unknown:
            raise ValueError(f"query {self.name!r} does not take parameter(s) {', '.join(unknown)}")
        for p in self.params.values():
            if p.name not in params:
                if p.required:
                    raise ValueError(f"query {self.name!r} needs parameter {p.name!r}")
                params[p.name] = p.default
        return params


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def parse(name: str, text: str, path: Path | None = None) -> Query:
    doc_lines: list[str] = []
    params: dict[str, Param] = {}
    columns: list[Column] = []
    plain = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("//"):
            break  # the header ends at the first line of Cypher
        body = line[2:].strip()
        if m := _PARAM.match(body):
            default = m["default"]
            params[m["name"]] = Param(
                name=m["name"],
                type=m["type"],
                required=default is None,
                default=json.loads(default) if default is not None else None,
                doc=m["doc"].strip(),
            )
        elif m := _COLUMN.match(body):
            columns.append(Column(m["name"], m["type"], m["doc"].strip()))
        elif (body + " ").startswith("@plain "):  # a reason may follow
            plain = True
        elif body.startswith("@"):
            raise ValueError(f"{name}: unknown header tag in {body!r}")
        else:
            doc_lines.append(body)
    if plain and (not columns or any(not _PLAIN_TYPE.match(c.type) for c in columns)):
        raise ValueError(f"{name}: @plain needs @column lines of STRING, INTEGER, FLOAT, BOOLEAN or LIST types; "
                         f"got {', '.join(f'{c.name} {c.type}' for c in columns) or 'none'}")
    return Query(
        name=name,
        text=text.strip() + "\n",
        doc=" ".join(doc_lines).strip(),
        params=params,
        columns=tuple(columns),
        path=path,
        plain=plain,
    )


# Folders of cypher/ for tests and bench scripts only (admin/delete_all empties the graph): they are
# loadable from a source checkout but not packed into the wheel (pyproject.toml's force-include).
DEV_ONLY = ("admin", "bench")


def cypher_dir() -> Path:
    """`cypher/` beside the package in a checkout, or the copy packed into a wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "cypher", here / "_cypher"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("cypher/ directory not found next to the graphsvc package")


@lru_cache(maxsize=1)
def load_all(root: str | None = None) -> dict[str, Query]:
    base = Path(root) if root else cypher_dir()
    out: dict[str, Query] = {}
    for path in sorted(base.rglob("*.cypher")):
        name = path.relative_to(base).with_suffix("").as_posix()
        out[name] = parse(name, path.read_text(encoding="utf-8"), path)
    return out


def get(name: str) -> Query:
    try:
        return load_all()[name]
    except KeyError:
        base = cypher_dir()
        if name.split("/", 1)[0] in DEV_ONLY and base.name == "_cypher":
            raise KeyError(f"{name!r} is a development-only statement (cypher/{name.split('/', 1)[0]}/): the "
                           f"installed package does not ship it; run this from a source checkout") from None
        raise KeyError(f"no Cypher statement named {name!r} in {base}") from None
