"""HTTP load: the real server (``partnership-recommender serve``) under ``wrk``, beside two floors.

* The *bare floor* (``bench/bare_floor.py``): a plain Starlette app that only validates the
  profile with pydantic and answers a constant, pre-serialised recommendation of the same size,
  under the same uvicorn settings, one worker: what a user needing only the bytes would run.
* The *app floor* (``bench/floor_app.py``): the real app plus ``POST /bench/floor``, which
  validates the body as ``POST /v1/recommendations`` does and returns a constant.

With one worker each, wrk (2 threads, 32 connections) loads in mirrored slices (bare floor, app
floor, repeat, distinct, distinct, repeat, app floor, bare floor, five times: ten slices of each)
so drift hits all alike, and each row is compared with its floor pass by pass:
*repeat* traffic cycles through 48 profiles; *distinct* traffic (``bench/distinct.lua``) makes
every request a new project, its own title and every field at random. Distinct traffic is
measured three times: on a worker's first start ever (no memo on disk: its memo fills as the run
goes, while the builder it started, ``api/memo_keeper.py``, evaluates the whole space at the
lowest priority); then, interleaved with one bare floor, on a worker started again on that
data folder once the memo is built (it loads the memo and the answers the builder wrote as it
starts; ``GET /bench/memory`` after its row tells its memory) and on a worker whose memo holds
the whole space and that has answered every class once (``POST /bench/warm`` first, which also
reports the worker's memory before and after). Then the mixed load (``bench/mixed_load.py``):
two workers, 32 connections, a tenth of the requests batches of 100 or what-ifs, the latency of
each kind on its own.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench import mixed_load
from bench.common import FLOOR_PATH, MEMORY_PATH, ROOT, WARM_PATH, arguments, emit, profile_bodies

CONNECTIONS = 32
WRK_THREADS = 2
REPEAT_PROFILES = 48
LUA = Path(__file__).with_name("post.lua")
DISTINCT_LUA = Path(__file__).with_name("distinct.lua")
RECOMMEND_PATH = "/v1/recommendations"
BATCH_PATH = "/v1/recommendations/batch"
MIXED_CONNECTIONS = 32


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def server(
    workers: int,
    *,
    bench_app: bool,
    log: Path,
    data_dir: Path,
    bare: bool = False,
    memo: Path | None = None,
    keep_memo: bool = True,
) -> Iterator[str]:
    """``partnership-recommender serve`` on a free port, until the block ends (``bare``: the bare
    floor under uvicorn with the same settings, readiness probed on its one route; ``memo``: a
    memo file the bench app's workers load as they start; ``data_dir``: its data folder, where
    it keeps its memo unless ``keep_memo`` is off)."""
    port = _free_port()
    command = [sys.executable, "-m", "bench.serve"]
    command += ["--bare"] if bare else ["--bench-app"] if bench_app else []
    command += ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with log.open("ab") as out:
        env = {
            **os.environ,
            "PARTNERSHIP_DATA_DIR": str(data_dir),
            "PARTNERSHIP_KEEP_MEMO": "1" if keep_memo else "0",
            **({"BENCH_MEMO": str(memo)} if memo else {}),
        }
        env.pop("PARTNERSHIP_DATABASE_URL", None)
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
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


def _memo_built(data_dir: Path, started: float) -> float:
    """Wait for the memo file the first worker on ``data_dir`` has built; seconds since ``started``."""
    deadline = time.monotonic() + 1800
    while not list((data_dir / "memo").glob("*.json")):
        if time.monotonic() > deadline:
            raise RuntimeError(f"no memo built in {data_dir} in 30 minutes")
        time.sleep(0.5)
    return time.monotonic() - started


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code == 404:  # the bare floor has no /readyz: it answers, so it is up
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not become ready in 60 s")


def wrk(url: str, bodies: Path | None, *, seconds: int, connections: int) -> dict[str, Any]:
    """wrk on ``url``: cycling through ``bodies`` (one a line), or distinct traffic when ``None``."""
    command = ["wrk", f"-t{min(WRK_THREADS, connections)}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--timeout", "5s", "-s", str(LUA if bodies else DISTINCT_LUA), url]
    env = {**os.environ, "BENCH_BODIES": str(bodies), "BENCH_LUA_DIR": str(LUA.parent)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-WRK "):
            result: dict[str, Any] = json.loads(line[len("BENCH-WRK ") :])
            return result
    raise RuntimeError(f"no summary from wrk:\n{done.stdout}\n{done.stderr}")


def _combine(slices: list[dict[str, Any]], passes: int) -> dict[str, Any]:
    """The slices of one measurement (of the set of passes ``passes``): throughput over all and
    each slice's; p50 and p99 of all their requests together (:func:`_percentile_of_all`), the
    worst slice's p99 beside them."""
    requests = sum(h["requests"] for h in slices)
    seconds = sum(h["duration_us"] for h in slices) / 1e6
    errors = sum(h[k] for h in slices for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": requests,
        "seconds": seconds,
        "rps": requests / seconds,
        "passes": passes,
        "slices_rps": [h["requests"] / (h["duration_us"] / 1e6) for h in slices],
        "p50_ms": _percentile_of_all(slices, 50) / 1000,
        "p99_ms": _percentile_of_all(slices, 99) / 1000,
        "p99_worst_slice_ms": max(h["p99_us"] for h in slices) / 1000,
        "max_ms": max(h["max_us"] for h in slices) / 1000,
        "errors": errors,
    }


def _percentile_of_all(slices: list[dict[str, Any]], percentile: float) -> float:
    """The latency (µs) at ``percentile`` of all the slices' requests together: each slice's
    distribution is known at the percentiles ``bench/summary.lua`` prints (linear between them),
    each weighs its number of requests, and the mixture's distribution is inverted."""
    total = sum(h["requests"] for h in slices)

    def below(x: float) -> float:  # the share of all requests at most x µs
        share = 0.0
        for h in slices:
            points = h["percentiles_us"]
            if x >= points[-1][1]:
                fraction = 1.0
            elif x < points[0][1]:
                fraction = 0.0
            else:
                fraction = next(
                    (p0 + (p1 - p0) * (x - v0) / (v1 - v0)) / 100 if v1 > v0 else p1 / 100
                    for (p0, v0), (p1, v1) in itertools.pairwise(points)
                    if v0 <= x < v1 or (v0 == v1 == x)
                )
            share += fraction * h["requests"] / total
        return share

    low = float(min(h["percentiles_us"][0][1] for h in slices))
    high = float(max(h["percentiles_us"][-1][1] for h in slices))
    for _ in range(60):  # bisection to well under a microsecond
        middle = (low + high) / 2
        if below(middle) >= percentile / 100:
            high = middle
        else:
            low = middle
    return high


def paired_ratio(contender: dict[str, Any], floor: dict[str, Any]) -> float | None:
    """The median, over the passes of one :func:`_mirrored` run, of the contender's requests/s
    over the floor's in the same pass (slices seconds apart): the machine's drift within the
    run, which moves both alike, cancels in each pass's ratio (the ratio of the totals is the
    throughput columns' own). ``None`` for two measurements of different runs."""
    if contender["passes"] != floor["passes"]:
        return None
    return float(statistics.median(a / b for a, b in zip(contender["slices_rps"], floor["slices_rps"], strict=True)))


def _write_lines(path: Path, bodies: list[Any]) -> Path:
    path.write_text("\n".join(json.dumps(body) for body in bodies) + "\n")
    return path


def _write_bodies(directory: Path) -> dict[str, Path]:
    return {"repeat": _write_lines(directory / "repeat.jsonl", profile_bodies(REPEAT_PROFILES))}


#: How many times a full run goes through its targets there and back (each a slice of the time).
ROUNDS = 5
_RUNS = itertools.count()


def _mirrored(targets: dict[str, tuple[str, Path | None]], seconds: int, quick: bool) -> dict[str, Any]:
    """Each target for ``seconds`` in all, in ``2 * ROUNDS`` slices, the targets in mirrored
    order, round after round (A B B A A B ...), so that the machine's drift falls on all alike
    (one slice each in a quick run). Slice ``i`` of every target falls in pass ``i`` through the
    targets: the report compares them pass by pass (:func:`paired_ratio`), within one run only
    (each run's measurements carry the run's number, ``passes``)."""
    passes = next(_RUNS)
    names = list(targets)
    order = names if quick else (names + names[::-1]) * ROUNDS
    slices: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    each = seconds if quick else max(1, seconds // (2 * ROUNDS))
    for name in order:
        url, lines = targets[name]
        slices[name].append(wrk(url, lines, seconds=each, connections=CONNECTIONS))
    return {name: _combine(parts, passes) for name, parts in slices.items()}


def _one_worker(bodies: dict[str, Path], tmp: Path, seconds: int, warm_up: int, quick: bool) -> dict[str, Any]:
    log, kept = tmp / "server.log", tmp / "kept"
    started = time.monotonic()
    # A worker's first start ever: no memo on disk yet; it starts the builder and fills its memo as it goes.
    with (
        server(1, bench_app=False, bare=True, log=log, data_dir=tmp / "bare") as bare,
        server(1, bench_app=True, log=log, data_dir=kept) as base,
    ):
        targets: dict[str, tuple[str, Path | None]] = {
            "bare_floor": (bare + RECOMMEND_PATH, None),
            "floor": (base + FLOOR_PATH, bodies["repeat"]),
            "repeat": (base + RECOMMEND_PATH, bodies["repeat"]),
            "distinct": (base + RECOMMEND_PATH, None),
        }
        for name in ("bare_floor", "floor", "repeat"):  # the distinct run starts on a fresh memo
            url, lines = targets[name]
            wrk(url, lines, seconds=warm_up, connections=CONNECTIONS)
        row = _mirrored(targets, seconds, quick)
        built_after = _memo_built(kept, started)  # the worker up until its builder is done
    # Beside one bare floor, interleaved: a worker with the whole space memoised and every class
    # answered once (nothing kept on disk; its memory before and after), and a worker started again
    # on the first start's data folder (it loads the memo and the answers its builder wrote there).
    with (
        server(1, bench_app=False, bare=True, log=log, data_dir=tmp / "bare") as bare,
        server(1, bench_app=True, log=log, data_dir=tmp / "warm", keep_memo=False) as warmed,
    ):
        query = urllib.parse.urlencode({"save": str(tmp / "memo.json"), **({"limit": 2000} if quick else {})})
        warm_url = f"{warmed}{WARM_PATH}?{query}"  # a quick run warms a part
        with urllib.request.urlopen(urllib.request.Request(warm_url, method="POST"), timeout=3600) as answer:
            memo = json.load(answer)
        with server(1, bench_app=True, log=log, data_dir=kept) as restarted_base:
            measured = _mirrored(
                {
                    "bare_floor_again": (bare + RECOMMEND_PATH, None),
                    "distinct_restarted": (restarted_base + RECOMMEND_PATH, None),
                    "distinct_warm": (warmed + RECOMMEND_PATH, None),
                },
                seconds,
                quick,
            )
            with urllib.request.urlopen(restarted_base + MEMORY_PATH, timeout=60) as answer:
                restarted_memory = json.load(answer)
    return {
        "workers": 1,
        **row,
        **measured,
        "memo": memo,
        "memo_built_after_s": built_after,
        "restarted_memory": restarted_memory,
    }


def run(seconds: int, warm_up: int, quick: bool) -> dict[str, Any]:
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (Debian: apt-get install wrk)"}
    results: dict[str, Any] = {
        "connections": CONNECTIONS,
        "seconds_per_endpoint": seconds,
    }
    with tempfile.TemporaryDirectory(prefix="bench-http-") as directory:
        tmp = Path(directory)
        bodies = _write_bodies(tmp)
        log = tmp / "server.log"
        results["one_worker"] = _one_worker(bodies, tmp, seconds, warm_up, quick)
        # Two workers' first start: each memo fills as the run goes (one builder for both meanwhile).
        with server(2, bench_app=True, log=log, data_dir=tmp / "mixed") as base:
            results["mixed"] = {"workers": 2, **mixed_load.run(base, seconds=seconds, connections=MIXED_CONNECTIONS)}
        # Two workers started again (the memo kept on disk), each class's answer written once.
        with server(2, bench_app=True, log=log, data_dir=tmp / "kept", memo=tmp / "memo.json") as base:
            results["mixed_warm"] = {
                "workers": 2,
                **mixed_load.run(base, seconds=seconds, connections=MIXED_CONNECTIONS),
            }
    return results


def main() -> None:
    if arguments(__doc__).quick:
        emit({"http": run(seconds=2, warm_up=1, quick=True)})
    else:
        emit({"http": run(seconds=20, warm_up=2, quick=False)})


if __name__ == "__main__":
    main()
