"""Analyses of the API: in child processes, with a time and memory budget, results cached.

A thread cannot be stopped, and an analysis (simple cycles of a dense toile, communities of
30,000 actors) can run for minutes and grow by hundreds of MB: run in the server's own
process, it holds a thread, memory and the GIL long after its client has given up, and a
few of them make ``/healthz`` time out. :class:`AnalysisRunner` runs each analysis in a
child process instead (forked from a small server process that has already imported the
analyses, so a start costs milliseconds), waits for it from a thread outside the routes'
pool, and kills it when its time budget runs out or its memory passes the cap: the caller
gets a 503 with a French message and nothing keeps computing. At most ``processes``
analyses run at once; a request that cannot get a slot within its budget gets the same 503.

The child opens the store by itself (:func:`store_opener`) and builds the toile's graph there:
building a 30,000-actor graph takes seconds of Python (11 s measured), which in the server's
process would hold the GIL and slow every other request. Imports run the same way.

Results are kept (least recently used first out) per toile version, reader's visibility,
report and options, so that a repeated request costs a lookup.
"""

from __future__ import annotations

import contextlib
import functools
import math
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import anyio
import anyio.to_thread

from toiles.errors import AnalysisError, OverBudget, ToilesError
from toiles.text import format_number

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable
    from multiprocessing.connection import Connection
    from multiprocessing.context import ForkServerContext, SpawnContext

    from pydantic import BaseModel

    from toiles.graph_db.base import ToileStore

T = TypeVar("T")

_POLL_S = 0.05
CHILD_NICENESS = 10
"""Scheduling priority given up by the analyses' and imports' children (POSIX ``nice``)."""
#: How a stopped child's work is named in the French messages: (stopped, interrupted, failed).
_WORDS = {
    "analyse": ("analyse arrêtée", "analyse interrompue", "analyse en échec"),
    "import": ("import arrêté", "import interrompu", "import en échec"),
}


def _seconds(duration: float) -> str:
    """A budget in seconds as French text, two significant digits (``0.05`` -> ``0,05``)."""
    return format_number(float(f"{max(duration, 0.0):.2g}"))


def _preload() -> list[str]:
    """Modules the fork server imports once, so that no child imports them again.

    A child unpickles the analyses, the loaders and the routes that call them; it also runs
    the body of the server's main module again (``multiprocessing`` does so in every child),
    which costs a second when that module's imports are not already loaded: ``toiles serve``
    (``toiles.cli``) and whatever module started the process.
    """
    modules = ["toiles.analysis", "toiles.api.app", "toiles.cli"]
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    name = getattr(spec, "name", None)
    if isinstance(name, str) and name not in modules and not name.endswith("__main__"):
        modules.append(name)
    return modules


def store_opener(store: ToileStore) -> Callable[[], ToileStore] | None:
    """A picklable function that opens the same store in another process, or None.

    SQLite: the same file. Neo4j: the same server, database and credentials. Any other store
    (a test double) has none: the caller then reads it in its own process.
    """
    from toiles.graph_db.sqlite import SQLiteStore  # noqa: PLC0415

    if isinstance(store, SQLiteStore):
        return functools.partial(SQLiteStore, store.path)
    if type(store).__name__ == "Neo4jStore":
        from toiles.graph_db.neo4j import Neo4jStore  # noqa: PLC0415

        assert isinstance(store, Neo4jStore)  # noqa: S101  # checked by name to import lazily
        return functools.partial(
            Neo4jStore,
            store.uri,
            user=store.user,
            password=store._password,  # noqa: SLF001  # the same credentials, in memory only
            database=store.database,
            batch_size=store.batch_size,
            timeout_s=store.timeout_s,
            connect_timeout_s=store.connect_timeout_s,
        )
    return None


def with_store(opener: Callable[[], ToileStore], function: Callable[..., T], *args: object) -> T:
    """Open the store, run ``function(store, *args)``, close the store (in the child)."""
    store = opener()
    try:
        return function(store, *args)
    finally:
        close = getattr(store, "close", None)
        if close is not None:
            close()


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _child(
    conn: Connection,
    function: Callable[..., object],
    args: tuple[object, ...],
    budget_s: float | None = None,
) -> None:
    """Run ``function(*args)`` and send back ``("ok", result)`` or ``("error", exception)``.

    With ``budget_s``, the child also stops itself a second after its budget (``SIGALRM``),
    should the server that watches it be gone (stopped, killed) meanwhile.
    """
    if budget_s is not None and hasattr(signal, "alarm"):
        signal.alarm(max(1, math.ceil(budget_s) + 1))
    if hasattr(os, "nice"):  # the server's own requests (/healthz...) come first on the CPU
        with contextlib.suppress(OSError):
            os.nice(CHILD_NICENESS)
    try:
        result: object = ("ok", function(*args))
    except ToilesError as exc:
        try:
            same = str(pickle.loads(pickle.dumps(exc))) == str(exc)  # noqa: S301  # our own bytes
        except Exception:  # noqa: BLE001  # any exception that does not survive pickling
            same = False
        result = ("error", exc if same else AnalysisError(str(exc)))
    except Exception as exc:  # noqa: BLE001  # a bug: reported by its name, as the API does
        result = ("bug", type(exc).__name__)
    conn.send(result)
    conn.close()


def _rss_bytes(pid: int) -> int:
    """Resident memory of a process (Linux ``/proc``; 0 where it cannot be read)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:  # noqa: PTH123
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


class AnalysisRunner:
    """Run analyses in killable child processes, a few at once, and keep their results.

    Parameters
    ----------
    processes
        Analyses that may run at once.
    timeout_s
        Time budget of one request: waiting for a slot plus computing.
    max_memory_mb
        Resident memory above which a child is killed.
    cache_size
        Results kept (0: none).
    """

    def __init__(
        self,
        *,
        processes: int = 2,
        timeout_s: float = 10.0,
        max_memory_mb: float = 700.0,
        cache_size: int = 256,
    ) -> None:
        self.processes = processes
        self.timeout_s = timeout_s
        self.max_memory = int(max_memory_mb * 1_000_000)
        self.cache_size = cache_size
        self._slots = threading.BoundedSemaphore(processes)
        # Waiting threads of their own: a slow analysis never takes a thread of the routes.
        self._threads = anyio.CapacityLimiter(processes * 8)
        self._cache: OrderedDict[Hashable, BaseModel] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._running: set[int] = set()
        self._context: SpawnContext | ForkServerContext
        if "forkserver" in multiprocessing.get_all_start_methods():
            self._context = multiprocessing.get_context("forkserver")
            self._context.set_forkserver_preload(_preload())
        else:  # Windows
            self._context = multiprocessing.get_context("spawn")

    def start(self) -> None:
        """Start the process that forks the analyses (seconds: it imports them), if not yet."""
        if self._context.get_start_method() == "forkserver":
            # The server imports the analyses before it forks the first child: wait for it.
            process = self._context.Process(target=int, daemon=True)
            process.start()
            process.join()
            process.close()

    def stop(self) -> None:
        """Kill the analyses still running (the server is stopping)."""
        for pid in self.running:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    @property
    def running(self) -> frozenset[int]:
        """Process ids of the analyses computing now."""
        return frozenset(self._running)

    def cached(self, key: Hashable) -> BaseModel | None:
        """The result kept for ``key``, or None."""
        with self._cache_lock:
            result = self._cache.get(key)
            if result is not None:
                self._cache.move_to_end(key)
            return result

    def _keep(self, key: Hashable, result: BaseModel) -> None:
        if self.cache_size == 0:
            return
        with self._cache_lock:
            self._cache[key] = result
            self._cache.move_to_end(key)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def run_blocking(
        self,
        function: Callable[..., BaseModel],
        *args: object,
        deadline: float,
        task: Literal["analyse", "import"] = "analyse",
    ) -> BaseModel:
        """Run ``function(*args)`` in a child process; stop it at ``deadline`` (monotonic).

        ``task`` (``analyse`` or ``import``) names the work in the French messages.

        Raises
        ------
        OverBudget
            When no slot frees up in time, or the child runs out of time or memory.
        """
        if not self._slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            msg = "trop d'analyses en cours : réessayez dans un moment"
            raise OverBudget(msg)
        try:
            return self._run_child(function, args, deadline, _WORDS[task])
        finally:
            self._slots.release()

    def _run_child(
        self,
        function: Callable[..., BaseModel],
        args: tuple[object, ...],
        deadline: float,
        words: tuple[str, str, str],
    ) -> BaseModel:
        stopped, interrupted, failed = words
        budget = deadline - time.monotonic()
        receiver, sender = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=_child, args=(sender, function, args, budget), daemon=True
        )
        process.start()
        sender.close()
        pid = process.pid or 0
        self._running.add(pid)
        reason = ""
        try:
            while not receiver.poll(_POLL_S):
                if time.monotonic() > deadline:
                    reason = f"{stopped} : plus de {_seconds(budget)} s de calcul"
                    break
                if not process.is_alive():
                    reason = f"{interrupted} (processus de calcul arrêté)"
                    break
                if process.pid is not None and _rss_bytes(process.pid) > self.max_memory:
                    reason = f"{stopped} : plus de {self.max_memory // 1_000_000} Mo de mémoire"
                    break
            if reason:
                raise OverBudget(reason)
            try:
                kind, payload = receiver.recv()
            except (EOFError, OSError) as exc:
                msg = f"{interrupted} (processus de calcul arrêté)"
                raise OverBudget(msg) from exc
        finally:
            receiver.close()
            if process.is_alive():
                process.kill()
            process.join(timeout=5)
            self._running.discard(pid)
            with contextlib.suppress(ValueError):
                process.close()
        if kind == "error":
            raise payload
        if kind == "bug":
            msg = f"{failed} ({payload})"
            raise RuntimeError(msg)
        result: BaseModel = payload
        return result

    def run_kept(
        self,
        key: Hashable,
        function: Callable[..., BaseModel],
        *args: Any,  # noqa: ANN401
    ) -> BaseModel:
        """From a thread: the kept result for ``key``, or ``function(*args)`` within budget.

        Raises
        ------
        OverBudget
            When the budget runs out (the child is killed then).
        """
        result = self.cached(key)
        if result is None:
            deadline = time.monotonic() + self.timeout_s
            result = self.run_blocking(function, *args, deadline=deadline)
            self._keep(key, result)
        return result

    async def run_once(
        self,
        function: Callable[..., BaseModel],
        *args: Any,  # noqa: ANN401
        timeout_s: float,
    ) -> BaseModel:
        """Run an import, ``function(*args)``, in a child within ``timeout_s``; nothing kept.

        Raises
        ------
        OverBudget
            When the budget runs out (the child is killed then).
        """
        deadline = time.monotonic() + timeout_s
        with anyio.move_on_after(timeout_s + 1.0):
            return await anyio.to_thread.run_sync(
                lambda: self.run_blocking(function, *args, deadline=deadline, task="import"),
                limiter=self._threads,
                abandon_on_cancel=True,
            )
        msg = f"import arrêté : plus de {_seconds(timeout_s)} s"
        raise OverBudget(msg)

    async def run(
        self,
        key: Hashable,
        function: Callable[..., BaseModel],
        *args: Any,  # noqa: ANN401
    ) -> BaseModel:
        """Return the kept result for ``key``, or compute it within the time budget.

        Raises
        ------
        OverBudget
            When the budget runs out (the child is killed then).
        """
        result = self.cached(key)
        if result is not None:
            return result
        deadline = time.monotonic() + self.timeout_s
        with anyio.move_on_after(self.timeout_s + 1.0):
            result = await anyio.to_thread.run_sync(
                lambda: self.run_blocking(function, *args, deadline=deadline),
                limiter=self._threads,
                abandon_on_cancel=True,
            )
        if result is None:
            msg = f"analyse arrêtée : plus de {_seconds(self.timeout_s)} s d'attente"
            raise OverBudget(msg)
        self._keep(key, result)
        return result
