"""The partnership services on real storage (SQLite and PostgreSQL): tokens, revisions, no
peeking, divergence, assessments and deletion."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, func, select, text

from recommender import Recommender, default_recommender, parse_profile
from recommender.errors import ForbiddenError, NotFoundError, ProfileError, UnauthenticatedError
from recommender.partnerships import database, services
from recommender.partnerships.models import Answer, AssessmentRow, Partner, Partnership
from recommender.partnerships.unit_of_work import SqlAlchemyUnitOfWork
from recommender.partnerships.views import CreatedPartnership, NewPartnership
from tests.partnerships.support import NEW, OTHER, PROFILE


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = database.open_database(database_url)
    yield engine
    engine.dispose()


def uow(engine: Engine) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(engine)


@pytest.fixture
def created(engine: Engine) -> CreatedPartnership:
    return services.create_partnership(uow(engine), NewPartnership.model_validate(NEW))


def answer(engine: Engine, created: CreatedPartnership, index: int, data: dict[str, object]) -> int:
    partner = created.partners[index]
    profile, in_place = services.parse_answers(data, default_recommender())
    return services.submit_answers(uow(engine), created.id, partner.id, partner.token, profile, in_place).revision


def stored(data: dict[str, object]) -> dict[str, object]:
    """A profile as stored: validated, its defaults filled in."""
    return parse_profile(data).model_dump(mode="json", exclude_none=True)


def test_tokens_are_long_random_and_stored_only_as_hashes(engine: Engine, created: CreatedPartnership) -> None:
    secrets = [created.owner_token, *(p.token for p in created.partners)]
    assert len(set(secrets)) == 3
    assert all(len(s) >= 43 for s in secrets)
    with engine.connect() as connection:
        stored = " ".join(
            str(row)
            for table in ("partnership", "partner")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        )
    assert not any(s in stored for s in secrets)


def test_the_token_rules(engine: Engine, created: CreatedPartnership, recommender: Recommender) -> None:
    other = services.create_partnership(uow(engine), NewPartnership.model_validate(NEW))
    with pytest.raises(UnauthenticatedError):
        services.get_partnership(uow(engine), created.id, None, recommender)
    with pytest.raises(UnauthenticatedError):
        services.get_partnership(uow(engine), created.id, "not-a-token", recommender)
    with pytest.raises(UnauthenticatedError):  # a wrong token learns nothing of whether the partnership exists
        services.get_partnership(uow(engine), "no-such-id", "not-a-token", recommender)
    for token in (other.owner_token, other.partners[0].token):
        with pytest.raises(NotFoundError):
            services.get_partnership(uow(engine), created.id, token, recommender)
    with pytest.raises(NotFoundError):
        services.get_partnership(uow(engine), "no-such-id", created.owner_token, recommender)
    first, second = created.partners
    profile = parse_profile(PROFILE)
    with pytest.raises(ForbiddenError):
        services.submit_answers(uow(engine), created.id, second.id, first.token, profile, None)
    with pytest.raises(ForbiddenError):
        services.submit_answers(uow(engine), created.id, first.id, created.owner_token, profile, None)
    with pytest.raises(ForbiddenError):
        services.record_assessment(uow(engine), created.id, first.token, profile, recommender)
    with pytest.raises(ForbiddenError):
        services.delete_partnership(uow(engine), created.id, first.token)
    with pytest.raises(NotFoundError):
        services.submit_answers(uow(engine), created.id, "no-such-partner", first.token, profile, None)


def test_each_submission_is_a_new_revision(engine: Engine, created: CreatedPartnership) -> None:
    assert [answer(engine, created, 0, PROFILE) for _ in range(3)] == [1, 2, 3]
    assert answer(engine, created, 1, PROFILE) == 1
    first = created.partners[0]
    latest = services.read_answers(uow(engine), created.id, first.id, first.token)
    assert latest.revision == 3
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Answer)) == 4


def test_nobody_peeks_before_every_partner_has_answered(
    engine: Engine, created: CreatedPartnership, recommender: Recommender
) -> None:
    first, second = created.partners
    answer(engine, created, 0, PROFILE)
    assert services.read_answers(uow(engine), created.id, first.id, first.token).profile == stored(PROFILE)
    for token in (second.token, created.owner_token):
        with pytest.raises(ForbiddenError):
            services.read_answers(uow(engine), created.id, first.id, token)
    view = services.get_partnership(uow(engine), created.id, created.owner_token, recommender)
    assert [p.answered for p in view.partners] == [True, False]
    assert view.divergence is None
    answer(engine, created, 1, OTHER)
    for token in (second.token, created.owner_token):
        assert services.read_answers(uow(engine), created.id, first.id, token).profile == stored(PROFILE)


def test_divergence_lists_the_differing_fields_each_partners_advice_and_what_to_talk_through(
    engine: Engine, created: CreatedPartnership, recommender: Recommender
) -> None:
    first, second = created.partners
    answer(engine, created, 0, PROFILE)
    answer(engine, created, 1, OTHER)
    divergence = services.get_partnership(uow(engine), created.id, first.token, recommender).divergence
    assert divergence is not None
    differing = {f.field: f.answers for f in divergence.fields}
    assert differing["timeline_months"] == {first.id: 4, second.id: 24}
    assert "staff_stability" not in differing  # the same in both views
    assert differing["agency_evidence_need"] == {first.id: "specific", second.id: stored(OTHER)["agency_evidence_need"]}
    advice = {a.partner_id: a for a in divergence.advice}
    expected = recommender.recommend(parse_profile(OTHER))
    assert advice[second.id].initiation == expected.initiation_mode.recommended
    assert advice[second.id].level == expected.collaboration_level.recommended
    assert divergence.advice_differs
    cited = {f for t in divergence.talk_through for f in t.findings}
    assert {
        "component.relationship.shared_aims",
        "component.relationship.understand_needs",
        "component.relationship.open_communication",
    } <= cited


def test_the_same_views_do_not_diverge(engine: Engine, created: CreatedPartnership, recommender: Recommender) -> None:
    answer(engine, created, 0, PROFILE)
    answer(engine, created, 1, PROFILE)
    divergence = services.get_partnership(uow(engine), created.id, created.owner_token, recommender).divergence
    assert divergence is not None
    assert divergence.fields == []
    assert not divergence.advice_differs


def test_in_place_is_checked_against_the_components(recommender: Recommender) -> None:
    component = next(iter(recommender.kb.components))
    assert services.parse_answers(PROFILE | {"in_place": [component, component]}, recommender)[1] == [component]
    with pytest.raises(ProfileError, match="unknown component"):
        services.parse_answers(PROFILE | {"in_place": ["no_such_component"]}, recommender)
    with pytest.raises(ProfileError, match="list of component ids"):
        services.parse_answers(PROFILE | {"in_place": "everything"}, recommender)


def test_assessments_keep_their_order_and_say_what_changed(
    engine: Engine, created: CreatedPartnership, recommender: Recommender
) -> None:
    first = services.record_assessment(
        uow(engine), created.id, created.owner_token, parse_profile(PROFILE), recommender
    )
    second = services.record_assessment(uow(engine), created.id, created.owner_token, parse_profile(OTHER), recommender)
    assert (first.number, first.changes) == (1, None)
    assert first.knowledge_base.digest == recommender.kb.digest
    assert second.number == 2
    assert second.changes is not None
    old = recommender.recommend(parse_profile(PROFILE))
    new = recommender.recommend(parse_profile(OTHER))
    assert set(second.changes.fields) == {k for k in {*PROFILE, *OTHER} if PROFILE.get(k) != OTHER.get(k)}
    old_init, new_init = old.initiation_mode.recommended, new.initiation_mode.recommended
    assert second.changes.initiation == ((old_init, new_init) if old_init != new_init else None)
    old_risks, new_risks = {r.id for r in old.risks}, {r.id for r in new.risks}
    assert second.changes.risks_raised == sorted(new_risks - old_risks)
    assert second.changes.risks_cleared == sorted(old_risks - new_risks)
    history = services.list_assessments(uow(engine), created.id, created.partners[1].token)
    assert [a.number for a in history.assessments] == [1, 2]
    assert history.assessments[1].changes == second.changes
    assert history.assessments[0].created_at <= history.assessments[1].created_at


def test_an_assessment_reads_as_it_was_made(
    engine: Engine, created: CreatedPartnership, recommender: Recommender
) -> None:
    services.record_assessment(uow(engine), created.id, created.owner_token, parse_profile(PROFILE), recommender)
    with engine.begin() as connection:  # as if made under an older knowledge base
        connection.execute(text("UPDATE assessment SET kb_version = '2020.1', kb_digest = 'old'"))
    (made,) = services.list_assessments(uow(engine), created.id, created.owner_token).assessments
    assert (made.knowledge_base.version, made.knowledge_base.digest) == ("2020.1", "old")
    assert made.recommendation == recommender.recommend(parse_profile(PROFILE)).model_dump(mode="json")


def test_deleting_removes_everything(engine: Engine, created: CreatedPartnership, recommender: Recommender) -> None:
    kept = services.create_partnership(uow(engine), NewPartnership.model_validate(NEW))
    answer(engine, created, 0, PROFILE)
    answer(engine, created, 1, OTHER)
    services.record_assessment(uow(engine), created.id, created.owner_token, parse_profile(PROFILE), recommender)
    services.delete_partnership(uow(engine), created.id, created.owner_token)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Partnership)) == 1
        assert connection.scalar(select(func.count()).select_from(Partner)) == len(kept.partners)
        assert connection.scalar(select(func.count()).select_from(Answer)) == 0
        assert connection.scalar(select(func.count()).select_from(AssessmentRow)) == 0
    with pytest.raises(UnauthenticatedError):  # the owner's token opens nothing any more
        services.get_partnership(uow(engine), created.id, created.owner_token, recommender)


def test_concurrent_submissions_keep_every_revision(engine: Engine, created: CreatedPartnership) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        revisions = list(pool.map(lambda _: answer(engine, created, 0, PROFILE), range(16)))
    assert sorted(revisions) == list(range(1, 17))
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Answer)) == 16


def test_a_restart_serves_the_same_data(database_url: str, recommender: Recommender) -> None:
    engine = database.open_database(database_url)
    made = services.create_partnership(uow(engine), NewPartnership.model_validate(NEW))
    answer(engine, made, 0, PROFILE)
    engine.dispose()
    again = database.open_database(database_url)
    try:
        view = services.get_partnership(uow(again), made.id, made.owner_token, recommender)
        assert [p.answered for p in view.partners] == [True, False]
    finally:
        again.dispose()
