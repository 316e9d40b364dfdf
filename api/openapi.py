"""The OpenAPI document: request bodies the API parses itself, and problem answers, documented."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema

from api.problems import PROBLEM_MEDIA_TYPE
from api.schemas import REQUEST_MODELS
from recommender import KnowledgeBaseError, load_knowledge_base

_REF = "#/components/schemas/{model}"
#: Marks a string schema whose ``enum`` is the loaded knowledge base's plan-component ids.
COMPONENT_IDS = "x-component-ids"


def json_body(schema: str, examples: dict[str, dict[str, Any]], description: str) -> dict[str, Any]:
    """``openapi_extra`` for a route that reads its JSON body itself (see :mod:`api.body`)."""
    content = {"application/json": {"schema": {"$ref": _REF.format(model=schema)}, "examples": examples}}
    return {"requestBody": {"required": True, "description": description, "content": content}}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entries for the problem answers a route can give."""
    schema = {"$ref": _REF.format(model="Problem")}
    return {
        status: {"description": HTTPStatus(status).phrase, "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}}}
        for status in statuses
    }


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` add the request-only models to the generated components, and list
    the knowledge base's component ids where a request names one."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            generated = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            # A copy: the routes' openapi_extra dicts are shared by every app built in this process.
            document = _with_component_ids(generated, _component_ids(app))
            _, definitions = models_json_schema([(model, "validation") for model in REQUEST_MODELS], ref_template=_REF)
            components = document.setdefault("components", {}).setdefault("schemas", {})
            for name, definition in definitions.get("$defs", {}).items():
                components.setdefault(name, definition)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _component_ids(app: FastAPI) -> list[str]:
    """The plan-component ids of the app's knowledge base (loaded from its settings before start-up)."""
    recommender = getattr(app.state, "recommender", None)
    if recommender is not None:
        return list(recommender.kb.components)
    try:
        return list(load_knowledge_base(app.state.settings.rules_dir).components)
    except KnowledgeBaseError:  # start-up refuses this knowledge base; the document just lacks the enum
        return []


def _with_component_ids(node: Any, ids: list[str]) -> Any:
    """A copy of ``node`` in which each :data:`COMPONENT_IDS` mark becomes an ``enum`` of ``ids``."""
    if isinstance(node, dict):
        copied = {key: _with_component_ids(value, ids) for key, value in node.items() if key != COMPONENT_IDS}
        if node.get(COMPONENT_IDS) and ids:
            copied["enum"] = list(ids)
        return copied
    if isinstance(node, list):
        return [_with_component_ids(item, ids) for item in node]
    return node
