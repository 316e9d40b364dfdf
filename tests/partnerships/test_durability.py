"""Nothing lost, on SQLite and PostgreSQL, with real server processes: concurrent submissions
through two servers sharing one database keep every revision; a server killed with ``kill -9``
while writing loses no answer it acknowledged; a restarted server serves the same data; and a
server refuses to start on a schema newer than it knows."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from recommender.partnerships import backup, database
from recommender.partnerships.unit_of_work import SqlAlchemyUnitOfWork
from tests.partnerships.servers import Server, call, free_port
from tests.partnerships.support import NEW, PROFILE

SUBMISSIONS = 40


@pytest.fixture
def servers(database_url: str, tmp_path: Path) -> Iterator[list[Server]]:
    env = {"PARTNERSHIP_DATABASE_URL": database_url}
    made = [Server(free_port(), env, tmp_path / f"server{i}.log") for i in range(2)]
    try:
        for server in made:
            server.start()
        yield made
    finally:
        for server in made:
            server.stop()


def stored_revisions(database_url: str) -> dict[str, dict[int, dict[str, Any]]]:
    """Every stored answer, read from the database itself: partner id -> revision -> profile."""
    engine = database.make_engine(database_url)
    try:
        document = backup.export_all(SqlAlchemyUnitOfWork(engine))
    finally:
        engine.dispose()
    return {
        partner.id: {a.revision: a.profile for a in partner.answers}
        for partnership in document.partnerships
        for partner in partnership.partners
    }


def test_concurrent_submissions_through_two_servers_keep_every_revision(
    servers: list[Server], database_url: str
) -> None:
    status, created = call("POST", f"{servers[0].base}/v1/partnerships", NEW)
    assert status == 201
    pid = created["id"]

    def submit(i: int) -> tuple[str, int, int]:
        partner = created["partners"][i % 2]
        server = servers[(i // 2) % 2]  # each partner's requests alternate between the servers
        url = f"{server.base}/v1/partnerships/{pid}/partners/{partner['id']}/answers"
        status, body = call("PUT", url, PROFILE | {"title": f"submission {i}"}, token=partner["token"])
        assert status == 200, body
        return partner["id"], body["revision"], i

    with ThreadPoolExecutor(max_workers=8) as pool:
        acknowledged = list(pool.map(submit, range(SUBMISSIONS)))

    stored = stored_revisions(database_url)
    for partner in created["partners"]:
        mine = [(revision, i) for pid_, revision, i in acknowledged if pid_ == partner["id"]]
        assert sorted(r for r, _ in mine) == list(range(1, SUBMISSIONS // 2 + 1))  # no revision lost or doubled
        assert {r: p["title"] for r, p in stored[partner["id"]].items()} == {r: f"submission {i}" for r, i in mine}
    # Both servers read the same state at once.
    views = [call("GET", f"{s.base}/v1/partnerships/{pid}", token=created["owner_token"])[1] for s in servers]
    assert views[0] == views[1]
    assert views[0]["divergence"] is not None


def test_kill_9_during_writes_loses_no_acknowledged_answer_and_restart_serves_the_same(
    database_url: str, tmp_path: Path
) -> None:
    server = Server(free_port(), {"PARTNERSHIP_DATABASE_URL": database_url}, tmp_path / "server.log").start()
    try:
        status, created = call("POST", f"{server.base}/v1/partnerships", NEW)
        assert status == 201
        pid, partner = created["id"], created["partners"][0]
        url = f"{server.base}/v1/partnerships/{pid}/partners/{partner['id']}/answers"
        acknowledged: dict[int, str] = {}
        lock = threading.Lock()
        enough = threading.Event()

        def writer(n: int) -> None:
            for i in range(10_000):
                title = f"writer {n} answer {i}"
                try:
                    status, body = call("PUT", url, PROFILE | {"title": title}, token=partner["token"])
                except OSError:  # the server is gone: this answer was never acknowledged
                    return
                if status != 200:
                    return
                with lock:
                    acknowledged[body["revision"]] = title
                    if len(acknowledged) >= 30:
                        enough.set()

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        enough.wait(timeout=300)
        server.kill9()  # while the writers are still sending
        for thread in threads:
            thread.join(timeout=120)
        assert len(acknowledged) >= 30

        stored = stored_revisions(database_url)[partner["id"]]
        for revision, title in acknowledged.items():
            assert stored[revision]["title"] == title
        before = stored_revisions(database_url)

        server.start()
        latest = max(stored)
        status, answers = call("GET", url, token=partner["token"])
        assert status == 200
        assert answers["revision"] == latest
        assert answers["profile"]["title"] == stored[latest]["title"]
        assert stored_revisions(database_url) == before
        # And it goes on from there: the next revision follows the last one stored.
        status, body = call("PUT", url, PROFILE, token=partner["token"])
        assert (status, body["revision"]) == (200, latest + 1)
    finally:
        server.stop()


def test_a_server_refuses_to_start_on_an_unknown_newer_schema_and_serves_at_the_current_one(
    database_url: str, tmp_path: Path
) -> None:
    engine = database.open_database(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    log = tmp_path / "refused.log"
    refused = Server(free_port(), {"PARTNERSHIP_DATABASE_URL": database_url}, log).start(wait=False)
    assert refused.process is not None
    assert refused.process.wait(timeout=120) != 0
    output = log.read_text(errors="replace")
    assert "'9999_from_the_future', which this version does not know" in output
    assert "startup_failed" in output

    engine = database.make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE alembic_version SET version_num = '{database.head_revision()}'"))
    engine.dispose()
    server = Server(free_port(), {"PARTNERSHIP_DATABASE_URL": database_url}, tmp_path / "served.log").start()
    try:
        assert call("POST", f"{server.base}/v1/partnerships", NEW)[0] == 201
    finally:
        server.stop()
