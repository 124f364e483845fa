"""A faster `__init__` for the rules engine's frozen, slotted dataclasses. Pure: no I/O.

CPython 3.11's generated `__init__` of a frozen dataclass stores every field with
`object.__setattr__(self, name, value)` (its own `__setattr__` refuses), about 4x the time of a
plain dataclass's `self.name = value`. The engine builds ~400-550 field values per account (the
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
    `__init__` is the one dataclasses generated and takes exactly its fields, positionally or by
    name, with plain defaults. Anything else (no slots, not frozen, an `__init__` of the class's own
    or wrapped, `init=False`, `__post_init__`, `InitVar`, `kw_only`, a default factory, a field
    named `self` or starting with `__`) is refused with TypeError rather than given an `__init__`
    that would differ. A decorated class is final: its `__init__` stores through its own slots."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"fast_init: {cls.__name__} is not a frozen, slotted dataclass")
    generated = cls.__init__
    code = getattr(generated, "__code__", None)
    # dataclasses' own frozen __init__ (CPython's _create_fn): exec'd text closing over
    # __dataclass_builtins_object__, whose __setattr__ stores each field
    if (not params.init or code is None or hasattr(generated, "__wrapped__")
            or "__dataclass_builtins_object__" not in code.co_freevars):
        raise TypeError(f"fast_init: {cls.__name__}.__init__ is not the one dataclasses generated")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]  # a dataclass, checked above
    parameters = list(inspect.signature(generated).parameters.values())[1:]
    expected = [(f.name, f.default) for f in fields]
    given = [(p.name, dataclasses.MISSING if p.default is p.empty else p.default) for p in parameters]
    if (hasattr(cls, "__post_init__") or given != expected
            or any(p.kind is not p.POSITIONAL_OR_KEYWORD for p in parameters)
            or any(f.name == "self" or f.name.startswith("__") for f in fields)):
        raise TypeError(f"fast_init: {cls.__name__}.__init__ is not its fields with plain defaults")
    namespace: dict[str, Any] = {}
    args = []
    for i, f in enumerate(fields):
        namespace[f"__set{i}"] = getattr(cls, f.name).__set__  # the slot's member descriptor
        if f.default is dataclasses.MISSING:
            args.append(f.name)
        else:
            namespace[f"__default{i}"] = f.default
            args.append(f"{f.name}=__default{i}")
    body = "".join(f"    __set{i}(self, {f.name})\n" for i, f in enumerate(fields)) or "    pass\n"
    exec(f"def __init__(self, {', '.join(args)}):\n{body}", namespace)  # noqa: S102 - our own text, as dataclasses does
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = generated.__doc__
    init.__annotations__ = dict(generated.__annotations__)
    init.__fast_init__ = True  # what tests/rules/test_frozen.py finds the decorated classes by
    cls.__init__ = init  # type: ignore[method-assign]  # the class, not an instance: frozen does not apply
    return cls
