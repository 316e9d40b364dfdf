import recommender


def test_public_api_lists_exactly_the_supported_names() -> None:
    assert set(recommender.__all__) >= {
        "EngineError",
        "FieldProblem",
        "KnowledgeBase",
        "KnowledgeBaseError",
        "ProfileError",
        "ProjectProfile",
        "Recommendation",
        "Recommender",
        "RecommenderError",
        "default_recommender",
        "load_knowledge_base",
        "parse_profile",
        "recommend",
    }
    for name in recommender.__all__:
        assert hasattr(recommender, name), name
    assert sorted(recommender.__all__) == recommender.__all__
