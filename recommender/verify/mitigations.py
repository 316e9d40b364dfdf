"""Which mitigations an answer lists, from the rules that fired alone (no assembly)."""

from __future__ import annotations

from recommender.kb.knowledge_base import KnowledgeBase


def mitigation_ids(kb: KnowledgeBase, fired: frozenset[str]) -> frozenset[str]:
    """The mitigations an answer lists when these rules fired: the fired rules' own and steps,
    and those of the risks they raise."""
    rules = kb.rules_by_id
    found: set[str] = set()
    for rule_id in fired:
        then = rules[rule_id].then
        found.update(then.mitigations, then.steps)
        for risk in then.risks:
            found.update(kb.risks[risk].mitigations)
    return frozenset(found)
