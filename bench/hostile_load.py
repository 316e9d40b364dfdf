"""Abuse by unknown keys (issue 14): other clients' latency while two clients send 1 MiB bodies.

Starts the real server (``partnership-recommender serve``, one worker), then measures one normal
client posting valid profiles one after another: first alone, then while two abusive clients
repeat a 1 MiB body of about 96,000 unknown keys as fast as they are answered. Prints the
abusive answer's size and time and the normal client's median and 90th percentile latency.

    python bench/hostile_load.py             # 10 s alone, 20 s under abuse
    python bench/hostile_load.py --seconds 5
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python bench/hostile_load.py` as well as `python -m bench.hostile_load`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, profile_bodies
from bench.http_load import server

MIB = 1024 * 1024
PATH = "/v1/recommendations"
HEADERS = {"content-type": "application/json"}


def unknown_keys_body() -> bytes:
    """Just under 1 MiB: a valid profile and about 96,000 unknown keys."""
    data: dict[str, Any] = dict(profile_bodies(1)[0])
    count = (MIB - len(json.dumps(data)) - 16) // len('"k000000":0,')
    data |= {f"k{i:06d}": 0 for i in range(count)}
    return json.dumps(data, separators=(",", ":")).encode()


def _connection(base: str) -> http.client.HTTPConnection:
    host, port = base.removeprefix("http://").split(":")
    return http.client.HTTPConnection(host, int(port), timeout=60)


def post(conn: http.client.HTTPConnection, body: bytes) -> tuple[int, int, float]:
    """``(status, answer bytes, seconds)`` of one POST on a kept-alive connection."""
    started = time.perf_counter()
    conn.request("POST", PATH, body=body, headers=HEADERS)
    answer = conn.getresponse()
    size = len(answer.read())
    return answer.status, size, time.perf_counter() - started


def normal_client(base: str, seconds: float) -> list[float]:
    """Latencies of valid profiles posted back to back for ``seconds``."""
    bodies = [json.dumps(body).encode() for body in profile_bodies(48)]
    latencies: list[float] = []
    conn, deadline = _connection(base), time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, _, elapsed = post(conn, bodies[len(latencies) % len(bodies)])
        assert status == 200, status
        latencies.append(elapsed)
    conn.close()
    return latencies


def abusive_client(base: str, body: bytes, stop: threading.Event, seen: list[tuple[int, int, float]]) -> None:
    conn = _connection(base)
    while not stop.is_set():
        seen.append(post(conn, body))
    conn.close()


def measure(base: str, seconds: float) -> dict[str, Any]:
    body = unknown_keys_body()
    status, size, elapsed = post(_connection(base), body)
    normal_client(base, 2)  # warm-up
    alone = normal_client(base, seconds)
    stop = threading.Event()
    seen: list[tuple[int, int, float]] = []
    abusers = [threading.Thread(target=abusive_client, args=(base, body, stop, seen)) for _ in range(2)]
    for thread in abusers:
        thread.start()
    time.sleep(0.5)
    try:
        under_abuse = normal_client(base, 2 * seconds)
    finally:
        stop.set()
        for thread in abusers:
            thread.join()
    return {
        "abusive_body_bytes": len(body),
        "abusive_status": status,
        "abusive_answer_bytes": size,
        "abusive_first_seconds": round(elapsed, 3),
        "abusive_requests": len(seen),
        "abusive_median_seconds": round(percentile([s for _, _, s in seen], 0.5), 3),
        "normal_alone_requests": len(alone),
        "normal_alone_median_ms": round(percentile(alone, 0.5) * 1000, 1),
        "normal_alone_p90_ms": round(percentile(alone, 0.9) * 1000, 1),
        "normal_under_abuse_requests": len(under_abuse),
        "normal_under_abuse_median_ms": round(percentile(under_abuse, 0.5) * 1000, 1),
        "normal_under_abuse_p90_ms": round(percentile(under_abuse, 0.9) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="the normal client alone (twice this under abuse)")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as scratch,
        server(1, bench_app=False, log=Path(scratch) / "server.log", data_dir=Path(scratch) / "data") as base,
    ):
        result = measure(base, args.seconds)
    for key, value in result.items():
        print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
