"""The benchmark results as Markdown tables, with each target marked met or missed."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.http_load import paired_ratio

# The targets of issues 7 and 11; printed beside the figures, never asserted.
MAX_RECOMMEND_VS_BARE = 1.3
MIN_HTTP_VS_FLOOR = 0.85
MAX_P99_MS = 50.0
MAX_MIXED_P99_MS = 100.0
MAX_MIXED_MS = 1000.0
MAX_COLD_START_MS = 1000.0
MAX_RSS_GROWTH_MIB = 5.0


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _table(title: str, columns: str, align: str) -> list[str]:
    """A section heading and a table head: ``columns`` and ``align`` (l or r per column) as strings."""
    rule = "|".join("---" if a == "l" else "--:" for a in align)
    return [f"### {title}", "", f"| {columns} |", f"|{rule}|"]


def _latency(data: dict[str, Any]) -> list[str]:
    title = f"Library latency ({data['profiles']} profiles x {data['rounds']} rounds, interleaved)"
    lines = _table(title, "contender | median us | p99 us | median vs bare durable", "lrrr")
    for row in data["rows"]:
        lines.append(f"| {row['name']} | {row['median_us']:.0f} | {row['p99_us']:.0f} | {row['vs_bare']:.2f}x |")
    lines.append("")
    lines.append(f"The two engines disagreed on {data['engine_disagreements']} of {data['profiles']} profiles.")
    return lines


def _cold(data: dict[str, Any]) -> list[str]:
    return [
        *_table(f"Cold start (fresh process each, median of {data['samples']})", "phase | ms", "lr"),
        f"| import the library | {data['import_ms']:.0f} |",
        f"| load and validate the knowledge base | {data['load_validate_ms']:.0f} |",
        f"| compile into durable_rules | {data['compile_ms']:.1f} |",
        f"| first answer | {data['first_answer_ms']:.1f} |",
        f"| whole process, start to exit | {data['process_wall_ms']:.0f} |",
        f"| a worker (`serve`, one process) started again (memo kept on disk), start to first answer over HTTP "
        f"| {data['worker_first_answer_ms']:.0f} |",
        f"| a worker's first start (no memo on disk: it starts the builder), start to first answer over HTTP "
        f"| {data.get('worker_first_start_first_answer_ms', float('nan')):.0f} |",
        f"| a worker forked by `serve --workers 2` to replace one killed, its process start to start-up "
        f"complete | {data.get('worker_replaced_ready_ms', float('nan')):.0f} |",
        f"| start-up floor: a FastAPI app of one route (its own pydantic model, a constant answer) under "
        f"uvicorn, start to first answer over HTTP | {data.get('start_floor_first_answer_ms', float('nan')):.0f} |",
    ]


_HTTP_ROWS = (
    ("bare_floor", "bare floor: Starlette, pydantic, constant bytes (distinct traffic)"),
    ("floor", "routed floor: FastAPI routing, dependencies, middleware, constant answer"),
    ("repeat", "POST /v1/recommendations, repeat traffic (48 profiles)"),
    (
        "distinct",
        "POST /v1/recommendations, distinct traffic, worker's first start without `memo build` (no memo on disk yet)",
    ),
    ("bare_floor_again", "bare floor again, interleaved with the next two rows"),
    (
        "distinct_restarted",
        "POST /v1/recommendations, distinct traffic, worker started again (memo on disk, as after `memo build`)",
    ),
    ("distinct_warm", "POST /v1/recommendations, distinct traffic, whole space memoised and answered once"),
)
#: The bare floor each row is compared with: the one measured beside it.
_FLOOR_OF = {"distinct_restarted": "bare_floor_again", "distinct_warm": "bare_floor_again"}
#: The distinct-traffic rows the targets are read on.
_DISTINCT = (
    ("distinct", "distinct traffic, first start without `memo build`"),
    ("distinct_restarted", "distinct traffic, started again or after `memo build`"),
    ("distinct_warm", "distinct, memoised and answered once"),
)


def _vs(run: dict[str, Any], key: str) -> float | None:
    """Requests/s of ``key`` over the bare floor measured beside it, pass by pass (the median of
    the passes' ratios: :func:`bench.http_load.paired_ratio`); ``None`` for a floor of another run."""
    return paired_ratio(run[key], run[_FLOOR_OF.get(key, "bare_floor")])


def _vs_totals(run: dict[str, Any], key: str) -> float:
    """Requests/s of ``key`` over the bare floor measured beside it, over all their slices."""
    return float(run[key]["rps"] / run[_FLOOR_OF.get(key, "bare_floor")]["rps"])


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}x"


def _http(data: dict[str, Any]) -> list[str]:
    if "skipped" in data:
        return ["### HTTP load", "", f"Skipped: {data['skipped']}."]
    run = data["one_worker"]
    slices = len(run["bare_floor"]["slices_rps"])
    title = (
        f"HTTP load, 1 worker (wrk, {data['connections']} connections, {data['seconds_per_endpoint']} s each"
        f" in {slices} slices; p50 and p99 of all their requests, the worst slice's p99 beside)"
    )
    columns = (
        "endpoint | req/s | p50 ms | p99 ms | worst slice's p99 ms | max ms | errors "
        "| vs bare floor, pass by pass | over all slices"
    )
    lines = _table(title, columns, "lrrrrrrrr")
    for key, label in _HTTP_ROWS:
        if key not in run:
            continue
        m = run[key]
        lines.append(
            f"| {label} | {m['rps']:.0f} | {m['p50_ms']:.1f} | {m['p99_ms']:.1f} | {m['p99_worst_slice_ms']:.1f} "
            f"| {m['max_ms']:.0f} | {m['errors']} | {_ratio(_vs(run, key))} | {_vs_totals(run, key):.2f}x |"
        )
    memo = run["memo"]
    lines += [
        "",
        f"Memoising the whole space ({memo['classes']:,} classes, {memo['evaluated']:,} evaluated, "
        f"{memo['decisions']} distinct decisions) took {memo['seconds']:.1f} s in the worker; its resident "
        f"memory went from {memo['rss_before_mib']:.1f} to {memo['rss_after_mib']:.1f} MiB "
        f"({memo['rss_after_mib'] - memo['rss_before_mib']:+.1f} MiB).",
        "",
    ]
    if "restarted_memory" in run:
        kept = run["restarted_memory"]
        lines[-1:-1] = [
            f"The worker started again held {kept['rss_mib']:.1f} MiB after its row, its memo holding "
            f"{kept['memoised']:,} classes and {kept['answers_kept']:,} answers kept written (loaded from the "
            "file its memo's builder wrote, or written since).",
        ]
    if "memo_built_after_s" in run:
        lines[-1:-1] = [
            f"On the worker's first start, the builder it started had the memo on disk "
            f"{run['memo_built_after_s']:.0f} s after the worker started (at the lowest CPU priority, "
            "under load for most of that time).",
        ]
    for key, memo_state in (
        ("mixed", "workers' first start without `memo build`"),
        ("mixed_warm", "workers started again (memo on disk, as after `memo build`), every class answered once"),
    ):
        mixed = data[key]
        title = (
            f"Mixed load, {memo_state} ({mixed['workers']} workers, {mixed['connections']} connections, "
            f"{mixed['seconds']:.0f} s; {mixed['requests_per_second']:.0f} requests/s in all, {mixed['errors']} errors)"
        )
        lines += ["", *_table(title, "requests | count | p50 ms | p99 ms | max ms", "lrrrr")]
        for kind, label in (("single", "single recommendations"), ("batch", "batches of 100"), ("what_if", "what-if")):
            m = mixed[kind]
            if m["requests"]:
                lines.append(
                    f"| {label} | {m['requests']} | {m['p50_ms']:.1f} | {m['p99_ms']:.1f} | {m['max_ms']:.0f} |"
                )
    return lines


def _soak(data: dict[str, Any]) -> list[str]:
    columns = (
        "evaluations a pass | per second | RSS loaded MiB | after the first pass | after the second | growth "
        "| live durable sessions"
    )
    return [
        *_table(
            "Soak (one process, caches off: every call on the engine; the same profiles twice)", columns, "rrrrrrr"
        ),
        f"| {data['evaluations']:,} | {data['per_second']:.0f} | {data['rss_loaded_mib']:.1f} "
        f"| {data['rss_after_warm_up_mib']:.1f} | {data['rss_end_mib']:.1f} | {data['rss_growth_mib']:+.2f} "
        f"| {data['live_sessions']} |",
    ]


def _threads(data: dict[str, Any]) -> list[str]:
    title = f"Threads ({data['threads']} threads x {data['per_thread']:,} evaluations, one shared recommender)"
    lines = _table(title, "path | evaluations | per second | mismatches | errors | live durable sessions", "lrrrrr")
    for name, row in data.items():
        if isinstance(row, dict):
            lines.append(
                f"| {name} | {row['evaluations']:,} | {row['per_second']:.0f} | {row['mismatches']} "
                f"| {len(row['errors'])} | {row['live_sessions']} |"
            )
    return lines


def _targets(results: dict[str, Any]) -> list[str]:
    lines = _table("Targets", "target | measured | ", "lll")
    if "latency" in results:
        for row in results["latency"]["rows"]:
            if row["name"].startswith("recommend()"):
                lines.append(
                    f"| {row['name']}: median <= {MAX_RECOMMEND_VS_BARE}x bare durable | {row['vs_bare']:.3f}x "
                    f"| {_mark(row['vs_bare'] <= MAX_RECOMMEND_VS_BARE)} |"
                )
    if "cold_start" in results:
        cold = results["cold_start"]
        to_answer = cold["import_ms"] + cold["kb_ready_ms"] + cold["first_answer_ms"]
        lines.append(
            f"| cold start of the library, import to first answer <= {MAX_COLD_START_MS:.0f} ms | {to_answer:.0f} ms "
            f"| {_mark(to_answer <= MAX_COLD_START_MS)} |"
        )
        if "worker_replaced_ready_ms" in cold:
            forked = cold["worker_replaced_ready_ms"]
            lines.append(
                f"| cold start of a worker forked by `serve` (one replacing a worker killed), its process start to "
                f"start-up complete <= {MAX_COLD_START_MS:.0f} ms | {forked:.0f} ms "
                f"| {_mark(forked <= MAX_COLD_START_MS)} |"
            )
        worker = cold["worker_first_answer_ms"]
        floor = cold.get("start_floor_first_answer_ms")
        beside = "" if floor is None else f" (the start-up floor: {floor:.0f} ms)"
        lines.append(
            f"| cold start of a one-worker service (`serve`, one process, memo on disk), process start to first "
            f"answer <= {MAX_COLD_START_MS:.0f} ms | {worker:.0f} ms{beside} | {_mark(worker <= MAX_COLD_START_MS)} |"
        )
    http = results.get("http", {})
    if "one_worker" in http:
        run = http["one_worker"]
        for key, label in _DISTINCT:
            if key not in run:
                continue
            ratio = _vs(run, key)
            assert ratio is not None  # each distinct row is measured beside its own floor
            lines.append(
                f"| 1 worker, {label}: req/s >= {MIN_HTTP_VS_FLOOR}x bare floor, pass by pass | {ratio:.2f}x "
                f"({_vs_totals(run, key):.2f}x over all slices) | {_mark(ratio >= MIN_HTTP_VS_FLOOR)} |"
            )
            rec = run[key]
            ok = rec["p99_ms"] < MAX_P99_MS and rec["errors"] == 0
            lines.append(
                f"| 1 worker, {label}: p99 < {MAX_P99_MS:.0f} ms, 0 errors | {rec['p99_ms']:.1f} ms, "
                f"{rec['errors']} errors | {_mark(ok)} |"
            )
    for key, memo_state in (
        ("mixed", "first start without `memo build`"),
        ("mixed_warm", "started again or after `memo build`"),
    ):
        if key not in http:
            continue
        mixed = http[key]
        single = mixed["single"]
        worst = max(m["max_ms"] for m in (mixed["single"], mixed["batch"], mixed["what_if"]) if m["requests"])
        lines.append(
            f"| mixed load, {memo_state}: single recommendations p99 < {MAX_MIXED_P99_MS:.0f} ms "
            f"| {single['p99_ms']:.1f} ms | {_mark(single['p99_ms'] < MAX_MIXED_P99_MS)} |"
        )
        lines.append(
            f"| mixed load, {memo_state}: no request over {MAX_MIXED_MS:.0f} ms | {worst:.0f} ms "
            f"| {_mark(worst <= MAX_MIXED_MS)} |"
        )
    if "soak" in results:
        soak = results["soak"]
        ok = soak["rss_growth_mib"] <= MAX_RSS_GROWTH_MIB and soak["live_sessions"] == 0
        lines.append(
            f"| soak: RSS growth after warm-up <= {MAX_RSS_GROWTH_MIB:.0f} MiB, 0 live sessions "
            f"| {soak['rss_growth_mib']:+.2f} MiB ({soak['rss_growth_from_loaded_mib']:+.2f} from loaded), "
            f"{soak['live_sessions']} live | {_mark(ok)} |"
        )
    if "threads" in results:
        rows = [r for r in results["threads"].values() if isinstance(r, dict)]
        bad = sum(r["mismatches"] + len(r["errors"]) for r in rows)
        lines.append(f"| threads: 0 mismatches | {bad} | {_mark(bad == 0)} |")
    return lines


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['python']}; "
        f"{'quick' if results['quick'] else 'full'} run, {results['wall_seconds']:.0f} s; "
        f"load average (1 min) {results['load_before']:.1f} before, {results['load_after']:.1f} after.",
        "",
    ]
    sections = (("latency", _latency), ("cold_start", _cold), ("http", _http), ("soak", _soak), ("threads", _threads))
    for key, section in sections:
        if key in results:
            lines += [*section(results[key]), ""]
    lines += _targets(results)
    return "\n".join(lines)


def main() -> None:
    """``python -m bench.report RESULTS.json``: the tables of a run saved by ``run.py --json``, again."""
    if len(sys.argv) != 2:
        sys.exit("usage: python -m bench.report RESULTS.json (a file bench/run.py --json wrote)")
    print(render(json.loads(Path(sys.argv[1]).read_text())))


if __name__ == "__main__":
    main()
