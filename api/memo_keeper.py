"""Each knowledge base's memo kept on disk, so that a worker that starts again starts memoised.

A worker's memo (:class:`recommender.memo.Memo`: the rules fired by every class of the profile
space) fills as requests come; evaluating the whole space once takes about a minute of the
engine. With ``keep_memo`` on (the default), each worker, as it starts:

* loads ``<data_dir>/memo/<file>`` when it is there (:meth:`recommender.Recommender.load_memo`,
  in a thread, after a sample of its classes is evaluated again and agrees) and every class's
  answer that the builder wrote beside it (``<file>.answers``:
  :meth:`recommender.Recommender.load_answers`, after a sample is written again and agrees),
  then writes any answer still missing, a few at a time and only while no request is in flight
  (:meth:`recommender.Recommender.write_answers`; a busy worker writes each class's answer on its
  first request instead); and
* otherwise starts one builder process (``python -m api.memo_keeper FOLDER FILE``, at the lowest
  CPU priority) that evaluates the whole space, writes every class's answer and writes both
  files (the memo last); the worker loads them once the memo appears. A lock on ``FILE.lock``
  keeps it to one builder however many workers start.

The file's name carries the knowledge base's digest and a digest of the recommender package's
code, so a changed knowledge base or a new version of the engine's code never reads an old file
(old files of the same knowledge base are removed). A file that fails to load is removed and
built again once. Until its memo arrives a worker answers as without one: the engine evaluates
each new class, as before.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import recommender
from recommender import Recommender, load_knowledge_base

__all__ = ["MEMO_FOLDER", "Built", "MemoKeeper", "answers_file", "build", "build_all", "code_digest", "memo_file"]

log = logging.getLogger("api.memo")
#: The memo files' folder, under the data folder.
MEMO_FOLDER = "memo"
#: How often a worker waiting for its memo looks for the file, in seconds.
POLL_SECONDS = 1.0
#: How many builders one worker starts for one memo before it gives up (each finding another's
#: lock free and the file still missing).
MAX_BUILDERS = 3
#: How often, in seconds, a worker writing its answers ahead looks again whether its requests
#: are done (it writes only while none is in flight).
ANSWERS_PAUSE_SECONDS = 0.002
#: How many answers it writes between two looks (about 1 ms of work).
ANSWERS_AT_ONCE = 32


def code_digest() -> str:
    """A digest of the recommender package's Python sources: what evaluates and decides."""
    package = Path(recommender.__file__).parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest()


def memo_file(folder: Path, knowledge_base_digest: str, code: str) -> Path:
    """Where the memo of the knowledge base of ``knowledge_base_digest``, built by code of ``code``, is kept."""
    return folder / f"{knowledge_base_digest[:24]}-{code[:16]}.json"


class MemoKeeper:
    """Loads (or has built) the memo of every recommender given, in the background.

    ``folders``: each recommender's knowledge-base folder, in the same order (``None``: the shipped one).
    ``busy``: whether the worker has a request in flight; answers are written ahead only while not.
    """

    def __init__(
        self,
        recommenders: Sequence[Recommender],
        folders: Sequence[Path | None],
        data_dir: Path,
        *,
        busy: Callable[[], bool] = lambda: False,
    ) -> None:
        self.folder = data_dir / MEMO_FOLDER
        self._busy = busy
        self._pairs = list(zip(recommenders, folders, strict=True))
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._builders: list[subprocess.Popen[bytes]] = []
        self._lock = threading.Lock()

    @property
    def builders_started(self) -> int:
        """How many builder processes this worker has started."""
        with self._lock:
            return len(self._builders)

    @property
    def builders_running(self) -> int:
        """How many of them are still running."""
        with self._lock:
            return sum(builder.poll() is None for builder in self._builders)

    def start(self) -> None:
        """Start one thread per recommender with a memo; returns at once. A memo folder that cannot
        be made is a warning, not a failure: the worker serves, its memo filling as requests come."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            probe = self.folder / f".probe-{os.getpid()}"
            probe.touch()
            probe.unlink()
            code = code_digest()
        except OSError as exc:
            _event(logging.WARNING, "memo_not_kept", reason=f"the memo folder cannot be written ({exc.strerror})")
            return
        for recommender_, folder in self._pairs:
            if recommender_.memo is None:
                continue
            path = memo_file(self.folder, recommender_.kb.digest, code)
            thread = threading.Thread(
                target=self._keep, args=(recommender_, folder, path), name="memo-keeper", daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def stop(self) -> None:
        """Stop waiting, and stop any builder this worker started (the next start begins it again)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)
        with self._lock:
            for builder in self._builders:
                if builder.poll() is None:
                    builder.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    builder.wait(timeout=10)

    def _keep(self, recommender_: Recommender, folder: Path | None, path: Path) -> None:
        try:
            self._load_or_build(recommender_, folder, path)
        except Exception as exc:  # the worker serves on without it, its memo filling as requests come
            reason = f"{exc.__class__.__name__}: {exc}"
            _event(logging.WARNING, "memo_not_kept", version=recommender_.kb.version, reason=reason)

    def _load_or_build(self, recommender_: Recommender, folder: Path | None, path: Path) -> None:
        version = recommender_.kb.version
        _remove_stale(path)
        lock = _lock_of(path)
        rebuilt = False
        builders = 0
        builder: subprocess.Popen[bytes] | None = None
        while not self._stop.is_set():
            if path.exists():
                started = time.perf_counter()
                try:
                    taken = recommender_.load_memo(path)
                except ValueError as exc:
                    _event(logging.WARNING, "memo_refused", version=version, reason=str(exc))
                    path.unlink(missing_ok=True)
                    if rebuilt:
                        return
                    rebuilt, builder = True, None
                    continue
                elapsed = round((time.perf_counter() - started) * 1000)
                _event(logging.INFO, "memo_loaded", version=version, classes=taken, ms=elapsed)
                _load_answers(recommender_, answers_file(path))
                self._write_answers(recommender_)  # those the file did not hold
                return
            if builder is not None and builder.poll() not in (None, 0):
                _event(logging.WARNING, "memo_not_built", version=version, exit_code=builder.returncode)
                return
            # No builder of ours at work (none yet, or ours found another's lock): start one unless
            # another process holds the lock.
            if (builder is None or builder.poll() == 0) and _lock_free(lock):
                if builders == MAX_BUILDERS:
                    _event(logging.WARNING, "memo_not_built", version=version, reason="no builder wrote it")
                    return
                builder, builders = self._start_builder(folder, path), builders + 1
            self._stop.wait(POLL_SECONDS)

    def _write_answers(self, recommender_: Recommender) -> None:
        """Write every memoised class's answer ahead, :data:`ANSWERS_AT_ONCE` at a time and only
        while no request is in flight, rather than on each class's first request: an idle worker
        started again soon answers as fast as one that has answered the whole space (and holds as
        much memory: see the README), and a busy one is not slowed by this thread (it writes the
        answer of each class on its first request, as without it)."""

        def pause() -> bool:
            time.sleep(0)  # lets a request that has just arrived take the interpreter
            while self._busy():
                if self._stop.wait(ANSWERS_PAUSE_SECONDS):
                    return True
            return self._stop.is_set()

        started = time.perf_counter()
        written = recommender_.write_answers(pause=pause, every=ANSWERS_AT_ONCE)
        elapsed = round((time.perf_counter() - started) * 1000)
        _event(logging.INFO, "answers_written", version=recommender_.kb.version, classes=written, ms=elapsed)

    def _start_builder(self, folder: Path | None, path: Path) -> subprocess.Popen[bytes]:
        # The lowest CPU priority from the first line: the builder's own start competes with no request.
        launcher = "import os, sys, runpy; os.nice(19); runpy.run_module('api.memo_keeper', run_name='__main__')"
        command = [sys.executable, "-c", launcher, str(folder or ""), str(path)]
        with self._lock:
            # A session of its own: a Ctrl-C meant for the server does not interrupt it mid-way (the
            # worker stops it as it stops).
            builder = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True
            )
            self._builders.append(builder)
        return builder


def build(folder: Path | None, path: Path) -> int:
    """Evaluate the whole space of the knowledge base in ``folder`` and write its memo to ``path``;
    the exit code: 0 when the file is there (built now, or by another builder holding the lock)."""
    return 3 if _build(folder, path) is None else 0


def _build(folder: Path | None, path: Path) -> bool | None:
    """:func:`build`, under its lock: True when this call wrote the memo, False when another
    builder had (the lock held before), None when the knowledge base or the code changed since
    ``path`` was named."""
    with _locked(_lock_of(path), wait=True):
        if path.exists():  # built by the builder that held the lock before this one
            return False
        recommender_ = Recommender(load_knowledge_base(folder))
        if memo_file(path.parent, recommender_.kb.digest, code_digest()) != path:
            _event(
                logging.WARNING, "memo_not_built", reason="the knowledge base or code changed since the worker started"
            )
            return None
        started = time.perf_counter()
        recommender_.warm(write_answers=False)  # the outcomes first, then each class's answer
        recommender_.write_answers()
        recommender_.save_answers(answers_file(path))
        recommender_.save_memo(path)  # last: a worker that finds the memo finds the answers beside it
        elapsed = round(time.perf_counter() - started)
        _event(logging.INFO, "memo_built", version=recommender_.kb.version, seconds=elapsed)
        return True


@dataclass(frozen=True)
class Built:
    """One knowledge base's memo after :func:`build_all`: its file, and whether this call found it
    built (``already``: there before, or written meanwhile by a worker's builder it waited for)."""

    version: str
    path: Path
    already: bool
    seconds: float


def build_all(folders: Sequence[Path | None], data_dir: Path) -> list[Built]:
    """Build in ``data_dir`` the memo and answers of the knowledge base in each of ``folders``
    (``None``: the shipped one) that are not there yet, one after another, in this process and at
    its priority (a worker's builder runs the same :func:`build` at the lowest one; its lock is
    shared, so a builder at work is waited for and its file taken), so that the workers started
    afterwards answer from memory from their first request. Every knowledge base is loaded (and
    so checked) before any is built. Stale files of the same knowledge base are removed. A
    :class:`RuntimeError` when a build fails."""
    memo_folder = data_dir / MEMO_FOLDER
    memo_folder.mkdir(parents=True, exist_ok=True)
    code = code_digest()
    bases = [(folder, load_knowledge_base(folder)) for folder in folders]  # a broken one stops all first
    done = []
    for folder, kb in bases:
        path = memo_file(memo_folder, kb.digest, code)
        _remove_stale(path)
        started = time.perf_counter()
        written = _build(folder, path) if not path.exists() else False
        if written is None:
            raise RuntimeError(f"the memo of {kb.version} was not built: its knowledge base changed meanwhile")
        done.append(Built(kb.version, path, not written, time.perf_counter() - started))
    return done


def answers_file(path: Path) -> Path:
    """Where the builder of the memo ``path`` keeps every class's written answer, beside it."""
    return path.with_suffix(".answers")


def _load_answers(recommender_: Recommender, path: Path) -> None:
    """Take the answers written beside the memo (:meth:`recommender.Recommender.load_answers`); a
    missing one is no failure (the worker writes them), one refused is removed."""
    if not path.exists():
        return
    started = time.perf_counter()
    try:
        taken = recommender_.load_answers(path)
    except ValueError as exc:
        _event(logging.WARNING, "answers_refused", version=recommender_.kb.version, reason=str(exc))
        path.unlink(missing_ok=True)
        return
    elapsed = round((time.perf_counter() - started) * 1000)
    _event(logging.INFO, "answers_loaded", version=recommender_.kb.version, classes=taken, ms=elapsed)


def _lock_of(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def _locked(lock: Path, *, wait: bool = False) -> Iterator[bool]:
    """Whether this process holds ``lock`` (exclusively, until the block ends); with ``wait``, it
    waits for it (and always holds it), else it never waits."""
    descriptor = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)


def _lock_free(lock: Path) -> bool:
    with _locked(lock) as mine:
        return mine


def _remove_stale(path: Path) -> None:
    """Remove the memo files of the same knowledge base built by other code (and their locks), and
    what builders that were stopped mid-write left."""
    knowledge_base_part = path.name.split("-", 1)[0]
    for other in path.parent.glob(f"{knowledge_base_part}-*.json"):
        if other != path:
            other.unlink(missing_ok=True)
            _lock_of(other).unlink(missing_ok=True)
    for other in path.parent.glob(f"{knowledge_base_part}-*.answers"):
        if other != answers_file(path):
            other.unlink(missing_ok=True)
    for partial in path.parent.glob(".*.part"):  # .NAME.PID.THREAD.part (Memo.save)
        pid = partial.name.rsplit(".", 3)[-3]
        if pid.isdigit() and not _alive(int(pid)):
            partial.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _event(level: int, event: str, **fields: object) -> None:
    log.log(level, json.dumps({"event": event, **fields}, ensure_ascii=True))


def main(arguments: Sequence[str]) -> int:
    """``python -m api.memo_keeper FOLDER FILE``: :func:`build` (a worker starts it at the lowest CPU priority)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    folder, path = arguments
    try:
        return build(Path(folder) if folder else None, Path(path))
    except BaseException as exc:  # one line in the server's log, never a traceback among its lines
        _event(logging.ERROR, "memo_not_built", reason=f"{exc.__class__.__name__}: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
