"""Our own checks of the Cypher in `cypher/`, the ones Neo4j's linter does not make.

* ``portable-subset`` -- docs/architecture.md "Conventions": the text must run on Neo4j 5 and FalkorDB alike
  (and give the same answer: `string_upper_bounds` finds a bound FalkorDB's index would drop).
* ``vocabulary`` -- property keys a query writes, and names in schema commands, must be in
  vocabulary.py (the linter skips both).
* `check_parameters(query)` compares the `$params` in a query's text with its `@param` header.

`graphsvc_lint.cypher_lint` runs these with Neo4j's linter; see its docstring for the whole picture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from graphsvc.store.queries import Query

from . import vocabulary


@dataclass(frozen=True)
class Diagnostic:
    query: str
    line: int  # 1-based line in the query's .cypher file
    column: int  # 1-based
    severity: str  # error | warning | info | hint
    message: str
    source: str  # neo4j-linter | portable-subset | vocabulary | parameters

    def __str__(self) -> str:
        return f"{self.query}.cypher:{self.line}:{self.column}: {self.severity}: {self.message} [{self.source}]"


# --------------------------------------------------------------------------------------------
# Text helpers: a masked copy of a query (same length, same line breaks) in which the contents of
# string literals and comments are blanked out, so the regex checks below never match inside them.


def mask(text: str) -> str:
    out = list(text)

    def blank(i: int, j: int) -> None:
        out[i:j] = [c if c == "\n" else " " for c in text[i:j]]

    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"":  # string literal: keep the quotes, blank the contents
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            blank(i + 1, min(j, n))
            i = j + 1
        elif ch == "`":  # quoted identifier: kept as it is
            j = text.find("`", i + 1)
            i = n if j < 0 else j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            blank(i, j)
            i = j
        else:
            i += 1
    return "".join(out)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _split_statements(text: str) -> list[tuple[int, str]]:
    """(offset, statement) for each statement; split on `;` at line end like Query.statements()."""
    masked = mask(text)
    out, start = [], 0
    for m in re.finditer(r";[ \t]*(?=\r?\n|$)", masked):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(s, text[s:e]) for s, e in out if masked[s:e].strip()]


def _file_line_offset(query: Query) -> int:
    """Lines that `queries.parse` stripped from the start of the file (blank lines)."""
    if query.path is None:
        return 0
    try:
        raw = query.path.read_text(encoding="utf-8")
    except OSError:
        return 0
    return raw[: len(raw) - len(raw.lstrip())].count("\n")


# --------------------------------------------------------------------------------------------
# Our own checks.

_TEMPORAL = r"(?:date|datetime|localdatetime|localtime|time|duration|timestamp)"
_PORTABLE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bEXISTS\s*\{", re.I),
     "EXISTS { } subquery is not in the portable subset: use a pattern predicate or OPTIONAL MATCH"),
    (re.compile(r"\bCOUNT\s*\{", re.I),
     "COUNT { } subquery is not in the portable subset: use OPTIONAL MATCH and count()"),
    (re.compile(r"\bCOLLECT\s*\{", re.I),
     "COLLECT { } subquery is not in the portable subset: use OPTIONAL MATCH and collect()"),
    (re.compile(r"\bCALL\s*(?:\([^()]*\)\s*)?\{", re.I),
     "a subquery (CALL { }) is not in the portable subset: use WITH, OPTIONAL MATCH and aggregation"),
    (re.compile(r"(?<![\w$.])apoc\s*\.", re.I),
     "APOC is not in the portable subset (a Neo4j plugin; FalkorDB has none)"),
    (re.compile(r"\bSHORTEST\b", re.I),
     "SHORTEST path selectors are not in the portable subset: use a directed shortestPath()"),
    (re.compile(rf"(?<![\w$.:`])({_TEMPORAL})\s*(?:\.\s*\w+\s*)?\(", re.I),
     "temporal function {0}() is not in the portable subset: times are epoch seconds, "
     "passed in as a parameter (the clock is injectable)"),
    (re.compile(r"(?:::|\bTYPED\b)\s*((?:ZONED\s+|LOCAL\s+)?(?:DATETIME|DATE|TIME|DURATION))\b", re.I),
     "temporal type {0} is not in the portable subset: times are epoch seconds"),
)
_SHORTEST_PATH = re.compile(r"\b(all)?shortestPath\s*\(", re.I)
# A string property bounded from above by a parameter: `x.prop < $p`, `x.prop <= $p`, `$p > x.prop`,
# `$p >= x.prop` (not `<>`, not an arrow).
_UPPER_BOUND = re.compile(r"(?<![\w$`.])([A-Za-z_]\w*)\s*\.\s*([A-Za-z_]\w*)\s*<=?(?![>\-])\s*\$(\w+)"
                          r"|\$(\w+)\s*>=?\s*([A-Za-z_]\w*)\s*\.\s*([A-Za-z_]\w*)")
_INDEXED_ON = re.compile(r"\bON\s*\(\s*\w+\s*\.\s*(\w+)\s*\)", re.I)


def falkordb_indexed_properties() -> frozenset[str]:
    """Property names FalkorDB keeps a range index on (cypher/schema/falkordb.cypher), any label."""
    from graphsvc.store import queries

    return frozenset(m.group(1) for m in _INDEXED_ON.finditer(mask(queries.get("schema/falkordb").text)))


def string_upper_bounds(query: Query, indexed: Iterable[str] | None = None) -> list[Diagnostic]:
    """A STRING parameter as an upper bound of a property FalkorDB indexes: its range index drops
    an upper bound on a string (FalkorDB #2239: `a.id <= 'acc-000456'` counted all 100,000 accounts
    at 100k, 447 by a label scan; docs/benchmarks.md, "The (value, id) floor"), so such a statement
    answers wrongly on FalkorDB, with no error. Compare the other way round (`>`, `>=`), or keep the
    property out of FalkorDB's schema and filter a scan (as the name floors do)."""
    names = frozenset(indexed) if indexed is not None else falkordb_indexed_properties()
    text, found = query.text, []
    for m in _UPPER_BOUND.finditer(mask(text)):
        prop, param = (m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(4))
        declared = query.params.get(param)
        if prop in names and declared is not None and declared.type == "STRING":
            line, col = _line_col(text, m.start())
            found.append(Diagnostic(query.name, line, col, "error",
                                    f"${param} (STRING) bounds .{prop} from above: FalkorDB's range index on "
                                    f"{prop} ignores an upper bound on a string and returns every node; compare "
                                    "with > or >=, or filter without the index", "portable-subset"))
    return found
_CONNECTOR = re.compile(r"\)\s*(<?)\s*-\s*(?:\[\]\s*)?-\s*(>?)\s*\(")


def _matching_paren(masked: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(masked)):
        if masked[i] in "([{":
            depth += 1
        elif masked[i] in ")]}":
            depth -= 1
            if depth == 0:
                return i
    return len(masked)


def portable_subset(query: Query) -> list[Diagnostic]:
    text = query.text
    masked = mask(text)
    found: list[Diagnostic] = []

    def add(offset: int, message: str) -> None:
        line, col = _line_col(text, offset)
        found.append(Diagnostic(query.name, line, col, "error", message, "portable-subset"))

    for pattern, message in _PORTABLE_RULES:
        for m in pattern.finditer(masked):
            add(m.start(), message.replace("{0}", re.sub(r"\s+", " ", m.group(1)) if m.groups() else ""))
    for m in _SHORTEST_PATH.finditer(masked):
        close = _matching_paren(masked, m.end() - 1)
        inner = re.sub(r"\[[^\]]*\]", "[]", masked[m.end() - 1 : close + 1])
        for c in _CONNECTOR.finditer(inner):
            if not c.group(1) and not c.group(2):
                add(m.start(), f"undirected {m.group(0).rstrip('( ')}() is not in the portable subset: "
                               "give the relationship a direction")
                break
    return sorted(found, key=lambda d: (d.line, d.column))


_IDENT = r"(?:`[^`]+`|[A-Za-z_]\w*)"
_CLAUSE = re.compile(r"(?<![\w.:$`])(SET|REMOVE|CREATE|MERGE)\b", re.I)
_CLAUSE_END = re.compile(
    r"\b(?:MATCH|OPTIONAL|MERGE|CREATE|SET|REMOVE|DELETE|DETACH|WITH|RETURN|UNWIND|FOREACH|CALL|"
    r"UNION|ON|WHERE|ORDER|SKIP|LIMIT|FINISH|LOAD|USE)\b", re.I)
_SCHEMA_COMMAND = re.compile(
    r"\s*(?:OR\s+REPLACE\s+)?(?:INDEX|CONSTRAINT|RANGE|TEXT|POINT|FULLTEXT|LOOKUP|VECTOR|BTREE|"
    r"DATABASE|COMPOSITE|ALIAS|USER|ROLE)\b", re.I)
_SET_ITEM = re.compile(rf"\s*{_IDENT}\s*\.\s*({_IDENT})\s*=")
_REMOVE_ITEM = re.compile(rf"\s*{_IDENT}\s*\.\s*({_IDENT})")
_MAP_KEY = re.compile(rf"\s*({_IDENT})\s*:")


def _clause_segment(masked: str, start: int) -> int:
    """Where the clause whose body starts at `start` ends (next clause keyword, or a closing
    bracket of the enclosing level, or a `;`)."""
    depth = 0
    i = start
    while i < len(masked):
        ch = masked[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return i
            depth -= 1
        elif ch == ";" and depth == 0:
            return i
        elif depth == 0 and ch.isalpha() and (i == 0 or not (masked[i - 1].isalnum() or masked[i - 1] in "_.:$`")):
            if _CLAUSE_END.match(masked, i):
                return i
        i += 1
    return len(masked)


def _split_top_level(masked: str, start: int, end: int) -> list[int]:
    """Offsets where the comma-separated items of masked[start:end] begin (depth 0 commas)."""
    starts, depth = [start], 0
    for i in range(start, end):
        ch = masked[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            starts.append(i + 1)
    return starts


def _map_keys(masked: str, start: int, end: int) -> list[re.Match[str]]:
    """Keys of the map literals in masked[start:end] (a CREATE / MERGE pattern)."""
    keys, i = [], start
    while (i := masked.find("{", i, end)) >= 0:
        close = _matching_paren(masked, i)
        keys += [m for s in _split_top_level(masked, i + 1, close) if (m := _MAP_KEY.match(masked, s, close))]
        i = close + 1
    return keys


def written_properties(query: Query, property_keys: Iterable[str] = vocabulary.PROPERTY_KEYS) -> list[Diagnostic]:
    text = query.text
    masked = mask(text)
    known = set(property_keys)
    found: list[Diagnostic] = []
    for clause in _CLAUSE.finditer(masked):
        kind = clause.group(1).upper()
        body = clause.end()
        if kind == "CREATE" and _SCHEMA_COMMAND.match(masked, body):
            continue
        end = _clause_segment(masked, body)
        if kind in ("SET", "REMOVE"):
            item = _SET_ITEM if kind == "SET" else _REMOVE_ITEM
            keys = [m for s in _split_top_level(masked, body, end) if (m := item.match(masked, s, end))]
        else:
            keys = _map_keys(masked, body, end)
        for m in keys:
            key = m.group(1).strip("`")
            if key not in known:
                line, col = _line_col(text, m.start(1))
                found.append(Diagnostic(
                    query.name, line, col, "error",
                    f"{kind} writes property key {key!r}, which is not in vocabulary.PROPERTY_KEYS "
                    "(misspelt? if it is new, add it there and to docs/architecture.md's graph model)",
                    "vocabulary"))
    return found


_SCHEMA_STATEMENT = re.compile(r"\b(?:CREATE|DROP)\s+(?:\w+\s+)?(?:INDEX|CONSTRAINT)\b", re.I)
_SCHEMA_NAMES = (
    (re.compile(rf"\(\s*{_IDENT}?\s*:\s*({_IDENT})"), "label", vocabulary.LABELS, "LABELS"),
    (re.compile(rf"\[\s*{_IDENT}?\s*:\s*({_IDENT})"), "relationship type", vocabulary.RELATIONSHIP_TYPES,
     "RELATIONSHIP_TYPES"),
    (re.compile(rf"(?<![\w`]){_IDENT}\s*\.\s*({_IDENT})"), "property key", vocabulary.PROPERTY_KEYS, "PROPERTY_KEYS"),
)


def schema_names(query: Query) -> list[Diagnostic]:
    """Labels, relationship types and property keys of index / constraint commands are in the
    vocabulary (Neo4j's linter checks none of them there: an index on a typo indexes nothing)."""
    text = query.text
    masked = mask(text)
    found: list[Diagnostic] = []
    for offset, _ in _split_statements(text):
        end = masked.find(";", offset)
        statement = masked[offset : len(masked) if end < 0 else end]
        if not _SCHEMA_STATEMENT.search(statement):
            continue
        for pattern, what, known, where in _SCHEMA_NAMES:
            for m in pattern.finditer(statement):
                name = m.group(1).strip("`")
                if name not in known:
                    line, col = _line_col(text, offset + m.start(1))
                    found.append(Diagnostic(query.name, line, col, "error",
                                            f"{what} {name!r} is not in vocabulary.{where}", "vocabulary"))
    return found


_PARAM_USE = re.compile(r"\$(`[^`]+`|\w+)")


def check_parameters(query: Query) -> list[Diagnostic]:
    """The `$params` of the text are exactly the declared `@param`s: none undeclared, none unused."""
    text = query.text
    masked = mask(text)
    used: dict[str, int] = {}
    for m in _PARAM_USE.finditer(masked):
        used.setdefault(m.group(1).strip("`"), m.start())
    found = []
    for name, offset in used.items():
        if name not in query.params:
            line, col = _line_col(text, offset)
            found.append(Diagnostic(query.name, line, col, "error",
                                    f"${name} is used but not declared with `// @param {name} TYPE`",
                                    "parameters"))
    for name in query.params:
        if name not in used:
            decl = re.search(rf"^\s*//\s*@param\s+{re.escape(name)}\b", text, re.M)
            line, col = _line_col(text, decl.start()) if decl else (1, 1)
            found.append(Diagnostic(query.name, line, col, "error",
                                    f"@param {name} is declared but ${name} is never used", "parameters"))
    return found


# --------------------------------------------------------------------------------------------
# Neo4j's linter through node.
