"""A faster `__init__` for the rules engine's frozen, slotted dataclasses. Pure: no I/O.

CPython 3.11's generated `__init__` of a frozen dataclass stores every field with
`object.__setattr__(self, name, value)` (its own `__setattr__` refuses), about 4x the time of a
plain dataclass's `self.name = value`. The engine builds ~500 field values per account (the
contacts' snapshots and activity stats, their evaluations, the checks): measured on 2,000 stored
accounts, a tenth of the Python of a full pass's evaluation and of a readiness answer's
(docs/benchmarks.md, "Frozen records built for less"). `fast_init` gives such a class an `__init__`
that stores each argument through its slot's descriptor, which the frozen `__setattr__` does not
intercept: the same parameters, defaults and values; setting a field afterwards still raises
`FrozenInstanceError`, and equality, hashing, `repr`, `replace()` and pickling are the dataclass's own.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any, TypeVar

__all__ = ["fast_init"]

T = TypeVar("T")


def fast_init(cls: type[T]) -> type[T]:
    """Decorate a `@dataclass(frozen=True, slots=True)` class (above the dataclass decorator) whose
    `__init__` takes exactly its fields, positionally or by name, with plain defaults. Anything
    else (no slots, not frozen, `__post_init__`, `InitVar`, `init=False`, `kw_only`, a default
    factory) is refused with TypeError rather than given an `__init__` that would differ."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"fast_init: {cls.__name__} is not a frozen, slotted dataclass")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]  # a dataclass, checked above
    original = inspect.signature(cls.__init__)
    expected = [(f.name, f.default) for f in fields]
    given = [(p.name, dataclasses.MISSING if p.default is p.empty else p.default)
             for p in list(original.parameters.values())[1:]]
    if (hasattr(cls, "__post_init__") or given != expected
            or any(p.kind is not p.POSITIONAL_OR_KEYWORD for p in list(original.parameters.values())[1:])):
        raise TypeError(f"fast_init: {cls.__name__}.__init__ is not its fields with plain defaults")
    namespace: dict[str, Any] = {}
    args = []
    for i, f in enumerate(fields):
        namespace[f"_set{i}"] = getattr(cls, f.name).__set__  # the slot's member descriptor
        if f.default is dataclasses.MISSING:
            args.append(f.name)
        else:
            namespace[f"_default{i}"] = f.default
            args.append(f"{f.name}=_default{i}")
    body = "".join(f"    _set{i}(self, {f.name})\n" for i, f in enumerate(fields)) or "    pass\n"
    exec(f"def __init__(self, {', '.join(args)}):\n{body}", namespace)  # noqa: S102 - our own text, as dataclasses does
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]  # the class, not an instance: frozen does not apply
    return cls
