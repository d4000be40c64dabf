"""A cache of the interactive pictures drawn for the toile pages.

Drawing a toile's page (:func:`toiles.viz.render`, layout included) takes seconds for a
5,000-actor toile, while reading the toile from the store takes a fraction of that. Pages
are kept by what determines them: a hash of the toile as the visitor may see it (so any
change of the data, through the web pages, the API or the command line, gives a new
key, and two roles that see different data never share an entry), and the drawing
options. The least recently used pictures go first once ``max_bytes`` is reached.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from toiles.models.toile import Toile

#: Bytes of pictures kept (a 5,000-actor page weighs about 3 MB).
MAX_BYTES = 64 * 1024 * 1024


def toile_fingerprint(toile: Toile) -> str:
    """A hash of everything a toile holds (as redacted for its reader)."""
    return hashlib.sha256(toile.model_dump_json().encode()).hexdigest()


@dataclass
class PictureCache:
    """Pictures by key, least recently used dropped first (thread-safe)."""

    max_bytes: int = MAX_BYTES
    _items: OrderedDict[str, bytes] = field(default_factory=OrderedDict)
    _size: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get_or_draw(self, key: str, draw: Callable[[], bytes]) -> bytes:
        """The picture kept under ``key``, or the one ``draw`` makes (then kept)."""
        with self._lock:
            content = self._items.get(key)
            if content is not None:
                self._items.move_to_end(key)
                return content
        content = draw()  # outside the lock: other pictures are served meanwhile
        with self._lock:
            if key not in self._items and len(content) <= self.max_bytes:
                self._items[key] = content
                self._size += len(content)
                while self._size > self.max_bytes:
                    _, dropped = self._items.popitem(last=False)
                    self._size -= len(dropped)
        return content
