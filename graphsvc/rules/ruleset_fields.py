"""The ruleset's field vocabulary: the text normalisers its keys and patterns are matched with, the
bounded number types every section uses, and the strict base model. Split from `ruleset.py` so that
module is the sections alone."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


@lru_cache(maxsize=65_536)  # pure, and called per contact per evaluation with few distinct values
def normalize_key(value: str | None) -> str:
    """Lower case, accents stripped, runs of anything but letters/digits -> "_" ("R&D" -> "r_d")."""
    if not value:
        return ""
    return re.sub(r"[^a-z0-9]+", "_", fold(value)).strip("_")


@lru_cache(maxsize=65_536)  # pure, and called per contact per evaluation with few distinct values
def fold(value: str) -> str:
    """Case-fold and strip accents: "Prüfingenieur" -> "prufingenieur", "Opérations" -> "operations"."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65_536)  # pure, and called per contact per evaluation with few distinct values
def normalize_title(title: str | None) -> str:
    """The form title patterns are written against: folded, punctuation -> single spaces ("&" kept)."""
    if not title:
        return ""
    return re.sub(r"[^a-z0-9&]+", " ", fold(title)).strip()


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None
    return pattern


Regex = Annotated[str, AfterValidator(_check_regex)]
# Every number of a ruleset feeds arithmetic the engine and the store do (decay, sums, bars) and is
# stored: finite (no inf, nan) and within bounds no real agreement needs to leave, so no ruleset
# can make an evaluation produce a non-finite or unstorable number.
MAX_POINTS = 1e6  # per activity, title, seniority, industry ...: real ones are below 100
MAX_SCORE = 1e9  # thresholds and caps of engagement and fit
MAX_DAYS = 36_500.0  # windows, holds and half-lives: a century
Points = Annotated[float, Field(ge=-MAX_POINTS, le=MAX_POINTS)]
NonNegative = Annotated[float, Field(ge=0, le=MAX_SCORE)]
Positive = Annotated[float, Field(gt=0, le=MAX_SCORE)]
Days = Annotated[float, Field(gt=0, le=MAX_DAYS)]
Confidence = Annotated[float, Field(ge=0, le=1)]
Bound = Annotated[float, Field(ge=0, le=1e18)]  # employee and revenue bands (revenue in any currency)
Count = Annotated[int, Field(ge=0, le=2**63 - 1)]


class _Model(BaseModel):
    # extra="forbid": a typo ("window_day") is an error with its path, not a silently ignored key.
    # strict: `true` or "30" is not a number; allow_inf_nan=False: TOML's inf and nan are refused.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)
