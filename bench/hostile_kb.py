"""Hostile knowledge-base files (issue 14): how long start-up and ``kb check`` take to refuse each,
and the peak memory (max RSS) of the process that refuses it.

Each case copies ``rules/`` to a scratch folder and corrupts one file: an alias bomb (nine nested
aliases), a 60 MB file, a symlink to ``/dev/zero``, a FIFO, invalid UTF-8 and a list nested
50,000 deep. Start-up is the real ``partnership-recommender serve`` (which must exit non-zero
naming the file); ``kb check`` is the real command. Every child runs with its address space
capped at 1.5 GiB and is killed after 120 s.

    python bench/hostile_kb.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # `python bench/hostile_kb.py` as well as `python -m bench.hostile_kb`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT

LIMIT = 3 * 1024**3 // 2
TIMEOUT = 120


def _alias_bomb(path: Path) -> None:
    lines = ['bomb0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"bomb{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    with path.open("a", encoding="utf-8") as file:
        file.write("\n" + "\n".join(lines) + "\n")


def _sixty_mb(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    filler = "# " + "x" * 98 + "\n"
    with path.open("w", encoding="utf-8") as file:
        file.write(text)
        file.write(filler * (60 * 1024 * 1024 // len(filler)))


def _dev_zero(path: Path) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _invalid_utf8(path: Path) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[4] += b" \xff\xfe"
    path.write_bytes(b"\n".join(lines))


def _deep(path: Path) -> None:
    path.write_text("risks: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")


CASES: dict[str, tuple[str, Callable[[Path], None]]] = {
    "alias bomb": ("findings.yaml", _alias_bomb),
    "60 MB file": ("findings.yaml", _sixty_mb),
    "/dev/zero symlink": ("readiness.yaml", _dev_zero),
    "FIFO": ("tender.yaml", _fifo),
    "invalid UTF-8": ("risks.yaml", _invalid_utf8),
    "50,000 deep": ("risks.yaml", _deep),
}


#: Runs the command given with its address space capped, and reports the command's peak RSS.
WRAPPER = f"""
import resource, subprocess, sys
resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT}))
try:
    code = subprocess.run(sys.argv[1:], timeout={TIMEOUT}).returncode
except subprocess.TimeoutExpired:
    code = "timeout"
print("HOSTILE-KB", code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run(command: list[str], env: dict[str, str]) -> tuple[str, float, float, str]:
    """``(exit code or "timeout", seconds, peak RSS in MiB, last line of output)`` of ``command``."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
    _, code, maxrss_kib = next(line for line in lines if line.startswith("HOSTILE-KB")).split()
    said = [line for line in lines if not line.startswith("HOSTILE-KB")]
    named = [line for line in said if ".yaml" in line] or said  # the line naming the file
    return code, seconds, int(maxrss_kib) / 1024, named[-1].strip()[:150] if named else ""


def main() -> None:
    print(f"{'case':20} {'command':9} {'exit':>7} {'seconds':>8} {'max RSS MiB':>12}  last line")
    for name, (file, corrupt) in CASES.items():
        with tempfile.TemporaryDirectory() as scratch:
            rules = Path(scratch) / "rules"
            shutil.copytree(ROOT / "rules", rules)
            corrupt(rules / file)
            env = {**os.environ, "PARTNERSHIP_RULES_DIR": str(rules), "PARTNERSHIP_PORT": "8799"}
            commands = {
                "start-up": [sys.executable, "-m", "bench.serve", "serve", "--port", "8799"],
                "kb check": [sys.executable, "-m", "bench.serve", "kb", "check", "--rules", str(rules)],
            }
            for label, command in commands.items():
                code, seconds, rss, last = run(command, env)
                print(f"{name:20} {label:9} {code!s:>7} {seconds:8.2f} {rss:12.0f}  {last}")


if __name__ == "__main__":
    main()
