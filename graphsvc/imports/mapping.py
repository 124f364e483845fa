"""Mapping files: how to read an export no recogniser knows, in a few lines of TOML.

    # crm-accounts.toml
    [[file]]
    match = "accounts*.csv"          # which files (a glob on the file name; default: every file)
    kind = "accounts"                # accounts, contacts or leads
    [file.columns]                   # canonical field = header of the column holding it
    id = "account"                   # no id column? point id at the name: the name is the key
    name = "account"
    industry = "sector"
    employees = "employees"
    country = "office_location"
    parent_id = "subsidiary_of"      # ids of parents (names, here, since names are the ids)
    annual_revenue = "revenue"
    [file.scale]
    annual_revenue = 1_000_000       # revenue is given in millions

Fields are those of `graphsvc.imports.recognise.FIELDS`. Headers are compared loosely (case,
accents, spacing). A mapping is checked whole when loaded: every mistake is reported at once.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graphsvc.imports.recognise import FIELDS, Part, Recognised, key


class MappingError(Exception):
    """A mapping file that cannot be used; the message lists every problem."""


class FileMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    match: str = Field(default="*", description="Glob on the file name.")
    kind: Literal["accounts", "contacts", "leads", "opportunities"]
    columns: dict[str, str]
    scale: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _fields(self) -> FileMapping:
        known = FIELDS[self.kind]
        bad = sorted(set(self.columns) - set(known))
        if bad:
            raise ValueError(f"unknown {self.kind} field(s) {bad}; expected some of {list(known)}")
        if "id" not in self.columns:
            raise ValueError("columns.id is required: the column whose value identifies the row")
        for name in self.scale:
            if name not in ("employees", "annual_revenue", "amount"):
                raise ValueError(f"scale.{name}: only employees, annual_revenue and amount can be scaled")
        return self


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: list[FileMapping]

    def for_file(self, file_name: str, header: list[str]) -> Recognised | None:
        """The first table matching the file name, applied to its header (None: no table matches).
        A column the mapping names but the header lacks is a MappingError naming both."""
        for m in self.file:
            if fnmatch.fnmatch(file_name.lower(), m.match.lower()):
                keys = {key(h): i for i, h in reversed(list(enumerate(header)))}
                missing = [f"{name} = {col!r}" for name, col in m.columns.items() if key(col) not in keys]
                if missing:
                    raise MappingError(f"{file_name}: the mapping names column(s) the file does not have: "
                                       f"{', '.join(missing)} (header: {', '.join(header)})")
                cols = {name: keys[key(col)] for name, col in m.columns.items()}
                part = Part(m.kind, cols, scale=dict(m.scale))
                used = set(cols.values())
                return Recognised("mapping", [part], [h for i, h in enumerate(header) if i not in used and h])
        return None


def load_mapping(path: Path) -> Mapping:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path}: not valid TOML: {exc}") from None
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise MappingError(f"{path}: {problems}") from None
