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


def test_threads_writing_on_one_new_assembler_get_the_answers_built_alone(kb: KnowledgeBase) -> None:
    import random
    import sys
    from concurrent.futures import ThreadPoolExecutor

    rng = random.Random(3)
    rule_ids = [rule.id for rule in kb.rules]
    cases = [frozenset(rng.sample(rule_ids, rng.randint(0, len(rule_ids)))) for _ in range(120)]
    profile = ProjectProfile(
        project_type="evaluation",
        timeline_months=30,
        funding="unfunded",
        relationship="long_term",
        staff_stability="high",
        proposed_initiation="agency",
    )
    alone = Assembler(kb)
    expected = [_built(alone, kb, profile, fired) for fired in cases]
    shared = Assembler(kb)  # every section, item and piece written for the first time, by racing threads
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            written = list(pool.map(lambda fired: _written(shared, kb, profile, fired), cases * 3))
    finally:
        sys.setswitchinterval(switch)
    assert written == expected * 3
