"""The library's command line (typer). Each command group lives in its own module and registers
itself on :data:`app` here. The ``partnership-recommender`` console script (``api.cli``) adds
``serve``, which runs the HTTP API: the library itself never imports the web stack."""

from __future__ import annotations

import typer

__all__ = ["app", "main"]

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Plan research/policy partnerships.")


def main() -> None:
    """The library's commands alone (no ``serve``): ``python -m recommender.cli``."""
    app()


# The command modules register themselves on `app`, so they are imported after it exists.
from recommender.cli import (  # noqa: E402
    db,  # noqa: F401  (registers the `db` commands)
    fields,  # noqa: F401  (registers fields and init)
    kb,  # noqa: F401  (registers the `kb` commands)
    partnership,  # noqa: F401  (registers the `partnership` commands)
    reports,  # noqa: F401  (registers recommend, plan-check, tender-brief, what-if, batch)
)
