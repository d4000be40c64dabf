"""Finn's index and the information measures stay finite at the extremes a toile may hold."""

import json
import math

import pytest

from toiles.analysis import run_report
from toiles.graph import graph_from_toile
from toiles.models import Actor, Flow, Toile
from toiles.models.units import MAX_BASE_QUANTITY


def _loop(*quantities: float) -> Toile:
    actors = (
        Actor(id="a", name="A", kind="entreprise"),
        Actor(id="b", name="B", kind="entreprise"),
        Actor(id="x", name="Extérieur", kind="exterieur"),
    )
    ends = [("a", "b"), ("b", "a"), ("x", "a"), ("b", "x")]
    flows = tuple(
        Flow(id=f"f{i}", source=s, target=t, kind="chaleur", quantity=q, unit="MWh")
        for i, ((s, t), q) in enumerate(zip(ends, quantities, strict=False))
    )
    return Toile(id="t", name="T", theme="energie", actors=actors, flows=flows)


@pytest.mark.parametrize(
    "quantities",
    [
        (5e-324, 5e-324),  # subnormal: t * tstp underflowed to 0, log2(0) gave NaN
        (MAX_BASE_QUANTITY, 5e-324, 1.0, 3.0),  # the widest range the model accepts
        (MAX_BASE_QUANTITY, MAX_BASE_QUANTITY, MAX_BASE_QUANTITY, MAX_BASE_QUANTITY),
    ],
)
def test_cycling_report_is_finite_at_the_extremes(quantities: tuple[float, ...]) -> None:
    result = run_report("cycling", graph_from_toile(_loop(*quantities)))
    text = json.dumps(result.model_dump(mode="json"), allow_nan=False)
    assert "nan" not in text.lower()
    assert "inf " not in text


def test_cycling_information_unchanged_on_ordinary_flows() -> None:
    """The log-space form gives the same ascendency as the textbook one on plain numbers."""
    import numpy as np

    from toiles.analysis.cycling import _information

    src = np.asarray([0, 1, 2, 1])
    dst = np.asarray([1, 0, 0, 2])
    flow = np.asarray([10.0, 4.0, 6.0, 12.0])
    tstp, ami, asc, cap = _information(3, src, dst, flow)
    out = {0: 10.0, 1: 16.0, 2: 6.0}
    inn = {1: 10.0, 0: 10.0, 2: 12.0}
    expected = sum(
        t * math.log2(t * tstp / (out[i] * inn[j]))
        for i, j, t in zip(src.tolist(), dst.tolist(), flow.tolist(), strict=True)
    )
    assert tstp == 32.0
    assert asc == pytest.approx(expected)
    assert ami == pytest.approx(expected / 32.0)
    assert cap == pytest.approx(-sum(t * math.log2(t / 32.0) for t in flow.tolist()))
