"""Mixed load: single recommendations while batches and what-if analyses run on the same server.

An asyncio client (wrk reports one latency distribution for all requests; this needs one per
kind) keeps ``connections`` keep-alive connections busy for ``seconds``. One request in
``HEAVY_EVERY`` is heavy, alternately a batch of 100 profiles and a what-if; the others are
single recommendations. Every profile is new: its own title and random fields (the whole
domain, the timeline from 1 to 120). Each request's latency is measured from writing it to
reading the whole answer, per kind.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from typing import Any

from bench.common import percentile

HEAVY_EVERY = 10
BATCH_SIZE = 100
_DOMAIN: dict[str, tuple[Any, ...]] = {
    "project_type": ("evidence_review", "data_analysis", "evaluation", "implementation", "intervention"),
    "funding": ("agency_commissioned", "agency_funded_proposal", "external_grant", "co_funded", "unfunded"),
    "relationship": ("none", "prior_project", "long_term"),
    "staff_stability": ("low", "moderate", "high"),
    "agency_evidence_need": ("none", "general", "specific"),
    "proposed_initiation": (None, "agency", "researcher", "co_produced"),
    "uses_agency_data": (False, True),
    "politically_sensitive": (False, True),
    "in_kind_contribution": (False, True),
    "standing_partnership": (False, True),
}


def random_profile(rng: random.Random, number: int) -> dict[str, Any]:
    """A new project: its own title, every field at random."""
    profile = {name: rng.choice(values) for name, values in _DOMAIN.items()}
    profile = {name: value for name, value in profile.items() if value is not None}
    return {"title": f"Mixed-load project {number}", "timeline_months": rng.randint(1, 120), **profile}


#: Requests written before the clock starts (the client's own work must not slow the server it
#: shares the machine with); past them, the next requests are made as they are sent.
PREPARED = 12_000


class _Client:
    def __init__(self, host: str, port: int, seed: int) -> None:
        self.host, self.port = host, port
        self.rng = random.Random(seed)
        self.numbers = itertools.count()
        self.latencies: dict[str, list[float]] = {"single": [], "batch": [], "what_if": []}
        self.errors = 0
        self.prepared = [self._make(number) for number in range(PREPARED)]
        self.numbers = itertools.count(PREPARED)
        self.sent = 0

    def _make(self, number: int) -> tuple[str, str, bytes]:
        if number % HEAVY_EVERY == HEAVY_EVERY - 1:
            if (number // HEAVY_EVERY) % 2:
                profiles = [random_profile(self.rng, number * 1000 + i) for i in range(BATCH_SIZE)]
                kind, path, body = "batch", "/v1/recommendations/batch", json.dumps({"profiles": profiles}).encode()
            else:
                kind, path, body = "what_if", "/v1/what-if", json.dumps(random_profile(self.rng, number)).encode()
        else:
            kind, path, body = "single", "/v1/recommendations", json.dumps(random_profile(self.rng, number)).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        return kind, path, head + body

    def _request(self) -> tuple[str, str, bytes]:
        self.sent += 1
        if self.sent <= len(self.prepared):
            return self.prepared[self.sent - 1]
        return self._make(next(self.numbers))

    async def connection(self, deadline: float) -> None:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            while time.monotonic() < deadline:
                kind, _, request = self._request()
                started = time.perf_counter()
                writer.write(request)
                status, length = await _read_head(reader)
                await reader.readexactly(length)
                self.latencies[kind].append((time.perf_counter() - started) * 1000)
                self.errors += status != 200
        finally:
            writer.close()


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, int]:
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            return status, length
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)


def run(base: str, *, seconds: float, connections: int) -> dict[str, Any]:
    """The latencies of each kind of request (ms: p50, p99, max) and the counts."""
    host, port = base.removeprefix("http://").split(":")
    client = _Client(host, int(port), seed=11)
    deadline = time.monotonic() + seconds

    async def everyone() -> None:
        await asyncio.gather(*(client.connection(deadline) for _ in range(connections)))

    started = time.perf_counter()
    asyncio.run(everyone())
    elapsed = time.perf_counter() - started
    result: dict[str, Any] = {"connections": connections, "seconds": elapsed, "errors": client.errors}
    for kind, values in client.latencies.items():
        result[kind] = {
            "requests": len(values),
            "p50_ms": percentile(values, 0.5) if values else None,
            "p99_ms": percentile(values, 0.99) if values else None,
            "max_ms": max(values, default=None),
        }
    result["requests_per_second"] = sum(len(v) for v in client.latencies.values()) / elapsed
    return result
