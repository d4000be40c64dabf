"""The one YAML reader of toiles: plain data only, no aliases, bounded size and depth.

YAML aliases let a few hundred bytes stand for gigabytes once expanded (the "billion laughs"
bomb). A ``toile.yaml`` never needs them, so :func:`load_yaml` refuses any anchor or alias
as soon as the parser meets it, before anything is built, and refuses documents larger or
deeper than a description file can sensibly be.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_YAML_BYTES = 1_000_000
"""Largest ``toile.yaml`` accepted (characters): a description, not data."""

MAX_YAML_DEPTH = 50
"""Deepest nesting of lists and mappings accepted."""


class YamlRefused(yaml.YAMLError):
    """A YAML document refused before it was built, with a French reason and its line."""

    def __init__(self, problem: str, line: int | None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


class _PlainLoader(yaml.SafeLoader):
    """A safe loader that refuses anchors and aliases and bounds the nesting depth."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.AliasEvent):
            msg = "alias YAML (*nom) refusé : écrire chaque valeur en entier"
            raise YamlRefused(msg, line)
        if getattr(event, "anchor", None) is not None:
            msg = "ancre YAML (&nom) refusée : écrire chaque valeur en entier"
            raise YamlRefused(msg, line)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                msg = f"YAML trop imbriqué (plus de {MAX_YAML_DEPTH} niveaux)"
                raise YamlRefused(msg, line)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str) -> Any:  # noqa: ANN401  # YAML is any plain data
    r"""Parse one YAML document made of plain data: no anchor, no alias, bounded size.

    Parameters
    ----------
    text
        The document.

    Returns
    -------
    Any
        What :func:`yaml.safe_load` would return.

    Raises
    ------
    yaml.YAMLError
        When the document is not valid YAML; :class:`YamlRefused` (a subclass) when it is
        too large, too deep, or uses an anchor or an alias.

    Examples
    --------
    >>> load_yaml("id: t\nname: Toile")
    {'id': 't', 'name': 'Toile'}
    >>> load_yaml("a: &x [1]\nb: *x")
    Traceback (most recent call last):
    ...
    toiles.loaders._yaml.YamlRefused: ancre YAML (&nom) refusée : écrire chaque valeur en entier
    """
    if len(text) > MAX_YAML_BYTES:
        msg = f"fichier YAML trop gros ({len(text)} caractères, {MAX_YAML_BYTES} au plus)"
        raise YamlRefused(msg, None)
    loader = _PlainLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
