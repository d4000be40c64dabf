"""Shared helpers of the Open Data importer tests: fixture paths and a round trip check."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from toiles.loaders import validate_toile
from toiles.loaders.opendata import write_toile_folder

if TYPE_CHECKING:
    from toiles.models import Toile

OPENDATA = Path(__file__).parents[2] / "fixtures" / "opendata"


def round_trip(toile: Toile, folder: Path) -> Toile:
    """Write the toile as a folder and check ``validate_toile`` accepts it with no error."""
    out = write_toile_folder(toile, folder / toile.id)
    report = validate_toile(out)
    assert report.errors == [], report.errors
    assert report.toile is not None
    assert len(report.toile.actors) == len(toile.actors)
    assert len(report.toile.flows) == len(toile.flows)
    for actor in report.toile.actors:
        assert actor.provenance, actor.id
    for flow in report.toile.flows:
        assert flow.provenance, flow.id
    return report.toile


@pytest.fixture
def opendata() -> Path:
    """The folder of the Open Data excerpts."""
    return OPENDATA


def leftovers(folder: Path) -> list[str]:
    """Everything left in a folder (temporary folders included)."""
    return sorted(p.name for p in folder.iterdir())
