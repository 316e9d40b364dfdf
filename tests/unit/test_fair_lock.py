"""The engine's lock hands itself over in the order its waiters came, bulk work last."""

from __future__ import annotations

import threading

from recommender.engine.base import bulk
from recommender.engine.durable_adapter import FairLock


def test_waiters_get_the_lock_in_the_order_they_came() -> None:
    lock = FairLock()
    order: list[int] = []
    queued = threading.Semaphore(0)

    def wait(number: int) -> None:
        queued.release()
        with lock:
            order.append(number)

    threads = []
    with lock:
        for number in range(8):
            thread = threading.Thread(target=wait, args=(number,))
            thread.start()
            queued.acquire()
            # The thread is queued once it is blocked in __enter__: wait for its turn lock to exist.
            while len(lock._waiters) < number + 1:
                threading.Event().wait(0.001)
            threads.append(thread)
    for thread in threads:
        thread.join()
    assert order == list(range(8))
    assert not lock.locked()


def test_a_holder_that_takes_it_again_queues_behind_the_waiters() -> None:
    lock = FairLock()
    order: list[str] = []

    def take_turn() -> None:
        with lock:
            order.append("waiter")

    with lock:
        waiter = threading.Thread(target=take_turn)
        waiter.start()
        while not lock._waiters:
            threading.Event().wait(0.001)
    with lock:  # the waiter was handed the lock first
        order.append("holder again")
    waiter.join()
    assert order == ["waiter", "holder again"]


def test_a_single_evaluation_goes_before_the_bulk_work_queued_ahead_of_it() -> None:
    lock = FairLock()
    order: list[str] = []

    def take_turn(name: str, in_bulk: bool) -> None:
        if in_bulk:
            with bulk(), lock:
                order.append(name)
        else:
            with lock:
                order.append(name)

    def queue(name: str, in_bulk: bool, waiting: int) -> threading.Thread:
        thread = threading.Thread(target=take_turn, args=(name, in_bulk))
        thread.start()
        while len(lock._waiters) + len(lock._bulk_waiters) < waiting:
            threading.Event().wait(0.001)
        return thread

    with lock:
        threads = [queue("batch 1", True, 1), queue("batch 2", True, 2), queue("single", False, 3)]
    for thread in threads:
        thread.join()
    assert order == ["single", "batch 1", "batch 2"]
