"""`fast_init`: the rules engine's frozen records built through their slots must be exactly what the
dataclass's own `__init__` builds (values, defaults, errors, equality, hashing, immutability, copies),
for every class it decorates, and classes it cannot serve faithfully are refused. Pure tests."""

from __future__ import annotations

import copy
import dataclasses
import functools
import importlib
import inspect
import pickle
import pkgutil
from dataclasses import FrozenInstanceError, dataclass, field

import pytest

import graphsvc.rules
from graphsvc.rules.frozen import fast_init


def _decorated() -> list[type]:
    """Every class of graphsvc.rules (its modules and any subpackage's) that fast_init decorated."""
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(graphsvc.rules.__path__, "graphsvc.rules."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and getattr(value.__init__, "__fast_init__", False):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[k] for k in sorted(found)]


DECORATED = _decorated()


def _reference(cls: type) -> type:
    """The same fields as a frozen, slotted dataclass with the dataclass's own __init__."""
    specs = [(f.name, f.type, field(default=f.default)) if f.default is not dataclasses.MISSING else (f.name, f.type)
             for f in dataclasses.fields(cls)]
    return dataclasses.make_dataclass(f"Reference{cls.__name__}", specs, frozen=True, slots=True)


def test_the_hot_records_are_decorated() -> None:
    names = {c.__name__ for c in DECORATED}
    # built per contact, per activity type or per check: most of the ~500 field values per account
    assert {"ActivityStat", "ContactSnapshot", "RoleAssignment", "ContactEval", "EffectiveRole", "Check",
            "Candidate", "Coverage", "ContactResult", "ContactRole", "Qualification"} <= names
    assert "AccountSnapshot" not in names  # a default factory: refused, keeps the dataclass's __init__
    assert len(names) >= 26


@pytest.mark.parametrize("cls", DECORATED, ids=lambda c: c.__name__)
def test_same_values_as_the_dataclass_init(cls: type) -> None:
    fields = dataclasses.fields(cls)
    ref = _reference(cls)
    values = [object() for _ in fields]  # distinct sentinels: any swap of two fields shows
    built, expected = cls(*values), ref(*values)
    assert [getattr(built, f.name) for f in fields] == [getattr(expected, f.name) for f in fields] == values
    by_name = cls(**{f.name: v for f, v in zip(fields, values)})
    assert [getattr(by_name, f.name) for f in fields] == values
    assert built == by_name and hash(built) == hash(by_name)
    # defaults: only the fields without one given
    required = [f for f in fields if f.default is dataclasses.MISSING]
    minimal = cls(*values[:len(required)])
    assert [getattr(minimal, f.name) for f in fields] == [getattr(ref(*values[:len(required)]), f.name) for f in fields]
    # the same parameters with the same default objects (0.0 stays a float, "" a str)
    ours, theirs = inspect.signature(cls.__init__).parameters, inspect.signature(ref.__init__).parameters
    assert list(ours) == list(theirs)
    for name, p in ours.items():
        assert p.kind is theirs[name].kind and p.default is theirs[name].default


@pytest.mark.parametrize("cls", DECORATED, ids=lambda c: c.__name__)
def test_still_frozen_and_copyable(cls: type) -> None:
    fields = dataclasses.fields(cls)
    values = list(range(len(fields)))
    built = cls(*values)
    with pytest.raises(FrozenInstanceError):
        setattr(built, fields[0].name, -1)
    with pytest.raises(FrozenInstanceError):
        delattr(built, fields[0].name)
    assert pickle.loads(pickle.dumps(built)) == built
    assert copy.deepcopy(built) == built
    changed = dataclasses.replace(built, **{fields[0].name: -1})
    assert getattr(changed, fields[0].name) == -1 and getattr(built, fields[0].name) == 0
    assert repr(built).startswith(f"{cls.__name__}(")


@fast_init
@dataclass(frozen=True, slots=True)
class _Point:
    x: float
    y: float = 0.0
    label: str = ""


def test_errors_are_the_dataclass_ones() -> None:
    @dataclass(frozen=True, slots=True)
    class Plain:
        x: float
        y: float = 0.0
        label: str = ""

    for args, kwargs in (((), {}), ((1, 2, "a", 4), {}), ((1,), {"x": 2}), ((1,), {"z": 3})):
        with pytest.raises(TypeError) as theirs:
            Plain(*args, **kwargs)
        with pytest.raises(TypeError) as ours:
            _Point(*args, **kwargs)
        assert str(ours.value) == str(theirs.value).replace(Plain.__qualname__, "_Point")
    assert _Point(1) == _Point(x=1, y=0.0, label="")
    assert repr(_Point(1, 2, "p")) == "_Point(x=1, y=2, label='p')"


def test_refuses_what_it_cannot_build_alike() -> None:
    with pytest.raises(TypeError, match="not a frozen, slotted dataclass"):
        fast_init(dataclass(slots=True)(type("Mutable", (), {"__annotations__": {"x": int}})))
    with pytest.raises(TypeError, match="not a frozen, slotted dataclass"):
        fast_init(dataclass(frozen=True)(type("NoSlots", (), {"__annotations__": {"x": int}})))
    with pytest.raises(TypeError, match="not a frozen, slotted dataclass"):
        fast_init(type("NotADataclass", (), {}))

    @dataclass(frozen=True, slots=True)
    class Factory:
        xs: list[int] = field(default_factory=list)

    @dataclass(frozen=True, slots=True)
    class KeywordOnly:
        x: int = field(kw_only=True)

    @dataclass(frozen=True, slots=True)
    class NotInInit:
        x: int
        y: int = field(default=0, init=False)

    @dataclass(frozen=True, slots=True)
    class PostInit:
        x: int

        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True, slots=True)
    class WithInitVar:
        x: int
        scale: dataclasses.InitVar[int] = 1

    @dataclass(frozen=True, slots=True)
    class OwnInit:  # an __init__ of its own that checks and changes its argument: dataclass keeps it
        x: int

        def __init__(self, x: int) -> None:
            if x < 0:
                raise ValueError("negative")
            object.__setattr__(self, "x", 2 * x)

    @dataclass(frozen=True, slots=True, init=False)
    class NoGeneratedInit:
        x: int

        def __init__(self, x: int) -> None:
            object.__setattr__(self, "x", x)

    @dataclass(frozen=True, slots=True)
    class Wrapped:
        x: int

    generated = Wrapped.__init__

    @functools.wraps(generated)
    def checking(self: Wrapped, x: int) -> None:
        if x < 0:
            raise ValueError("negative")
        generated(self, x)

    Wrapped.__init__ = checking  # type: ignore[method-assign]

    @dataclass(frozen=True, slots=True)
    class FieldNamedSelf:
        self: int

    for cls in (Factory, KeywordOnly, NotInInit, PostInit, WithInitVar, OwnInit, NoGeneratedInit, Wrapped,
                FieldNamedSelf):
        with pytest.raises(TypeError, match="fast_init"):
            fast_init(cls)
    assert OwnInit(3).x == 6  # untouched by the refusal


def test_field_names_do_not_collide_with_the_generated_code() -> None:
    @fast_init
    @dataclass(frozen=True, slots=True)
    class Odd:
        _set0: int
        _default0: int = 5
        namespace: str = "n"

    assert (Odd(1)._set0, Odd(1)._default0, Odd(1, 2, "m").namespace) == (1, 5, "m")
