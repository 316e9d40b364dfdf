"""A second, independent evaluator of the rule data: a small pure-Python interpreter.

It shares nothing with the durable_rules adapter beyond the loaded models, so that comparing
the two on every profile (``partnership-recommender kb check``) shows the compiled ruleset
means what the YAML says. The semantics it implements, read from ``rules/rules.yaml``:

* a profile condition holds when the field is present and equals the value, is one of the
  listed values, or satisfies the one comparison (``lt``, ``lte``, ``gt``, ``gte``), as
  :func:`recommender.applicability.matches_condition` reads it;
* a fact condition holds once some fired rule has derived the fact;
* first pass: rules without an ``initiation`` condition fire, each at most once, until no
  further rule can fire (forward chaining to a fixpoint, in any order);
* second pass: ``decide`` names the initiation modes in play from the rules fired so far, and
  the rules whose ``initiation`` is one of them fire if their other conditions hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from recommender.applicability import matches_condition
from recommender.engine.base import Decide, Scalar
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Condition, Rule


@dataclass(frozen=True)
class _CompiledRule:
    id: str
    conditions: tuple[tuple[str, Condition], ...]
    facts: frozenset[str]
    initiation: str | None
    derive: tuple[str, ...]

    def matches(self, profile: Mapping[str, Scalar]) -> bool:
        return all(
            field in profile and matches_condition(profile[field], condition) for field, condition in self.conditions
        )


def _compile(rule: Rule) -> _CompiledRule:
    return _CompiledRule(
        id=rule.id,
        conditions=tuple(rule.when.profile.items()),
        facts=frozenset(rule.when.facts),
        initiation=rule.when.initiation,
        derive=tuple(rule.then.derive),
    )


class ReferenceEvaluator:
    """Evaluates profiles by interpreting the rule data directly (no rules engine).

    Example:
        >>> from recommender.kb import load_knowledge_base
        >>> evaluator = ReferenceEvaluator(load_knowledge_base())
        >>> profile = {"project_type": "evaluation", "timeline_months": 18, "funding": "co_funded",
        ...            "relationship": "long_term", "staff_stability": "high",
        ...            "agency_evidence_need": "general", "uses_agency_data": False,
        ...            "politically_sensitive": False}
        >>> "coproduction_preconditions_met" in evaluator.evaluate(profile, lambda fired: ["co_produced"])
        True
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        compiled = [_compile(rule) for rule in kb.rules]
        self._first = tuple(rule for rule in compiled if rule.initiation is None)
        self._second = tuple(rule for rule in compiled if rule.initiation is not None)

    def evaluate(self, profile: Mapping[str, Scalar], decide: Decide) -> list[str]:
        fired: list[str] = []
        facts: set[str] = set()
        # The profile does not change, so a rule whose profile conditions fail never fires;
        # the others fire as soon as their facts are derived, until nothing more can.
        pending = [rule for rule in self._first if rule.matches(profile)]
        progress = True
        while progress:
            progress = False
            waiting = []
            for rule in pending:
                if rule.facts <= facts:
                    fired.append(rule.id)
                    facts.update(rule.derive)
                    progress = True
                else:
                    waiting.append(rule)
            pending = waiting
        in_play = set(decide(list(fired)))
        fired += [
            rule.id
            for rule in self._second
            if rule.initiation in in_play and rule.facts <= facts and rule.matches(profile)
        ]
        return fired
