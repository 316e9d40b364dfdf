"""The OpenAPI document: request bodies the API parses itself, problem answers with examples,
readable operation ids, a ``servers`` entry, and answers computed by the engine as examples."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from api.examples import problem_examples, unknown_knowledge_base_examples
from api.problems import PROBLEM_MEDIA_TYPE
from api.schemas import REQUEST_MODELS
from recommender import KnowledgeBaseError, Recommender, RecommenderError

_REF = "#/components/schemas/{model}"
#: Marks a string schema whose ``enum`` is the loaded knowledge base's plan-component ids.
COMPONENT_IDS = "x-component-ids"

#: Request schemas built by hand (not from a model), added to the components by :func:`install`.
_REQUEST_SCHEMAS: dict[str, dict[str, Any]] = {}
#: operationId -> how to compute its 200 answer's example from the knowledge base.
_ANSWER_EXAMPLES: dict[str, Callable[[Recommender], BaseModel]] = {}
#: Problems every path can answer, documented once under ``components.responses``.
_SHARED_RESPONSES = {
    404: ("NotFound", "No such path: a problem."),
    405: ("MethodNotAllowed", "The path exists, but not with this method; `Allow` lists the methods."),
}


def request_schema(name: str, schema: dict[str, Any]) -> str:
    """Register a hand-built request schema under ``components.schemas``; returns ``name``."""
    _REQUEST_SCHEMAS[name] = schema
    return name


def answer_example(operation_id: str, build: Callable[[Recommender], BaseModel]) -> None:
    """Document ``build(recommender)`` (computed once, when the document is made) as the 200 example."""
    _ANSWER_EXAMPLES[operation_id] = build


def json_body(schema: str | list[str], examples: dict[str, dict[str, Any]], description: str) -> dict[str, Any]:
    """``openapi_extra`` for a route that reads its JSON body itself (see :mod:`api.body`); several
    schema names mean the body is exactly one of them."""
    names = [schema] if isinstance(schema, str) else schema
    refs = [{"$ref": _REF.format(model=name)} for name in names]
    content = {"application/json": {"schema": refs[0] if len(refs) == 1 else {"oneOf": refs}, "examples": examples}}
    return {"requestBody": {"required": True, "description": description, "content": content}}


def problems(
    *statuses: int, examples: dict[int, dict[str, dict[str, Any]]] | None = None
) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entries for the problem answers a route can give, each with examples
    (:data:`api.examples.problem_examples`, or the route's own in ``examples``)."""
    schema = {"$ref": _REF.format(model="Problem")}
    shared = problem_examples()
    entries: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        content: dict[str, Any] = {"schema": schema}
        found = (examples or {}).get(status) or shared.get(status)
        if found:
            content["examples"] = found
        entries[status] = {"description": HTTPStatus(status).phrase, "content": {PROBLEM_MEDIA_TYPE: content}}
    return entries


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` add the request-only models to the generated components, list the
    knowledge base's component ids where a request names one, document the problems every path
    can answer, and give the main operations an answer computed by the engine as example."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            generated = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                servers=app.servers,
            )
            recommender = _recommender(app)
            ids = list(recommender.kb.components) if recommender else []
            components = generated.setdefault("components", {}).setdefault("schemas", {})
            components.update(_REQUEST_SCHEMAS)
            # A copy: the routes' openapi_extra dicts are shared by every app built in this process.
            document = _with_component_ids(generated, ids)
            _, definitions = models_json_schema([(model, "validation") for model in REQUEST_MODELS], ref_template=_REF)
            components = document["components"]["schemas"]
            for name, definition in definitions.get("$defs", {}).items():
                components.setdefault(name, definition)
            document["components"]["responses"] = _shared_responses()
            _document_unknown_knowledge_base(document)
            if recommender is not None:
                _add_answer_examples(document, recommender)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document_unknown_knowledge_base(document: dict[str, Any]) -> None:
    """Every operation that takes ``?knowledge_base=`` answers an unknown version with a 404 problem."""
    answer = problems(404, examples=unknown_knowledge_base_examples())[404]
    answer["description"] = "No knowledge base of the version named by `knowledge_base` is loaded."
    for item in document["paths"].values():
        for operation in item.values():
            names = {p.get("name") for p in operation.get("parameters", []) if p.get("in") == "query"}
            if "knowledge_base" in names:
                operation.setdefault("responses", {}).setdefault("404", answer)


def _shared_responses() -> dict[str, Any]:
    shared = problem_examples()
    schema = {"$ref": _REF.format(model="Problem")}
    return {
        name: {
            "description": description,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": schema, "examples": shared[status]}},
        }
        for status, (name, description) in _SHARED_RESPONSES.items()
    }


def _add_answer_examples(document: dict[str, Any], recommender: Recommender) -> None:
    for item in document["paths"].values():
        for operation in item.values():
            build = _ANSWER_EXAMPLES.get(operation.get("operationId", ""))
            content = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json")
            if build is None or content is None:
                continue
            try:
                content["example"] = build(recommender).model_dump(mode="json")
            except RecommenderError:  # a knowledge base the example does not fit: the schema still documents it
                continue


def _recommender(app: FastAPI) -> Recommender | None:
    """The app's recommender (built from its settings when the document is asked for before start-up)."""
    recommender = getattr(app.state, "recommender", None)
    if isinstance(recommender, Recommender):
        return recommender
    try:
        return Recommender.from_directory(app.state.settings.rules_dir)
    except KnowledgeBaseError:  # start-up refuses this knowledge base; the document just lacks what needs it
        return None


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
