"""The one module that talks to durable_rules.

It compiles the knowledge base's rules into a durable_rules ruleset and evaluates profiles on
it. durable_rules keeps global state that is not thread-safe, so this adapter:

* creates one host per process, without durable's background dispatcher threads (they would
  race with our synchronous evaluations; we use no timers);
* serialises every engine call with one lock (scale with processes, not threads), held for one
  evaluation at a time and handed to waiters first come, first served, bulk work
  (:func:`recommender.engine.base.bulk`: a what-if, a batch) after every waiting single
  request: long work takes its turn per evaluation, so a single request waits behind at most
  one evaluation of it, never behind a whole batch;
* names a ruleset by the knowledge base's digest, registering each digest once per process
  (durable cannot unregister a ruleset; reloading means restarting the worker);
* uses a fresh session id per evaluation and always deletes its state (at most 1,024 live
  session ids per ruleset);
* records which rules fired from inside each rule's action (durable has no trace), and
  translates every exception durable raises into :class:`~recommender.errors.EngineError`
  (``decide``, the caller's own code, raises what it raises).
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any

from durable import engine as durable_engine

from recommender.engine.base import Decide, Scalar, in_bulk
from recommender.errors import EngineError
from recommender.kb.knowledge_base import KnowledgeBase
from recommender.kb.models import Comparison, Condition, Rule

#: A fact kind never asserted: the catch-all rules wait for it, so they accept facts but never fire.
_NEVER = "never_asserted"
_COMPARISON_OPS = {"lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}
#: How durable reports ERR_SID_NOT_FOUND on delete: the session never got any state, so none is live.
_NO_SUCH_SESSION = "error code: 309"


class _Host(durable_engine.Host):  # type: ignore[misc]
    """A durable host without the background dispatcher: every action runs in the caller."""

    def _run(self) -> None:
        return None


class _Firings:
    """The rules fired in the current evaluation, in firing order, each once."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.seen: set[str] = set()

    def reset(self) -> None:
        self.order = []
        self.seen = set()

    def first(self, rule_id: str) -> bool:
        if rule_id in self.seen:
            return False
        self.seen.add(rule_id)
        self.order.append(rule_id)
        return True


class FairLock:
    """A lock handed to its waiters in the order they came, those doing bulk work
    (:func:`~recommender.engine.base.in_bulk`) after all the others. ``threading.Lock`` is not
    fair: the thread releasing it usually takes it straight back, and a loop of evaluations
    starves the others.

    Example:
        >>> lock = FairLock()
        >>> with lock:
        ...     lock.locked()
        True
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Lock] = deque()
        self._bulk_waiters: deque[threading.Lock] = deque()

    def locked(self) -> bool:
        return self._held

    def __enter__(self) -> None:
        with self._guard:
            if not self._held:
                self._held = True
                return
            turn = threading.Lock()
            turn.acquire()
            (self._bulk_waiters if in_bulk() else self._waiters).append(turn)
        turn.acquire()  # released by the holder handing the lock over: it stays held, now ours

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        with self._guard:
            waiting = self._waiters or self._bulk_waiters
            if waiting:
                waiting.popleft().release()
            else:
                self._held = False


_LOCK = FairLock()
_host: _Host | None = None
_registered: dict[str, _Firings] = {}
_session_ids = itertools.count(1)
_live_sessions = 0


def _get_host() -> _Host:
    global _host
    if _host is None:
        _host = _Host()
    return _host


def ruleset_name(kb: KnowledgeBase) -> str:
    """The durable ruleset name for a knowledge base: fixed by its content digest."""
    return f"partnership_{kb.digest[:20]}"


def compile_ruleset(kb: KnowledgeBase, firings: _Firings) -> dict[str, Any]:
    """Translate the rule data into a durable_rules ruleset definition (JSON plus actions)."""
    definition: dict[str, Any] = {}
    for index, rule in enumerate(kb.rules):
        definition[f"r{index:03d}"] = {"all": _patterns(rule), "run": _action(rule, firings)}
    # Catch-alls: every fact is handled (durable raises for a fact no pattern accepts), even one
    # that no rule of this edition matches. Each joins a fact kind that is never asserted, so it
    # never fires: a firing catch-all cost a Python action per fact, about a quarter of an
    # evaluation (326 -> 234 us measured on one profile).
    for kind in ("profile", "fact", "decision"):
        definition[f"sink_{kind}"] = {"all": [{"m": {"kind": kind}}, {"never": {"kind": _NEVER}}], "run": _ignore}
    return definition


def _patterns(rule: Rule) -> list[dict[str, Any]]:
    when = rule.when
    patterns: list[dict[str, Any]] = []
    tests = [_test(field, condition) for field, condition in sorted(when.profile.items())]
    if tests or not (when.facts or when.initiation):
        patterns.append({"p": {"$and": [{"kind": "profile"}, *tests]}})
    for position, fact in enumerate(when.facts):
        patterns.append({f"f{position}": {"$and": [{"kind": "fact"}, {"name": fact}]}})
    if when.initiation is not None:
        patterns.append({"d": {"$and": [{"kind": "decision"}, {"initiation": when.initiation}]}})
    return patterns


def _test(field: str, condition: Condition) -> dict[str, Any]:
    if isinstance(condition, Comparison):
        op, value = condition.bound()
        return {_COMPARISON_OPS[op]: {field: value}}
    if isinstance(condition, list):
        return {"$or": [{field: value} for value in condition]}
    return {field: condition}


def _action(rule: Rule, firings: _Firings) -> Callable[[Any], None]:
    rule_id = rule.id
    derived = tuple(rule.then.derive)

    def action(c: Any) -> None:
        # A rule joined with a fact that several rules derive matches once per derivation;
        # it counts, and derives, once.
        if firings.first(rule_id):
            for fact in derived:
                c.assert_fact({"kind": "fact", "name": fact, "by": rule_id})

    return action


def _ignore(c: Any) -> None:
    return None


class DurableEvaluator:
    """Evaluates profiles on the knowledge base compiled into durable_rules.

    Example:
        >>> from recommender.kb import load_knowledge_base
        >>> evaluator = DurableEvaluator(load_knowledge_base())
        >>> "success_components" in evaluator.evaluate(profile, lambda fired: ["agency"])  # doctest: +SKIP
        True
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.name = ruleset_name(kb)
        with _LOCK:
            host = _get_host()
            firings = _registered.get(self.name)
            if firings is None:
                firings = _Firings()
                try:
                    host.register_rulesets({self.name: compile_ruleset(kb, firings)})
                except Exception as exc:
                    raise EngineError(f"durable_rules rejected the compiled ruleset: {exc}") from exc
                _registered[self.name] = firings
        self._firings = firings

    def evaluate(self, profile: Mapping[str, Scalar], decide: Decide) -> list[str]:
        global _live_sessions
        with _LOCK:
            host = _get_host()
            sid = str(next(_session_ids))
            self._firings.reset()
            _live_sessions += 1
            try:
                self._assert(host, {**profile, "sid": sid, "kind": "profile"})
                for mode in decide(list(self._firings.order)):
                    self._assert(host, {"sid": sid, "kind": "decision", "initiation": mode})
                return list(self._firings.order)
            finally:
                self._firings.reset()
                try:
                    host.delete_state(self.name, sid)
                except Exception as exc:
                    if not str(exc).endswith(_NO_SUCH_SESSION):  # pragma: no cover - durable failing to free a session
                        raise EngineError(f"could not delete durable session {sid}: {exc}") from exc
                _live_sessions -= 1

    def _assert(self, host: _Host, fact: dict[str, Any]) -> None:
        try:
            host.assert_fact(self.name, fact)
        except (durable_engine.MessageNotHandledException, durable_engine.MessageObservedException) as exc:
            raise EngineError(f"durable_rules did not accept a fact: {exc}") from exc
        except Exception as exc:
            raise EngineError(f"durable_rules failed on a {fact['kind']} fact: {exc}") from exc


def live_sessions() -> int:
    """Session ids opened and not yet deleted, across this process (0 between evaluations)."""
    with _LOCK:
        return _live_sessions


def registered_rulesets() -> Sequence[str]:
    """Names of the rulesets registered in this process."""
    with _LOCK:
        return tuple(_registered)
