"""``partnership-recommender serve``: the README's run command."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from typer.testing import CliRunner

from api.cli import EXTRA_KNOWLEDGE_BASES
from api.cli import app as cli
from api.examples import PROFILE_EXAMPLES
from api.settings import Settings, get_settings
from recommender import KnowledgeBase


def _console_script() -> list[str]:
    script = Path(sys.executable).parent / "partnership-recommender"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from api.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PARTNERSHIP_")}
    # The defaults but for the memo's builder (a minute of CPU; tests/api/test_memo_keeper.py runs it).
    return {**env, "PARTNERSHIP_KEEP_MEMO": "0", **extra}


def _workers(server: int) -> set[int]:
    return {int(child) for child in Path(f"/proc/{server}/task/{server}/children").read_text().split()}


def _until(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_serve_runs_uvicorn_on_the_app_with_the_options_given(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: calls.append((args, kwargs)))

    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "9123", "--workers", "2"])

    assert result.exit_code == 0, result.output
    [(args, kwargs)] = calls
    assert args == ("api.app:app",)
    assert (kwargs["host"], kwargs["port"], kwargs["workers"]) == ("0.0.0.0", 9123, 2)


def test_serve_defaults_come_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: calls.append(kwargs))

    result = CliRunner().invoke(cli, ["serve"])

    assert result.exit_code == 0, result.output
    assert (calls[0]["host"], calls[0]["port"], calls[0]["workers"]) == ("127.0.0.1", 8000, 1)


def test_serve_pauses_the_collector_for_a_lone_worker_and_resumes_it_if_no_lifespan_did(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    collecting: list[bool] = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: collecting.append(gc.isenabled()))

    one = CliRunner().invoke(cli, ["serve", "--workers", "1"])
    several = CliRunner().invoke(cli, ["serve", "--workers", "2"])  # the workers are other processes
    monkeypatch.setattr("api.cli.APP", "bench.bare_floor:app")  # an app whose lifespan would not resume it
    other = CliRunner().invoke(cli, ["serve", "--workers", "1"])

    assert (one.exit_code, several.exit_code, other.exit_code) == (0, 0, 0), one.output + several.output
    assert collecting == [False, True, True]
    assert gc.isenabled()


def test_serve_passes_each_knowledge_base_folder_to_the_workers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kb: KnowledgeBase
) -> None:
    calls: list[Settings] = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: calls.append(Settings()))
    monkeypatch.setenv(EXTRA_KNOWLEDGE_BASES, "[]")  # restored when the test ends
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()

    result = CliRunner().invoke(cli, ["serve", "--knowledge-base", str(first), "--knowledge-base", str(second)])
    get_settings.cache_clear()

    assert result.exit_code == 0, result.output
    assert calls[0].extra_knowledge_bases == [first.resolve(), second.resolve()]


def test_serve_refuses_a_knowledge_base_folder_that_does_not_exist(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--knowledge-base", str(tmp_path / "missing")])

    assert result.exit_code == 2
    assert "--knowledge-base" in result.output


def test_serve_runs_without_importing_the_library_commands() -> None:
    code = (
        "import sys\n"
        "from api.cli import main\n"
        "sys.argv = ['partnership-recommender', 'serve', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(name for name in sys.modules if name.startswith('recommender.cli')))\n"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert "Usage: partnership-recommender serve [OPTIONS]" in result.stdout
    assert "--knowledge-base" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_importing_the_library_and_its_cli_imports_no_web_framework() -> None:
    web = "{'fastapi', 'uvicorn', 'starlette'}"
    code = f"import sys, recommender, recommender.cli; print(sorted({web} & set(sys.modules)))"

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "[]"


@pytest.fixture
def served() -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [*_console_script(), "serve", "--port", str(port)],
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
            try:
                if httpx2.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx2.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def test_the_served_api_answers_over_http(served: str) -> None:
    health = httpx2.get(f"{served}/healthz")
    answer = httpx2.post(f"{served}/v1/recommendations", json=PROFILE_EXAMPLES["evidence_review"]["value"])

    assert health.json() == {"status": "ok"}
    assert answer.status_code == 200
    assert answer.json()["initiation_mode"]["recommended"] == "agency"
    assert answer.headers["x-request-id"]


def test_a_broken_knowledge_base_stops_the_server_naming_the_file_and_entry(tmp_path: Path, kb: KnowledgeBase) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(kb.root, rules)
    findings = rules / "findings.yaml"
    first = next(iter(kb.findings))
    findings.write_text(findings.read_text().replace(f"id: {first}\n", f"id: {first}\n    colour: blue\n", 1))

    result = subprocess.run(
        [*_console_script(), "serve", "--port", str(_free_port())],
        env=_environment(PARTNERSHIP_RULES_DIR=str(rules)),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert f"findings.yaml: entry '{first}'" in result.stderr
    assert "colour" in result.stderr


def test_workers_are_forked_from_the_server_and_one_killed_is_replaced(tmp_path: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*_console_script(), "serve", "--port", str(port), "--workers", "2"],
        env=_environment(PARTNERSHIP_DATA_DIR=str(tmp_path)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _until(lambda: len(_workers(server.pid)) == 2, "two workers")
        workers = _workers(server.pid)
        # Forked from the server, which imported the app: the same program, not a new interpreter.
        parent = Path(f"/proc/{server.pid}/cmdline").read_bytes()
        assert all(Path(f"/proc/{worker}/cmdline").read_bytes() == parent for worker in workers)

        def answers() -> bool:
            try:
                return httpx2.get(f"{base}/readyz").status_code == 200
            except httpx2.TransportError:
                return False

        _until(answers, "the server answers")
        os.kill(min(workers), signal.SIGKILL)
        _until(lambda: len(_workers(server.pid) - workers) == 1, "a worker in place of the one killed")
        [replacement] = _workers(server.pid) - workers
        assert Path(f"/proc/{replacement}/cmdline").read_bytes() == parent
        for _ in range(8):  # whichever worker takes it
            answer = httpx2.post(f"{base}/v1/recommendations", json=PROFILE_EXAMPLES["evidence_review"]["value"])
            assert answer.status_code == 200
        # A forked worker has a new interpreter's signal handlers, not the supervisor's: SIGHUP ends it.
        os.kill(replacement, signal.SIGHUP)
        _until(lambda: replacement not in _workers(server.pid), "the worker sent SIGHUP ends")
    finally:
        server.terminate()
        server.wait(timeout=30)
