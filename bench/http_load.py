"""HTTP load: the real server (``partnership-recommender serve``, 1 and 2 workers) under ``wrk``.

The server runs the bench app (``bench/floor_app.py``: the real app plus a constant-answer
route behind the same request validation), so the recommendation endpoint and its floor are
measured on one server, back to back. ``POST /v1/recommendations`` is loaded twice: with
repeat traffic (bodies cycling through 48 profiles, all answered from the recommender's cache
after the warm-up) and with distinct traffic (cycling through 4,096 profiles, more than the
cache holds, so every request evaluates). Each load runs in two halves, in the order floor,
repeat, distinct, distinct, repeat, floor, so that drift on a shared machine hits all alike.
Batch throughput (100 distinct profiles a request, never repeated within 4,000) is measured
on the same server.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.common import FLOOR_PATH, ROOT, arguments, emit, profile_bodies

CONNECTIONS = 32
WRK_THREADS = 2
BATCH_SIZE = 100
BATCHES = 40
REPEAT_PROFILES = 48
DISTINCT_PROFILES = 4096
BATCH_CONNECTIONS = 4
LUA = Path(__file__).with_name("post.lua")
RECOMMEND_PATH = "/v1/recommendations"
BATCH_PATH = "/v1/recommendations/batch"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def server(workers: int, *, bench_app: bool, log: Path) -> Iterator[str]:
    """``partnership-recommender serve`` on a free port, until the block ends."""
    port = _free_port()
    command = [sys.executable, "-m", "bench.serve"]
    command += ["--bench-app"] if bench_app else []
    command += ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process, log)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not become ready in 60 s")


def wrk(url: str, bodies: Path, *, seconds: int, connections: int) -> dict[str, Any]:
    command = ["wrk", f"-t{min(WRK_THREADS, connections)}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--timeout", "5s", "-s", str(LUA), url]
    done = subprocess.run(
        command, env={**os.environ, "BENCH_BODIES": str(bodies)}, capture_output=True, text=True, check=True
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-WRK "):
            result: dict[str, Any] = json.loads(line[len("BENCH-WRK ") :])
            return result
    raise RuntimeError(f"no summary from wrk:\n{done.stdout}\n{done.stderr}")


def _combine(halves: list[dict[str, Any]]) -> dict[str, float | int]:
    """Two halves of one measurement: throughput over both; p50 the mean, p99 the worse half."""
    requests = sum(h["requests"] for h in halves)
    seconds = sum(h["duration_us"] for h in halves) / 1e6
    errors = sum(h[k] for h in halves for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": requests,
        "seconds": seconds,
        "rps": requests / seconds,
        "p50_ms": sum(h["p50_us"] for h in halves) / len(halves) / 1000,
        "p99_ms": max(h["p99_us"] for h in halves) / 1000,
        "errors": errors,
    }


def _write_lines(path: Path, bodies: list[Any]) -> Path:
    path.write_text("\n".join(json.dumps(body) for body in bodies) + "\n")
    return path


def _write_bodies(directory: Path) -> dict[str, Path]:
    distinct = {json.dumps(body, sort_keys=True): body for body in profile_bodies(DISTINCT_PROFILES, seed=41)}
    portfolio = profile_bodies(BATCH_SIZE * BATCHES, seed=31)
    batches = [{"profiles": portfolio[i : i + BATCH_SIZE]} for i in range(0, len(portfolio), BATCH_SIZE)]
    return {
        "repeat": _write_lines(directory / "repeat.jsonl", profile_bodies(REPEAT_PROFILES)),
        "distinct": _write_lines(directory / "distinct.jsonl", list(distinct.values())),
        "batches": _write_lines(directory / "batches.jsonl", batches),
    }


def _measure(base: str, bodies: dict[str, Path], seconds: int, warm_up: int, quick: bool) -> dict[str, Any]:
    targets = {
        "floor": (base + FLOOR_PATH, bodies["repeat"]),
        "repeat": (base + RECOMMEND_PATH, bodies["repeat"]),
        "distinct": (base + RECOMMEND_PATH, bodies["distinct"]),
    }
    for url, lines in targets.values():
        wrk(url, lines, seconds=warm_up, connections=CONNECTIONS)
    halves: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
    # Mirrored halves cancel a linear drift; a quick run only wants a smoke figure.
    order = ("floor", "repeat", "distinct") if quick else ("floor", "repeat", "distinct", "distinct", "repeat", "floor")
    for name in order:
        url, lines = targets[name]
        halves[name].append(wrk(url, lines, seconds=seconds if quick else seconds // 2, connections=CONNECTIONS))
    batch = wrk(
        base + BATCH_PATH, bodies["batches"], seconds=2 if quick else seconds // 2, connections=BATCH_CONNECTIONS
    )
    row: dict[str, Any] = {name: _combine(parts) for name, parts in halves.items()}
    row["batch"] = {
        **_combine([batch]),
        "profiles_per_second": batch["requests"] * BATCH_SIZE / (batch["duration_us"] / 1e6),
    }
    return row


def run(seconds: int, warm_up: int, quick: bool) -> dict[str, Any]:
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (Debian: apt-get install wrk)"}
    results: dict[str, Any] = {"connections": CONNECTIONS, "seconds_per_endpoint": seconds, "runs": []}
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        bodies = _write_bodies(Path(tmp))
        log = Path(tmp) / "server.log"
        for workers in (1, 2):
            with server(workers, bench_app=True, log=log) as base:
                row = {"workers": workers, **_measure(base, bodies, seconds, warm_up, quick)}
            if not quick:  # the unmodified api.app:app, to show the bench app costs nothing extra
                with server(workers, bench_app=False, log=log) as base:
                    wrk(base + RECOMMEND_PATH, bodies["repeat"], seconds=warm_up, connections=CONNECTIONS)
                    row["repeat_api_app"] = _combine(
                        [wrk(base + RECOMMEND_PATH, bodies["repeat"], seconds=seconds, connections=CONNECTIONS)]
                    )
            results["runs"].append(row)
    return results


def main() -> None:
    if arguments(__doc__).quick:
        emit({"http": run(seconds=1, warm_up=1, quick=True)})
    else:
        emit({"http": run(seconds=20, warm_up=2, quick=False)})


if __name__ == "__main__":
    main()
