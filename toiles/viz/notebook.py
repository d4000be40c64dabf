"""Toiles in notebooks: the interactive page inline in Jupyter, and a styled pyvis network.

- :func:`show` returns a :class:`ToileView`, which Jupyter (and any front end that knows
  ``_repr_html_``: JupyterLab, VS Code, Colab) displays inline: the same self-contained page
  as ``toiles render --format html`` (vis-network inlined, no request leaves it), in its
  compact *embed* variant, inside a sandboxed ``<iframe srcdoc>``. Nothing here imports
  IPython: the object only has to answer ``_repr_html_``. A :class:`~toiles.models.Toile`
  shows itself the same way when it is the last expression of a cell.
- :func:`to_pyvis` gives the toile as a :class:`pyvis.network.Network`, styled like the page
  (colours, shapes, sizes, positions, widths, dashes, escaped tooltips), for people who want
  pyvis's own API (``net.show_buttons()``, ``net.write_html(...)``). pyvis's own template
  loads Bootstrap from a CDN: for an offline page, use :func:`show` or ``render``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx
    from pyvis.network import Network

    from toiles.models.toile import Toile
    from toiles.viz.style import Highlight

#: Height of the inline view in a notebook, in pixels.
NOTEBOOK_HEIGHT = 620
#: Largest actor radius in pyvis (pixels); the scene's radii are scaled to it.
_PYVIS_MAX_SIZE = 40.0


@dataclass(frozen=True)
class ToileView:
    """A toile's interactive page, ready to be displayed inline in a notebook.

    Attributes
    ----------
    page
        The whole self-contained HTML page (also what :meth:`save` writes).
    title
        The toile's title, for the frame's accessible name.
    height
        Height of the inline frame, in pixels.
    """

    page: str
    title: str = "Toile"
    height: int = NOTEBOOK_HEIGHT

    def _repr_html_(self) -> str:
        """The page in a sandboxed ``<iframe srcdoc>``: scripts run, nothing else is allowed."""
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
            f'title="{html.escape(self.title, quote=True)}" sandbox="allow-scripts" '
            f'style="width: 100%; height: {int(self.height)}px; border: 1px solid #ddd;" '
            'loading="lazy"></iframe>'
        )

    def save(self, path: Path | str) -> Path:
        """Write the page to a file (to share it, or open it outside the notebook)."""
        out = Path(path)
        out.write_text(self.page, encoding="utf-8")
        return out


def show(  # noqa: PLR0913  # the options of `toiles render`, all keyword-only
    G: nx.MultiDiGraph[str] | Toile,
    *,
    lang: str = "fr",
    size_by: str = "throughflow",
    group_by: str | None = None,
    highlight: Highlight | str | None = None,
    public: bool = False,
    layout: str = "auto",
    seed: int = 0,
    embed: bool = True,
    height: int = NOTEBOOK_HEIGHT,
) -> ToileView:
    """Show a toile (or its graph) inline in a notebook: the last expression of a cell.

    Takes the options of :func:`toiles.viz.render` for the ``html`` format; ``embed``
    (default true) gives the compact page that fits a notebook's width.

    Returns
    -------
    ToileView
        An object Jupyter displays inline (``_repr_html_``); ``.page`` is the HTML page.

    Raises
    ------
    VisualError
        For an unknown option value.

    Examples
    --------
    >>> from toiles.synthetic import example_toile
    >>> view = show(example_toile())
    >>> view._repr_html_().startswith("<iframe srcdoc=")
    True
    """
    from toiles.viz import prepare_view  # noqa: PLC0415  # the package imports this module
    from toiles.viz.html import html_page  # noqa: PLC0415
    from toiles.viz.style import toile_title  # noqa: PLC0415

    graph, overlay, language = prepare_view(
        G, lang=lang, group_by=group_by, highlight=highlight, public=public, layout=layout
    )
    page = html_page(
        graph,
        lang=language,
        size_by=size_by,
        highlight=overlay,
        layout=layout,
        seed=seed,
        public=public,
        embed=embed,
    )
    return ToileView(page, title=toile_title(graph, lang=language), height=height)


def to_pyvis(  # noqa: PLR0913  # keyword-only options of a visual
    G: nx.MultiDiGraph[str] | Toile,
    *,
    lang: str = "fr",
    size_by: str = "throughflow",
    group_by: str | None = None,
    public: bool = False,
    layout: str = "auto",
    seed: int = 0,
    height: str = "700px",
    notebook: bool = False,
) -> Network:
    """Return a toile as a :class:`pyvis.network.Network`, styled like the toile's page.

    Each actor keeps its colour, shape, size (radius scaled to at most 40 px), position
    (physics off, so the drawing stays as laid out) and a tooltip; each flow its colour,
    width, dashes (potential, planned) and a tooltip with its kind and quantity. Tooltips
    have ``&``, ``<`` and ``>`` escaped, so that pyvis's template, which writes them as
    HTML when one of them mentions "href", cannot run anything a name contains.

    Parameters
    ----------
    G
        A toile or its graph.
    lang, size_by, group_by, public, layout, seed
        As for :func:`toiles.viz.render`.
    height
        Height of the pyvis canvas (CSS).
    notebook
        Passed to pyvis (its own notebook mode).

    Returns
    -------
    pyvis.network.Network
        Directed, one node per actor (id = actor id) and one edge per flow.

    Examples
    --------
    >>> from toiles.synthetic import example_toile
    >>> net = to_pyvis(example_toile())
    >>> len(net.nodes) > 0, net.directed
    (True, True)
    """
    from pyvis.network import Network  # noqa: PLC0415  # loaded on use only

    from toiles.viz import prepare_view  # noqa: PLC0415
    from toiles.viz.scene import build_scene  # noqa: PLC0415

    graph, _, language = prepare_view(
        G, lang=lang, group_by=group_by, highlight=None, public=public, layout=layout
    )
    scene = build_scene(
        graph, lang=language, size_by=size_by, layout=layout, seed=seed, headline=False
    )
    largest = max((n.radius for n in scene.nodes), default=1.0) or 1.0
    net = Network(
        height=height,
        width="100%",
        directed=True,
        notebook=notebook,
        cdn_resources="in_line",
        heading="",
    )
    for node in scene.nodes:  # business parks drawn as areas on the page are nodes here
        net.add_node(
            node.id,
            label=node.label,
            title=_tooltip(node.name, node.summary),
            color=node.color,
            shape=node.shape,
            size=round(8 + _PYVIS_MAX_SIZE * node.radius / largest, 2),
            x=round(node.x, 1),
            y=round(node.y, 1),
            physics=False,
        )
    for edge in scene.edges:
        net.add_edge(
            edge.source,
            edge.target,
            title=_tooltip(_flow_words(edge.kind, language), edge.quantity),
            color=edge.color,
            width=edge.width,
            dashes=edge.dashes,
            arrows="to",
        )
    net.toggle_physics(status=False)
    return net


def _flow_words(kind: str, lang: str) -> str:
    from toiles.text import vocab_label  # noqa: PLC0415

    return vocab_label("flow_kind", kind, "en" if lang == "en" else "fr")


def _tooltip(*lines: str) -> str:
    """Text lines with ``&``, ``<`` and ``>`` escaped, for pyvis's two kinds of tooltips.

    vis-network writes a text title as text, but pyvis's template switches every tooltip to
    ``innerHTML`` as soon as one title contains "href": escaped, a name can never become
    markup there. Quotes stay as they are (they are harmless in text, and French names are
    full of apostrophes that vis-network would otherwise show as ``&#x27;``).
    """
    return "\n".join(html.escape(line, quote=False) for line in lines if line)
