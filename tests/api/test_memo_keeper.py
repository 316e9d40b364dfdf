"""The memo kept on disk (``api/memo_keeper.py``): a worker that finds its memo file starts with
it, a file that is not sound is refused and built again, and the builder writes the memo of the
whole space that a worker then answers from."""

from __future__ import annotations

import asyncio
import fcntl
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message

from api import memo_keeper
from api.app import Service, create_app
from api.settings import Settings
from recommender import Recommender

ROOT = Path(__file__).resolve().parents[2]
#: The longest a test waits for a worker's background thread (it takes well under a second here).
WAIT_SECONDS = 60


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, "the worker's memo keeper did not get there"
        time.sleep(0.05)


def _memo_path(data_dir: Path, recommender: Recommender) -> Path:
    folder = data_dir / memo_keeper.MEMO_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return memo_keeper.memo_file(folder, recommender.kb.digest, memo_keeper.code_digest())


def _ended_pid() -> int:
    """The pid of a process that has ended."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def _partial_memo(recommender: Recommender, path: Path, classes: int) -> Path:
    """The memo of the first ``classes`` classes, saved at ``path`` (returned)."""
    partial = Recommender(recommender.kb, recommender.evaluator, cache_size=4)
    partial.warm(limit=classes)
    partial.save_memo(path)
    return path


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[Callable[[], tuple[FastAPI, TestClient]]]:
    """Starts an app on ``tmp_path`` with the memo kept (once per test), stopped after it."""
    started: list[TestClient] = []

    def start() -> tuple[FastAPI, TestClient]:
        app = create_app(Settings(data_dir=tmp_path, keep_memo=True))
        client = TestClient(app)
        client.__enter__()
        started.append(client)
        return app, client

    yield start
    for client in started:
        client.__exit__(None, None, None)


def test_a_worker_starts_with_the_memo_it_finds(
    recommender: Recommender, tmp_path: Path, worker: Callable[[], tuple[FastAPI, TestClient]]
) -> None:
    path = _memo_path(tmp_path, recommender)
    _partial_memo(recommender, path, 500)
    stale = path.with_name(path.name.split("-")[0] + "-0123456789abcdef.json")  # by other code
    stale.write_text("{}")
    left = path.with_name(f".{path.name}.{_ended_pid()}.1.part")  # a builder stopped mid-write
    left.write_text("{")
    app, client = worker()
    memo = app.state.recommender.memo
    _until(lambda: memo.filled == 500)
    _until(lambda: app.state.recommender.answers_kept == 500)  # then each class's answer written
    assert app.state.memo_keeper.builders_started == 0
    assert not stale.exists()
    assert not left.exists()
    uncached = Recommender(recommender.kb, recommender.evaluator, cache_size=0)
    for profile in itertools.islice(memo.classes.representatives(), 0, 500, 50):
        body = profile.model_dump(mode="json", exclude_none=True)
        answer = client.post("/v1/recommendations", json=body)
        assert answer.status_code == 200
        assert answer.content == uncached.recommend(profile).model_dump_json().encode()
    assert memo.filled == 500  # every answer from the memo loaded


def test_a_worker_takes_the_answers_written_beside_its_memo(
    recommender: Recommender,
    tmp_path: Path,
    worker: Callable[[], tuple[FastAPI, TestClient]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = _partial_memo(recommender, _memo_path(tmp_path, recommender), 300)
    source = Recommender(recommender.kb, recommender.evaluator, cache_size=4)
    source.load_memo(path, check=False)
    source.write_answers()
    source.save_answers(memo_keeper.answers_file(path))
    stale = memo_keeper.answers_file(path.with_name(path.name.split("-")[0] + "-0123456789abcdef.json"))
    stale.write_bytes(b"answers of other code")
    with caplog.at_level("INFO", logger="api.memo"):
        app, client = worker()
        _until(lambda: app.state.recommender.answers_kept == 300)
        _until(lambda: "answers_written" in caplog.text)
    events = [json.loads(record.getMessage()) for record in caplog.records if record.name == "api.memo"]
    taken = [event for event in events if event["event"] in ("answers_loaded", "answers_written")]
    assert [(event["event"], event["classes"]) for event in taken] == [("answers_loaded", 300), ("answers_written", 0)]
    assert not stale.exists()
    uncached = Recommender(recommender.kb, recommender.evaluator, cache_size=0)
    memo = app.state.recommender.memo
    for profile in itertools.islice(memo.classes.representatives(), 0, 300, 30):
        answer = client.post("/v1/recommendations", json=profile.model_dump(mode="json", exclude_none=True))
        assert answer.content == uncached.recommend(profile).model_dump_json().encode()


def test_answers_that_are_not_sound_are_removed_and_written_again(
    recommender: Recommender,
    tmp_path: Path,
    worker: Callable[[], tuple[FastAPI, TestClient]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    answers = memo_keeper.answers_file(_partial_memo(recommender, _memo_path(tmp_path, recommender), 100))
    answers.write_bytes(b"not answers")
    with caplog.at_level("INFO", logger="api.memo"):
        app, _ = worker()
        _until(lambda: app.state.recommender.answers_kept == 100)  # written by the worker itself
    assert "answers_refused" in caplog.text
    assert not answers.exists()


def test_a_worker_waits_for_the_builder_that_holds_the_lock(
    recommender: Recommender, tmp_path: Path, worker: Callable[[], tuple[FastAPI, TestClient]]
) -> None:
    path = _memo_path(tmp_path, recommender)
    lock = os.open(path.with_name(path.name + ".lock"), os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another builder at work
        app, _ = worker()
        time.sleep(3 * memo_keeper.POLL_SECONDS)  # the worker looks several times meanwhile
        _partial_memo(recommender, path, 40)  # what the other builder writes
        _until(lambda: app.state.recommender.memo.filled == 40)
        assert app.state.memo_keeper.builders_started == 0
    finally:
        os.close(lock)


def test_a_memo_file_that_is_not_sound_is_removed_and_built_again(
    recommender: Recommender, tmp_path: Path, worker: Callable[[], tuple[FastAPI, TestClient]]
) -> None:
    path = _memo_path(tmp_path, recommender)
    _partial_memo(recommender, path, 100)
    data = json.loads(path.read_text())
    data["masks"] = data["masks"][::-1]  # each class with another's rules
    path.write_text(json.dumps(data))
    app, client = worker()
    keeper = app.state.memo_keeper
    _until(lambda: keeper.builders_started == 1)
    assert app.state.recommender.memo.filled == 0
    assert keeper.builders_running == 1
    client.__exit__(None, None, None)  # the worker stops: so does the builder it started
    assert keeper.builders_running == 0


def test_memo_build_writes_the_memo_of_the_whole_space_before_the_service_starts(
    recommender: Recommender, tmp_path: Path, worker: Callable[[], tuple[FastAPI, TestClient]]
) -> None:
    """``partnership-recommender memo build``: the builder a worker starts, run once at deploy."""
    path = _memo_path(tmp_path, recommender)
    stale = path.with_name(path.name.split("-")[0] + "-0123456789abcdef.json")  # by other code
    stale.write_text("{}")
    command = [sys.executable, "-c", "from api.cli import main; main()", "memo", "build"]
    env = {**os.environ, "PARTNERSHIP_DATA_DIR": str(tmp_path)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith(f"the memo of {recommender.kb.version} built in ")
    assert done.stdout.strip().endswith(str(path))
    assert not stale.exists()
    loaded = Recommender(recommender.kb, recommender.evaluator, cache_size=4)
    assert loaded.memo is not None
    assert loaded.load_memo(path) == loaded.memo.classes.size
    assert loaded.load_answers(memo_keeper.answers_file(path)) == loaded.memo.classes.size  # written beside it
    assert loaded.write_answers() == 0
    size = loaded.memo.classes.size
    uncached = Recommender(recommender.kb, recommender.evaluator, cache_size=0)
    for index in random.Random(11).sample(range(size), 300):
        profile = loaded.memo.classes.representative(index)
        assert loaded.recommend_json(profile) == uncached.recommend(profile).model_dump_json().encode()
    # Built again: found there, left as it is; the builder a worker starts does the same.
    before = path.stat().st_mtime_ns
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stdout == f"the memo of {recommender.kb.version} was there already: {path}\n"
    assert memo_keeper.build(None, path) == 0
    assert path.stat().st_mtime_ns == before
    # A worker started on the folder takes it whole and starts no builder.
    app, _ = worker()
    _until(lambda: app.state.recommender.answers_kept == size)
    assert app.state.recommender.memo.filled == size
    assert app.state.memo_keeper.builders_started == 0


@pytest.mark.parametrize("fault", ["a data folder that is a file", "a broken knowledge base"])
def test_memo_build_that_cannot_build_says_why_in_one_line(tmp_path: Path, fault: str) -> None:
    data, options = tmp_path / "data", []
    if fault == "a data folder that is a file":
        data.write_text("a file where the data folder should be")
    else:
        broken = tmp_path / "rules"
        shutil.copytree(ROOT / "rules", broken)
        (broken / "findings.yaml").write_text("findings: [unclosed\n", encoding="utf-8")
        options = ["--knowledge-base", str(broken)]
    command = [sys.executable, "-c", "from api.cli import main; main()", "memo", "build", *options]
    env = {**os.environ, "PARTNERSHIP_DATA_DIR": str(data)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("error: ")
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stdout == ""
    if fault == "a broken knowledge base":
        assert "findings.yaml" in done.stderr


def test_a_memo_folder_that_cannot_be_written_is_a_warning_not_a_failure(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "data").write_text("a file where the data folder should be")
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'p.db'}", keep_memo=True)
    with caplog.at_level("WARNING", logger="api.memo"), TestClient(create_app(settings)) as client:
        answer = client.post(
            "/v1/recommendations",
            json={
                "project_type": "evaluation",
                "timeline_months": 24,
                "funding": "co_funded",
                "relationship": "long_term",
                "staff_stability": "high",
            },
        )
        assert answer.status_code == 200
        assert client.app.state.memo_keeper.builders_started == 0  # type: ignore[attr-defined]
    [warning] = [json.loads(record.getMessage()) for record in caplog.records if record.name == "api.memo"]
    assert warning["event"] == "memo_not_kept"
    assert "cannot be written" in warning["reason"]


def test_a_builder_that_fails_says_so_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "api.memo_keeper", str(tmp_path / "no-such-folder"), str(tmp_path / "memo.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert json.loads(line)["event"] == "memo_not_built"
    assert "Traceback" not in done.stderr


def test_answers_are_written_ahead_only_while_no_request_is_in_flight(recommender: Recommender, tmp_path: Path) -> None:
    path = _memo_path(tmp_path, recommender)
    _partial_memo(recommender, path, 200)
    loaded = Recommender(recommender.kb, recommender.evaluator, cache_size=4)
    assert loaded.memo is not None
    busy = [True]
    keeper = memo_keeper.MemoKeeper([loaded], [None], tmp_path, busy=lambda: busy[0])
    keeper.start()
    try:
        _until(lambda: loaded.memo is not None and loaded.memo.filled == 200)
        time.sleep(0.3)  # a worker kept busy all along
        assert loaded.answers_kept <= memo_keeper.ANSWERS_AT_ONCE  # at most the first few, before it looked
        busy[0] = False
        _until(lambda: loaded.answers_kept == 200)
    finally:
        keeper.stop()


def test_the_service_counts_the_requests_in_flight(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, keep_memo=False))
    assert isinstance(app, Service)
    seen: list[bool] = []

    async def scenario() -> None:
        arrived = asyncio.Event()

        async def receive() -> Message:
            seen.append(app.busy())  # asked by the application while it reads the body
            await arrived.wait()
            return {"type": "http.request", "body": b"{}", "more_body": False}

        async def send(message: Message) -> None:
            pass

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/v1/recommendations",
            "raw_path": b"/v1/recommendations",
            "query_string": b"",
            "root_path": "",
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"2")],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }
        answering = asyncio.create_task(app(scope, receive, send))
        await asyncio.sleep(0.05)
        seen.append(app.busy())
        arrived.set()
        await answering
        seen.append(app.busy())

    with TestClient(app):  # its lifespan started: the knowledge bases loaded
        asyncio.run(scenario())
    assert seen[:2] == [True, True]  # while it read the body, and while it waited for it
    assert seen[-1] is False
    assert app.requests_in_flight == 0
