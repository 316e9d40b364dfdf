"""The discretised profile space: every profile the rules can tell apart.

Each field a rule tests takes every value its type allows (enums and booleans; an optional
field is also left out), except integers: a number takes the values on both sides of every
threshold a rule's condition on it defines, and the field's bounds. Within two adjacent values
no condition can change its truth, so the space covers every behaviour of the rules.

A field that no rule tests takes one value (its default, else its first): no condition of
either evaluator reads it, so its other values give the same answers. The proposed initiation
is the exception, as the service reads it too: it names a mode in play. On the shipped
knowledge base every field is tested.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from recommender.kb.knowledge_base import KnowledgeBase
from recommender.profile import ProjectProfile, field_domain
from recommender.space import number_cuts

#: Free text: no rule may test it, so it does not span the space.
FREE_TEXT = frozenset({"title"})
#: Fields the service reads besides the rules' conditions (``decide`` puts the proposal in play).
READ_BY_SERVICE = frozenset({"proposed_initiation"})

Value = str | int | bool | None


def field_values(kb: KnowledgeBase) -> dict[str, tuple[Value, ...]]:
    """The values each profile field takes in the space, in the schema's order.

    Example:
        >>> from recommender.kb import load_knowledge_base
        >>> field_values(load_knowledge_base())["timeline_months"]
        (1, 5, 6, 11, 12, 120)
    """
    tested = {name for rule in kb.rules for name in rule.when.profile} | READ_BY_SERVICE
    values: dict[str, tuple[Value, ...]] = {}
    for name, info in ProjectProfile.model_fields.items():
        if name in FREE_TEXT:
            continue
        if field_domain(name).kind == "number":
            # Both sides of every cut any rule defines, and the field's bounds.
            values[name] = number_cuts(name, kb.rules).sides(bounds=True)
        else:
            values[name] = _enumerate(name)
        if name not in tested:
            values[name] = (values[name][0] if info.is_required() else info.default,)
    return values


def profiles(kb: KnowledgeBase, start: int = 0, stop: int | None = None) -> Iterator[ProjectProfile]:
    """Every profile of the space (or those from ``start`` to ``stop``), as the service receives it."""
    values = field_values(kb)
    names = tuple(values)
    for combination in itertools.islice(itertools.product(*values.values()), start, stop):
        yield ProjectProfile.model_validate(
            {name: value for name, value in zip(names, combination, strict=True) if value is not None}
        )


def _enumerate(name: str) -> tuple[Value, ...]:
    domain = field_domain(name)
    if domain.kind == "flag":
        return (False, True)
    if domain.kind != "choice":
        raise TypeError(f"cannot enumerate profile field type {ProjectProfile.model_fields[name].annotation!r}")
    # An optional field: absent first, then each value.
    return ((None,) if domain.optional else ()) + domain.choices
