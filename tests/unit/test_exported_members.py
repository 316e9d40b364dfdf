"""The public API is exactly these names; the HTTP API and the CLI use nothing deeper."""

import recommender


def test_public_api_lists_exactly_the_supported_names() -> None:
    assert recommender.__all__ == [
        "ANSWER_FORMATS",
        "MAX_PROBLEMS",
        "REPORT_FORMATS",
        "AccessError",
        "AnswerFormat",
        "Component",
        "EngineError",
        "FieldProblem",
        "Finding",
        "ForbiddenError",
        "KnowledgeBase",
        "KnowledgeBaseError",
        "KnowledgeBases",
        "Mitigation",
        "NotFoundError",
        "Plan",
        "PlanCheck",
        "PlanCheckRequest",
        "ProfileError",
        "ProjectProfile",
        "Recommendation",
        "Recommender",
        "RecommenderError",
        "ReportFormat",
        "Risk",
        "Rule",
        "StorageError",
        "TenderBrief",
        "UnauthenticatedError",
        "UnknownKnowledgeBaseError",
        "WhatIf",
        "WhatIfRequest",
        "check_plan",
        "default_recommender",
        "field_domain",
        "load_knowledge_base",
        "parse_plan_check",
        "parse_profile",
        "parse_what_if_request",
        "recommend",
        "recommend_each",
        "recommend_each_json",
        "render",
        "tender_brief",
        "tender_brief_and_recommendation",
        "validate_strictly",
        "visible",
        "what_if",
    ]


def test_every_exported_name_exists() -> None:
    missing = [name for name in recommender.__all__ if not hasattr(recommender, name)]
    assert missing == []
