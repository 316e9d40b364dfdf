"""Cold start: import, load and validate the knowledge base, compile it into durable_rules, first answer;
and a real worker (``partnership-recommender serve``: uvicorn on ``api.app:app``), from its process
starting to its first answer over HTTP.

durable_rules registers a ruleset name once per process, so every sample is a fresh process:
the parent starts ``--child`` runs one after another and takes the median of each phase. The
worker is started the same way (one at a time) on a partnerships database already migrated, as
a worker that restarts finds it, and asked ``POST /v1/recommendations`` every few milliseconds
until it answers; ``worker_first_answer_ms`` is from starting the process to that answer, with
the memo kept on disk (``api/memo_keeper.py``: built first by one worker's builder), which the
worker loads in a thread as it starts; ``worker_first_start_first_answer_ms`` the same with no
memo on disk (the worker starts the builder, stopped with it); ``worker_replaced_ready_ms``, with
two workers, from the start of the worker that replaces one killed to its start-up complete
(the workers are forked from the server's process, which imported the app: ``api/cli.py``);
``start_floor_first_answer_ms``, the same for the smallest FastAPI service of the same stack
(``bench/start_floor.py``), process start to first answer.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def _worker(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    import os

    env = {**os.environ, "PARTNERSHIP_DATA_DIR": str(data_dir), "PARTNERSHIP_KEEP_MEMO": "1"}
    env.pop("PARTNERSHIP_DATABASE_URL", None)
    # `partnership-recommender serve`, run as its console script runs it (one worker: in this process).
    command = [sys.executable, "-c", "from api.cli import main; main()", "serve", "--port", str(port), "--workers", "1"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _start_floor(port: int) -> subprocess.Popen[bytes]:
    """The start-up floor (``bench/start_floor.py``) under uvicorn, as ``serve`` runs uvicorn."""
    command = [sys.executable, "-m", "uvicorn", "bench.start_floor:app", "--port", str(port)]
    command += ["--no-access-log", "--ws", "none", "--log-level", "warning"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def worker_start(data_dir: Path) -> float:
    """Milliseconds from starting ``partnership-recommender serve`` (one worker) to its first answer."""
    return _to_first_answer(lambda port: _worker(data_dir, port))


def floor_start() -> float:
    """The same for the start-up floor (:func:`_start_floor`)."""
    return _to_first_answer(_start_floor)


def _to_first_answer(launch: Callable[[int], subprocess.Popen[bytes]]) -> float:
    """Milliseconds from ``launch(port)`` to the first answer of the server it starts there."""
    import json

    from bench.common import profile_bodies

    body = json.dumps(profile_bodies(1)[0]).encode()
    port = _free_port()
    started = time.perf_counter()
    worker = launch(port)
    try:
        _first_answer(port, body, worker)
        return (time.perf_counter() - started) * 1000
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _children(pid: int) -> set[int]:
    """The worker processes of the server ``pid`` (its children but a memo builder)."""
    found = set()
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:  # it ended since it was listed
            continue
        if b"memo_keeper" not in command:
            found.add(int(child))
    return found


def _started_s(pid: int) -> float:
    """When process ``pid`` started, in seconds since boot (to the clock tick)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[19]) / os.sysconf("SC_CLK_TCK")


def worker_replaced(data_dir: Path) -> float:
    """Milliseconds from the start of the worker that replaces one killed (``serve --workers 2``,
    ``kill -9`` of one worker) to its start-up complete: what the worker does before it takes
    requests, timed from its process's start (to the clock tick) by the line it logs."""
    import json
    import os
    import signal

    from bench.common import profile_bodies

    body = json.dumps(profile_bodies(1)[0]).encode()
    port = _free_port()
    env = {**os.environ, "PARTNERSHIP_DATA_DIR": str(data_dir), "PARTNERSHIP_KEEP_MEMO": "1"}
    env.pop("PARTNERSHIP_DATABASE_URL", None)
    command = [sys.executable, "-c", "from api.cli import main; main()", "serve", "--port", str(port), "--workers", "2"]
    log = data_dir / "replaced.log"
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def started_workers() -> int:
        return log.read_bytes().count(b"Application startup complete.")

    def wait_for(condition: Any) -> Any:
        deadline = time.monotonic() + 60
        while not (found := condition()):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not get there:\n{log.read_text()[-2000:]}")
            time.sleep(POLL_S)
        return found

    try:
        _first_answer(port, body, server)
        wait_for(lambda: started_workers() == 2)
        workers = wait_for(lambda: len(_children(server.pid)) == 2 and _children(server.pid))
        os.kill(min(workers), signal.SIGKILL)
        new = wait_for(lambda: _children(server.pid) - workers)
        started = _started_s(new.pop())
        wait_for(lambda: started_workers() == 3)
        ready = time.clock_gettime(time.CLOCK_BOOTTIME)
        _first_answer(port, body, server)  # and the server answers
        return (ready - started) * 1000
    finally:
        server.terminate()
        server.wait(timeout=30)


def _keep_memo(data_dir: Path) -> Path:
    """Start a worker on ``data_dir`` until the builder it starts has kept the memo there; its file."""
    worker = _worker(data_dir, _free_port())
    try:
        deadline = time.monotonic() + 1800
        while not (found := list((data_dir / "memo").glob("*.json"))):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the worker did not keep a memo")
            time.sleep(0.5)
        return found[0]
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def run(samples: int) -> dict[str, float | int]:
    import shutil
    import tempfile

    from bench.common import parse_result
    from recommender.partnerships import database

    runs = []
    with tempfile.TemporaryDirectory(prefix="coldstart-") as data:
        database.open_database(database.database_url(None, Path(data))).dispose()  # made and migrated once
        kept = _keep_memo(Path(data))
        saved = Path(data) / "memo.saved"
        shutil.copyfile(kept, saved)
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
            kept.unlink(missing_ok=True)  # a worker's first start: it starts the builder (stopped with it)
            first = worker_start(Path(data))
            shutil.copyfile(saved, kept)  # a worker started again: it loads the memo kept
            again = worker_start(Path(data))
            replaced = worker_replaced(Path(data))
            floor = floor_start()
            runs.append(
                {
                    **parse_result(done.stdout),
                    "process_wall_ms": wall,
                    "worker_first_answer_ms": again,
                    "worker_first_start_first_answer_ms": first,
                    "worker_replaced_ready_ms": replaced,
                    "start_floor_first_answer_ms": floor,
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
