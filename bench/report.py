"""The benchmark results as Markdown tables, with each target marked met or missed."""

from __future__ import annotations

from typing import Any

# The targets of issue 7; printed beside the figures, never asserted.
MAX_RECOMMEND_VS_BARE = 1.3
MIN_HTTP_VS_FLOOR = 0.85
MAX_P99_MS = 50.0
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
    ]


_HTTP_ROWS = (
    ("floor", "floor: validate, constant answer"),
    ("repeat", "POST /v1/recommendations, repeat traffic (48 profiles)"),
    ("repeat_api_app", "same, served from api.app:app"),
    ("distinct", "POST /v1/recommendations, distinct traffic (4,096 profiles)"),
)


def _http(data: dict[str, Any]) -> list[str]:
    if "skipped" in data:
        return ["### HTTP load", "", f"Skipped: {data['skipped']}."]
    title = f"HTTP load (wrk, {data['connections']} connections, {data['seconds_per_endpoint']} s per endpoint)"
    lines = _table(title, "workers | endpoint | req/s | p50 ms | p99 ms | errors | vs floor", "rlrrrrr")
    for run in data["runs"]:
        w = run["workers"]
        for key, label in _HTTP_ROWS:
            if key in run:
                m = run[key]
                lines.append(
                    f"| {w} | {label} | {m['rps']:.0f} | {m['p50_ms']:.1f} | {m['p99_ms']:.1f} | {m['errors']} "
                    f"| {m['rps'] / run['floor']['rps']:.2f}x |"
                )
        b = run["batch"]
        lines.append(
            f"| {w} | batch, 100 distinct profiles a request: **{b['profiles_per_second']:.0f} profiles/s** "
            f"| {b['rps']:.1f} | {b['p50_ms']:.0f} | {b['p99_ms']:.0f} | {b['errors']} | |"
        )
    return lines


def _soak(data: dict[str, Any]) -> list[str]:
    columns = "evaluations | per second | RSS loaded MiB | after warm-up | at end | growth | live durable sessions"
    return [
        *_table("Soak (one process)", columns, "rrrrrrr"),
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
    for run in results.get("http", {}).get("runs", []):
        for key in ("repeat", "distinct"):
            rec = run[key]
            ratio = rec["rps"] / run["floor"]["rps"]
            who = f"{run['workers']} worker(s), {key} traffic"
            lines.append(
                f"| {who}: req/s >= {MIN_HTTP_VS_FLOOR}x floor | {ratio:.2f}x | {_mark(ratio >= MIN_HTTP_VS_FLOOR)} |"
            )
            ok = rec["p99_ms"] < MAX_P99_MS and rec["errors"] == 0
            lines.append(
                f"| {who}: p99 < {MAX_P99_MS:.0f} ms, 0 errors | {rec['p99_ms']:.1f} ms, {rec['errors']} errors "
                f"| {_mark(ok)} |"
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
