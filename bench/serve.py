"""Run the real ``partnership-recommender serve`` command, on the bench app (``--bench-app``) or
on ``api.app:app``, or the bare floor (``--bare``). The console script may not be installed in a
checkout, so this calls its entry point (``api.cli:main``); with ``--bench-app`` or
``--bare`` only the app it names differs.

    python -m bench.serve --bench-app serve --port 8123 --workers 2
"""

from __future__ import annotations

import sys

from bench.common import ROOT


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--bare"]:  # the bare floor, under the same uvicorn settings as `serve`
        args = args[1:]
        from api import cli as serve

        serve.APP = "bench.bare_floor:app"
    if args[:1] == ["--bench-app"]:
        args = args[1:]
        from api import cli as serve

        serve.APP = "bench.floor_app:app"
    sys.path.insert(0, str(ROOT))  # uvicorn workers import the app by name
    sys.argv = ["partnership-recommender", *args]
    from api.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
