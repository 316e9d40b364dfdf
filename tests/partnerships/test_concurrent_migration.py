"""Workers that start at once on a new database migrate it once between them: the others wait for
the migration, then find the schema in place (a worker that failed here would stop the server)."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier

from recommender.partnerships import database

WORKERS = 6


def _start(url: str, barrier: Barrier) -> None:
    barrier.wait()  # every worker opens the database at the same moment, as forked workers do
    storage = database.open_storage(url)
    try:
        assert database.at_head(storage.engine)
    finally:
        storage.dispose()


def test_workers_starting_at_once_on_a_new_database_all_start(database_url: str) -> None:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(WORKERS)
    workers = [context.Process(target=_start, args=(database_url, barrier)) for _ in range(WORKERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert [worker.exitcode for worker in workers] == [0] * WORKERS
    storage = database.open_storage(database_url)
    try:
        assert database.at_head(storage.engine)
    finally:
        storage.dispose()
