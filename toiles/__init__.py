"""toiles: model, analyse and draw territorial toiles, the actors of a territory and their flows.

Import what you need from the public modules::

    from toiles import loaders, graph_db, graph
    toile = loaders.load_toile("ma-toile/")
    G = graph.graph_from_toile(toile)
"""

from __future__ import annotations

from toiles import access as access
from toiles import errors as errors
from toiles import graph as graph
from toiles import graph_db as graph_db
from toiles import loaders as loaders
from toiles import models as models
from toiles import settings as settings

__version__ = "0.1.0"
