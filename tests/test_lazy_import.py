"""``import toiles`` is light: the public API loads on first use (PEP 562)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import toiles

#: Libraries too heavy to load before they are used.
HEAVY = ("matplotlib", "pandas", "igraph", "fastapi")


def _imported(code: str) -> set[str]:
    """Top-level names of the modules a fresh interpreter imports while running ``code``."""
    done = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def test_import_toiles_loads_no_heavy_module():
    loaded = _imported("import toiles")
    assert "toiles" in loaded
    assert not loaded & set(HEAVY)
    # Not even the light dependencies: `import toiles` is the package's own file only.
    assert not loaded & {"networkx", "pydantic", "numpy", "yaml", "rich", "typer"}


def test_public_api_loads_no_heavy_module_until_used():
    code = (
        "import sys, toiles\n"
        "toiles.load_toile, toiles.graph_from_toile, toiles.analysis, toiles.viz, toiles.io\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    loaded = _imported(code)
    assert {"networkx", "pydantic"} <= loaded  # the API is really there
    assert not loaded & set(HEAVY)


def test_lazy_attributes_are_the_real_ones():
    from toiles.graph import graph_from_toile
    from toiles.loaders.files import load_toile
    from toiles.models.toile import Toile

    assert toiles.load_toile is load_toile
    assert toiles.graph_from_toile is graph_from_toile
    assert toiles.Toile is Toile
    assert toiles.viz.render.__module__ == "toiles.viz"
    assert {"analysis", "io", "load_toile", "viz"} <= set(dir(toiles))


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = toiles.nothing  # type: ignore[attr-defined]
