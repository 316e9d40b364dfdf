"""Cold start: import, load and validate the knowledge base, compile it into durable_rules, first answer;
and a real worker (``partnership-recommender serve``: uvicorn on ``api.app:app``), from its process
starting to its first answer over HTTP.

durable_rules registers a ruleset name once per process, so every sample is a fresh process:
the parent starts ``--child`` runs one after another and takes the median of each phase. The
worker is started the same way (one at a time) on a partnerships database already migrated, as
a worker that restarts finds it, and asked ``POST /v1/recommendations`` every few milliseconds
until it answers; ``worker_first_answer_ms`` is from starting the process to that answer.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: How long the parent waits between two tries while the worker starts.
POLL_S = 0.005


def child() -> None:
    started = time.perf_counter()
    from recommender import load_knowledge_base, recommend
    from recommender.engine.durable_adapter import DurableEvaluator
    from recommender.service import Recommender

    t0 = time.perf_counter()
    from bench.common import emit, profiles

    probe = profiles(1)[0]
    t0_kb = time.perf_counter()
    kb = load_knowledge_base()
    t1 = time.perf_counter()
    recommender = Recommender(kb, DurableEvaluator(kb))
    t2 = time.perf_counter()
    recommend(probe, recommender=recommender)
    t3 = time.perf_counter()
    emit(
        {
            "import_ms": (t0 - started) * 1000,
            "load_validate_ms": (t1 - t0_kb) * 1000,
            "compile_ms": (t2 - t1) * 1000,
            "kb_ready_ms": (t2 - t0_kb) * 1000,
            "first_answer_ms": (t3 - t2) * 1000,
        }
    )


# The parent's modules are imported where it uses them: a child imports only what it did before the
# worker was measured too (another import here shifts when the child's garbage collections fall).


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _first_answer(port: int, body: bytes, worker: subprocess.Popen[bytes]) -> None:
    """Return once the worker on ``port`` answers ``body`` with 200; raise if it exits first."""
    import http.client

    while True:
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited with {worker.returncode} before answering")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("POST", "/v1/recommendations", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
        except ConnectionError:
            time.sleep(POLL_S)
            continue
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"the worker answered {response.status}")
        return


def worker_start(data_dir: Path) -> float:
    """Milliseconds from starting ``partnership-recommender serve`` (one worker) to its first answer."""
    import json
    import os

    from bench.common import profile_bodies

    body = json.dumps(profile_bodies(1)[0]).encode()
    port = _free_port()
    env = {**os.environ, "PARTNERSHIP_DATA_DIR": str(data_dir)}
    env.pop("PARTNERSHIP_DATABASE_URL", None)
    # `partnership-recommender serve`, run as its console script runs it (one worker: in this process).
    command = [sys.executable, "-c", "from api.cli import main; main()", "serve", "--port", str(port), "--workers", "1"]
    started = time.perf_counter()
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _first_answer(port, body, worker)
        return (time.perf_counter() - started) * 1000
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def run(samples: int) -> dict[str, float | int]:
    import tempfile

    from bench.common import parse_result
    from recommender.partnerships import database

    runs = []
    with tempfile.TemporaryDirectory(prefix="coldstart-") as data:
        database.open_database(database.database_url(None, Path(data))).dispose()  # made and migrated once
        for _ in range(samples):
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "bench.coldstart", "--child"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            wall = (time.perf_counter() - started) * 1000
            runs.append(
                {
                    **parse_result(done.stdout),
                    "process_wall_ms": wall,
                    "worker_first_answer_ms": worker_start(Path(data)),
                }
            )
    summary: dict[str, float | int] = {"samples": samples}
    for key in runs[0]:
        summary[key] = statistics.median(run[key] for run in runs)
    return summary


def main() -> None:
    if "--child" in sys.argv[1:]:
        child()
        return
    from bench.common import arguments, emit

    emit({"cold_start": run(samples=2 if arguments(__doc__).quick else 9)})


if __name__ == "__main__":
    main()
