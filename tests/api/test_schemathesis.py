"""Property-based tests of every operation against the app's own OpenAPI document (schemathesis).

Each operation gets up to 30 generated requests, valid and invalid, and every response is checked:
no server error, a documented status code, a documented content type, a body that conforms to
the documented schema, invalid requests rejected and valid ones accepted.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from api.settings import Settings

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings()))

STRICT_INTEGER = "Input should be a valid integer"


def _only_integral_floats_rejected(problem: Any) -> bool:
    errors: list[dict[str, Any]] = problem.get("errors") or [] if isinstance(problem, dict) else []
    return bool(errors) and all(
        e["reason"] == STRICT_INTEGER and isinstance(e["value"], float) and e["value"].is_integer() for e in errors
    )


def valid_requests_are_accepted(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> None:
    """Schemathesis' positive_data_acceptance, less one documented difference.

    JSON Schema counts ``45.0`` as an integer; the library's strict rules do not (nothing is
    coerced), so such a body is a 422 naming the field. Every other valid request must succeed.
    """
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code < 400:
        return
    if response.status_code == 422 and _only_integral_floats_rejected(response.json()):
        return
    raise AssertionError(f"a schema-valid request was rejected with {response.status_code}: {response.text[:500]}")


@schema.parametrize()
@settings(max_examples=30, deadline=None)
def test_every_operation_conforms_to_its_schema(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(excluded_checks=[positive_data_acceptance], additional_checks=[valid_requests_are_accepted])
