"""The history of the changes made through the web application: who, when, what.

Kept in the memory of the serving process (newest first, the last 1,000 changes): the
store itself keeps no edit history yet, so the history starts again when the server
restarts.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import deque
from dataclasses import dataclass, field

#: Changes kept; older ones are dropped first.
HISTORY_SIZE = 1000


@dataclass(frozen=True)
class Change:
    """One change: when, by whom (key name and role), on which toile version, and what."""

    when: dt.datetime
    who: str
    role: str
    toile_id: str
    version: str
    what: str


@dataclass
class EditHistory:
    """The changes of one serving process, newest first (thread-safe)."""

    _changes: deque[Change] = field(default_factory=lambda: deque(maxlen=HISTORY_SIZE))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, *, who: str, role: str, toile_id: str, version: str, what: str) -> Change:
        """Record a change made now; return it."""
        change = Change(dt.datetime.now(dt.UTC), who, role, toile_id, version, what)
        with self._lock:
            self._changes.appendleft(change)
        return change

    def changes(self, toile_id: str | None = None) -> list[Change]:
        """The changes, newest first; only one toile's with ``toile_id``."""
        with self._lock:
            return [c for c in self._changes if toile_id is None or c.toile_id == toile_id]
