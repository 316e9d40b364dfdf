"""A worker's start with the garbage collector paused: ``serve`` pauses it before the app is
imported (one worker, in its own process), the lifespan resumes it once every knowledge base and
the database are ready.

Starting a worker allocates a million objects that live as long as it does (modules, classes,
the knowledge bases, the compiled rules) and leaves almost no garbage; the collector's passes
over them while they are made are a tenth of the start. Once the start is over they are frozen
(``gc.freeze``: never scanned again) and collection resumes as usual.
"""

from __future__ import annotations

import gc


class _State:
    paused = False


def pause_collector() -> None:
    """Pause the garbage collector until :func:`resume_collector` (only if it is running)."""
    if gc.isenabled():
        gc.disable()
        _State.paused = True


def resume_collector(*, freeze: bool = True) -> None:
    """Resume collecting, if :func:`pause_collector` paused it; ``freeze``: first freeze what the start made."""
    if _State.paused:
        _State.paused = False
        if freeze:
            gc.freeze()
        gc.enable()
