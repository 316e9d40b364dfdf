"""The JSON of an answer joined from its sections' JSON is byte for byte the answer serialised.

:meth:`recommender.assemble.Assembler.write` builds each section from the fired rules of its
own kind only, so any set of rules (reachable by a profile or not) must give the same bytes as
``build(...).model_dump_json()``: these tests draw sets of rules at random, not only the ones
the engine fires, and profiles with titles, exact timelines, proposals and defaults of their own.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import ProjectProfile, Recommender, decision
from recommender.assemble import Assembler
from recommender.kb.knowledge_base import KnowledgeBase
from tests.integration.strategies import profiles


def _written(assembler: Assembler, kb: KnowledgeBase, profile: ProjectProfile, fired: frozenset[str]) -> bytes:
    decided = decision.outcome(kb, fired)
    return assembler.write(profile, assembler.mask(fired), decided.level)


def _built(assembler: Assembler, kb: KnowledgeBase, profile: ProjectProfile, fired: frozenset[str]) -> bytes:
    return assembler.build(profile, decision.outcome(kb, fired)).model_dump_json().encode()


@settings(max_examples=400, deadline=None)
@given(profile=profiles, data=st.data())
def test_any_set_of_rules_is_written_as_it_is_serialised(
    recommender: Recommender, kb: KnowledgeBase, profile: ProjectProfile, data: st.DataObject
) -> None:
    rule_ids = [rule.id for rule in kb.rules]
    fired = frozenset(data.draw(st.lists(st.sampled_from(rule_ids), unique=True)))
    assembler = Assembler(kb) if data.draw(st.booleans()) else recommender._assembler
    assert _written(assembler, kb, profile, fired) == _built(assembler, kb, profile, fired)


def test_every_single_rule_and_every_rule_but_one_is_written_as_serialised(kb: KnowledgeBase) -> None:
    assembler = Assembler(kb)
    every = frozenset(rule.id for rule in kb.rules)
    profile = ProjectProfile(
        title='A title with "quotes", é and </script>',
        project_type="evaluation",
        timeline_months=7,
        funding="co_funded",
        relationship="none",
        staff_stability="low",
        proposed_initiation="co_produced",
    )
    for rule in kb.rules:
        for fired in (frozenset({rule.id}), every - {rule.id}):
            assert _written(assembler, kb, profile, fired) == _built(assembler, kb, profile, fired), rule.id


@settings(max_examples=300, deadline=None)
@given(profiles)
def test_what_the_engine_fires_is_written_as_the_answer_serialised(
    recommender: Recommender, profile: ProjectProfile
) -> None:
    assert recommender.recommend_json(profile) == recommender.recommend(profile).model_dump_json().encode()
