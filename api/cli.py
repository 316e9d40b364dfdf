"""The ``partnership-recommender`` console script: the library's commands (``recommender.cli``)
and ``serve``, which runs this HTTP API (``api.app:app``) under uvicorn.

``serve`` lives here, beside the app it serves, so that the library never imports the web stack.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from api.settings import Settings

__all__ = ["APP", "EXTRA_KNOWLEDGE_BASES", "THE_APP", "app", "main", "serve"]

#: The app ``serve`` runs (the benchmarks run their floors in its place). Only this one's lifespan
#: resumes a collector paused for the start (:mod:`api.startup`).
THE_APP = "api.app:app"
APP = THE_APP
#: How ``serve --knowledge-base`` reaches the workers, which read their settings from the environment.
EXTRA_KNOWLEDGE_BASES = "PARTNERSHIP_EXTRA_KNOWLEDGE_BASES"

#: ``--knowledge-base DIR`` (repeatable), of `serve` and `memo build`.
KnowledgeBaseOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--knowledge-base",
        exists=True,
        file_okay=False,
        metavar="DIR",
        help="Another knowledge-base folder to serve beside the default (repeatable); a request picks it "
        "with ?knowledge_base=VERSION. Default: PARTNERSHIP_EXTRA_KNOWLEDGE_BASES.",
    ),
]

# A group of its own with the command as its callback, so that `serve` stays a subcommand even
# while it is the only command registered on the main app, and so that `main` can run it alone.
serve_app = typer.Typer(add_completion=False)


@serve_app.callback(invoke_without_command=True)
def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to bind. Default: PARTNERSHIP_HOST, else 127.0.0.1.")
    ] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="Port to listen on. Default: PARTNERSHIP_PORT, else 8000.")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, help="Worker processes, each loading the knowledge base. Default: PARTNERSHIP_WORKERS, else 1."
        ),
    ] = None,
    knowledge_base: KnowledgeBaseOption = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="Proxies (IPs or networks, comma-separated) whose X-Forwarded-For/-Proto headers are honoured. "
            "Default: PARTNERSHIP_FORWARDED_ALLOW_IPS, else none."
        ),
    ] = None,
) -> None:
    """Serve the HTTP API; every knowledge base is loaded and checked before the first request."""
    from api import startup
    from api.settings import get_settings

    count = workers or get_settings().workers
    if APP == THE_APP and count == 1:  # the worker is this process
        startup.pause_collector()
    import uvicorn

    settings = _settings(knowledge_base)
    trusted = settings.forwarded_allow_ips if forwarded_allow_ips is None else forwarded_allow_ips
    if count > 1:  # after the settings the workers read are in the environment
        _fork_workers_from_here(APP)
    try:
        uvicorn.run(
            APP,
            host=host or settings.host,
            port=port or settings.port,
            workers=workers or settings.workers,
            log_level=settings.log_level,
            # Forwarded headers only from the proxies configured: none unless set (uvicorn's own
            # default would trust 127.0.0.1).
            proxy_headers=bool(trusted.strip()),
            forwarded_allow_ips=trusted.strip() or None,
            access_log=False,  # the API writes its own structured access line per request
            ws="none",  # no WebSocket routes: a worker does not import a WebSocket library
        )
    finally:
        startup.resume_collector(freeze=False)  # in case no lifespan ran (uvicorn failed to start)


def _settings(knowledge_base: list[Path] | None) -> Settings:
    """The service's settings, with the ``--knowledge-base`` folders given (if any) in the
    environment, where workers read them."""
    from api.settings import get_settings

    if knowledge_base:
        os.environ[EXTRA_KNOWLEDGE_BASES] = json.dumps([str(folder.resolve()) for folder in knowledge_base])
        get_settings.cache_clear()
    return get_settings()


memo_app = typer.Typer(no_args_is_help=True, add_completion=False, help="The memo each host keeps in its data folder.")


@memo_app.command("build")
def build_memo(knowledge_base: KnowledgeBaseOption = None) -> None:
    """Build the memo of every knowledge base served, before the service starts (once per release).

    The memo and every class's answer go in the data folder (PARTNERSHIP_DATA_DIR), where the
    workers that start afterwards load them: they answer every profile from memory from their
    first request. Without it the first worker starts a builder and answers by the engine until
    the memo is there (about a minute and a half here)."""
    from api import memo_keeper
    from recommender import RecommenderError

    settings = _settings(knowledge_base)
    try:
        built = memo_keeper.build_all([settings.rules_dir, *settings.extra_knowledge_bases], settings.data_dir)
    except (RecommenderError, RuntimeError, OSError) as exc:  # a broken knowledge base, a failed build, a folder
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    for memo in built:
        done = "was there already" if memo.already else f"built in {memo.seconds:.0f} s"
        typer.echo(f"the memo of {memo.version} {done}: {memo.path}")


def _fork_workers_from_here(app: str) -> None:
    """Import ``app`` in this process (the supervisor) and have uvicorn fork each worker from it,
    as gunicorn's ``--preload`` does, rather than start each in a new interpreter that imports
    everything again: a worker starts with every module imported (shared with the others, copy
    on write) and has only its own start-up left (the lifespan: knowledge bases loaded and
    compiled, the database opened, the memo kept), so a worker that replaces one that died answers
    in a fraction of a second. Nothing the lifespan makes (the engine, the database, the log's
    thread) exists before the fork. With a uvicorn whose supervisor cannot be told how to start
    workers, they start as it starts them."""
    import gc
    import importlib
    import multiprocessing

    from uvicorn import _subprocess

    if not hasattr(_subprocess, "spawn"):  # pragma: no cover - another uvicorn's supervisor
        return
    importlib.import_module(app.partition(":")[0])
    os.register_at_fork(after_in_child=_default_signal_handlers)
    gc.collect()
    gc.freeze()  # what the workers share is never written to by the collector's bookkeeping
    _subprocess.spawn = multiprocessing.get_context("fork")  # type: ignore[assignment]


def _default_signal_handlers() -> None:
    """In a worker just forked: the signal handlers a new interpreter has, not the supervisor's
    (which only note a signal for the supervisor's loop); the worker's server sets its own."""
    import signal

    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGTTIN", "SIGTTOU", "SIGUSR1", "SIGUSR2", "SIGWINCH"):
        if hasattr(signal, name):
            number = getattr(signal, name)
            signal.signal(number, signal.default_int_handler if number == signal.SIGINT else signal.SIG_DFL)


@functools.cache
def _the_cli() -> typer.Typer:
    """The library's commands (:mod:`recommender.cli`) with ``serve`` added."""
    from recommender.cli import app

    app.add_typer(serve_app, name="serve")
    app.add_typer(memo_app, name="memo")
    return app


if TYPE_CHECKING:
    app = _the_cli()
else:

    def __getattr__(name: str) -> object:
        """``app``: the whole command line, its command modules imported when it is first named."""
        if name == "app":
            return _the_cli()
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point. ``serve`` runs on its own group, with the same options, help and
    errors: a worker starting does not import the library's other commands (or build them)."""
    if sys.argv[1:2] == ["serve"]:
        serve_app(args=sys.argv[2:], prog_name=f"{Path(sys.argv[0]).name} serve")
    else:
        _the_cli()()
