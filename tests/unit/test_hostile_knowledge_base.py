"""Hostile knowledge-base files (issue 14) are refused quickly, in bounded memory, naming the file.

Each case runs in a child process whose address space is capped at 1.5 GiB and which is given
a generous time-out, so a loader that expands an alias bomb or reads ``/dev/zero`` fails the
test instead of taking the test run down with it. Nothing here times anything.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from recommender import KnowledgeBaseError, load_knowledge_base
from recommender.kb import default_rules_dir
from recommender.kb.validate import MAX_FILE_BYTES

GIB = 1024**3
ADDRESS_SPACE = GIB * 3 // 2

PROBE = """
import json, resource, sys, traceback
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
mode, folder = sys.argv[1], sys.argv[2]
if mode == "load":
    from recommender import KnowledgeBaseError, load_knowledge_base
    try:
        load_knowledge_base(folder)
    except KnowledgeBaseError as exc:
        # What a failed start-up prints: the error with every cause chained to it.
        shown = "".join(traceback.format_exception(exc))
        answer = {{"file": exc.file, "line": exc.line, "reason": exc.reason, "shown": len(shown)}}
    else:
        answer = {{"loaded": True}}
else:
    from typer.testing import CliRunner
    from recommender.cli import app
    result = CliRunner().invoke(app, ["kb", "check", "--json", "--rules", folder])
    answer = {{"exit_code": result.exit_code, "report": json.loads(result.stdout)}}
answer["maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(answer))
"""


def _probe(mode: str, folder: Path) -> dict[str, Any]:
    code = PROBE.format(limit=ADDRESS_SPACE)
    done = subprocess.run(
        [sys.executable, "-c", code, mode, str(folder)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return answer


def _alias_bomb(path: Path) -> None:
    lines = ['bomb0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"bomb{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    # At the top of the file, so the line named does not depend on the file's length.
    path.write_text("\n".join(lines) + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def _huge(path: Path) -> None:
    with path.open("ab") as file:
        file.truncate(60 * 1024 * 1024)


def _just_over_the_limit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    padding = MAX_FILE_BYTES + 1 - len(text.encode("utf-8"))
    path.write_text(text + "\n" + "#" * (padding - 1), encoding="utf-8")


def _dev_zero(path: Path) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _invalid_utf8(path: Path) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[4] += b" \xff\xfe"  # line 5
    path.write_bytes(b"\n".join(lines))


def _deep(path: Path) -> None:
    path.write_text("risks: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")


# (file, corruption, what the reason says, the line named)
HOSTILE: list[tuple[str, Callable[[Path], None], str, int | None]] = [
    ("findings.yaml", _alias_bomb, "anchor", 1),
    ("findings.yaml", _huge, "larger than the limit of 2 MiB", None),
    ("findings.yaml", _just_over_the_limit, "larger than the limit of 2 MiB", None),
    ("readiness.yaml", _dev_zero, "not a regular file", None),
    ("tender.yaml", _fifo, "not a regular file", None),
    ("risks.yaml", _invalid_utf8, "not valid UTF-8", 5),
    ("risks.yaml", _deep, "nested more than", 1),
]
IDS = ["alias-bomb", "60-mb", "limit-plus-one", "dev-zero", "fifo", "invalid-utf8", "deep-nesting"]


def _hostile_copy(tmp_path: Path, file: str, corrupt: Callable[[Path], None]) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    corrupt(rules / file)
    return rules


@pytest.mark.parametrize(("file", "corrupt", "reason", "line"), HOSTILE, ids=IDS)
def test_a_hostile_file_is_refused_in_bounded_memory_naming_the_file(
    tmp_path: Path, file: str, corrupt: Callable[[Path], None], reason: str, line: int | None
) -> None:
    rules = _hostile_copy(tmp_path, file, corrupt)

    answer = _probe("load", rules)

    assert answer.get("file") == file, answer
    assert reason in answer["reason"]
    if line is not None:
        assert answer["line"] == line
    assert answer["shown"] < 20_000, "the error and its causes print in a few lines"
    assert answer["maxrss_kib"] * 1024 < ADDRESS_SPACE


@pytest.mark.parametrize(("file", "corrupt", "reason", "line"), HOSTILE, ids=IDS)
def test_kb_check_refuses_a_hostile_file_naming_it(
    tmp_path: Path, file: str, corrupt: Callable[[Path], None], reason: str, line: int | None
) -> None:
    rules = _hostile_copy(tmp_path, file, corrupt)

    answer = _probe("check", rules)

    assert answer["exit_code"] == 1
    [error] = answer["report"]["errors"]
    assert error["file"] == file
    assert reason in error["reason"]
    assert error["line"] == line


def test_an_anchor_is_refused_even_without_an_alias(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    text = (rules / "mitigations.yaml").read_text(encoding="utf-8")
    (rules / "mitigations.yaml").write_text(text.replace("mitigations:", "mitigations: &all", 1), encoding="utf-8")

    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(rules)

    assert caught.value.file == "mitigations.yaml"
    assert "anchor" in caught.value.reason
    assert caught.value.line is not None


def test_a_long_reason_is_cut_short(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    text = (rules / "risks.yaml").read_text(encoding="utf-8")
    (rules / "risks.yaml").write_text(text + "\n" + "x" * 100_000 + ": 1\n", encoding="utf-8")

    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(rules)

    assert caught.value.file == "risks.yaml"
    assert len(str(caught.value)) < 1000
