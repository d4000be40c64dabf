"""toiles: model, analyse and draw territorial toiles, the actors of a territory and their flows.

The public API is one import away, and nothing heavy loads until it is used::

    import toiles
    toile = toiles.load_toile("ma-toile/")
    G = toiles.graph_from_toile(toile)
    toiles.analysis.existing_loops(G)
    toiles.viz.show(toile)  # inline in a notebook
    toiles.io.export_toile(toile, "gexf", "ma-toile.gexf")

The submodules (:mod:`toiles.analysis`, :mod:`toiles.viz`, :mod:`toiles.io`,
:mod:`toiles.loaders`, :mod:`toiles.graph`, ...) and the functions re-exported here are
imported on first access (PEP 562), so ``import toiles`` stays fast and loads neither
pandas, matplotlib, igraph nor fastapi.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what the lazy attributes are, for type checkers and editors
    from toiles import access as access
    from toiles import analysis as analysis
    from toiles import errors as errors
    from toiles import graph as graph
    from toiles import graph_db as graph_db
    from toiles import io as io
    from toiles import loaders as loaders
    from toiles import models as models
    from toiles import settings as settings
    from toiles import text as text
    from toiles import viz as viz
    from toiles.graph import graph_from_toile as graph_from_toile
    from toiles.graph import toile_from_graph as toile_from_graph
    from toiles.loaders import load_toile as load_toile
    from toiles.loaders import save_toile as save_toile
    from toiles.models import Actor as Actor
    from toiles.models import Flow as Flow
    from toiles.models import Toile as Toile

__version__ = "0.1.0"

__all__ = [  # noqa: RUF022  # modules, then functions and classes
    "access",
    "analysis",
    "errors",
    "graph",
    "graph_db",
    "io",
    "loaders",
    "models",
    "settings",
    "text",
    "viz",
    "Actor",
    "Flow",
    "Toile",
    "graph_from_toile",
    "load_toile",
    "save_toile",
    "toile_from_graph",
]

#: Public submodules, imported on first access.
_SUBMODULES = frozenset(__all__[:11])
#: Public functions and classes re-exported here, and the submodule that defines them.
_ATTRIBUTES: dict[str, str] = {
    "load_toile": "toiles.loaders",
    "save_toile": "toiles.loaders",
    "graph_from_toile": "toiles.graph",
    "toile_from_graph": "toiles.graph",
    "Actor": "toiles.models",
    "Flow": "toiles.models",
    "Toile": "toiles.models",
}


def __getattr__(name: str) -> object:
    """Import a public submodule or attribute on first access (PEP 562)."""
    if name in _SUBMODULES:
        value: object = importlib.import_module(f"toiles.{name}")
    elif name in _ATTRIBUTES:
        value = getattr(importlib.import_module(_ATTRIBUTES[name]), name)
    else:
        msg = f"module 'toiles' has no attribute '{name}'"
        raise AttributeError(msg)
    globals()[name] = value  # cached: later accesses are plain attribute reads
    return value


def __dir__() -> list[str]:
    """The public names, loaded or not (for completion in notebooks and editors)."""
    return sorted({*__all__, "__version__"})
