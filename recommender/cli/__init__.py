"""The ``partnership-recommender`` command line (typer). Each command group lives in its own
module and registers itself on :data:`app` here."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Plan research/policy partnerships.")


def main() -> None:
    """Console-script entry point."""
    app()


from recommender.cli import serve  # noqa: E402, F401  (registers the `serve` command)
from recommender.cli import kb  # noqa: E402, F401  (registers the `kb` commands)
