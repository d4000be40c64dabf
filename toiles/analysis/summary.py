"""A toile at a glance: counts by kind and status, quantity totals per unit family."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from toiles.models.units import BASE_UNITS
from toiles.models.vocab import UnitFamily

if TYPE_CHECKING:
    from toiles.models.toile import Toile


class FamilyTotal(BaseModel):
    """The total of one unit family, in its base unit."""

    model_config = ConfigDict(frozen=True)

    value: float
    unit: str


class ToileOverview(BaseModel):
    """What ``toiles show`` prints: counts, totals, flows without a quantity."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    version: str
    theme: str
    illustrative: bool
    actors: int
    flows: int
    actors_by_kind: dict[str, int]
    flows_by_kind: dict[str, int]
    flows_by_status: dict[str, int]
    totals: dict[str, FamilyTotal]
    totals_by_flow_kind: dict[str, dict[str, float]]
    flows_without_quantity: int


def toile_summary(toile: Toile) -> ToileOverview:
    """Count a toile's actors and flows by kind, and total its quantities per unit family.

    Quantities are summed in the base unit of their family (``quantity_base``); a flow
    without a quantity is counted in ``flows_without_quantity``.

    Parameters
    ----------
    toile
        The toile (already redacted to what the reader may see).

    Returns
    -------
    ToileOverview
        Counts are sorted from the most to the least frequent kind.

    Examples
    --------
    >>> from toiles.models import Actor, Flow, Toile
    >>> t = Toile(id="t", name="T", theme="energie",
    ...           actors=[Actor(id="a", name="A", kind="entreprise"),
    ...                   Actor(id="b", name="B", kind="entreprise")],
    ...           flows=[Flow(id="f", source="a", target="b", kind="chaleur",
    ...                       quantity=2, unit="GWh/an")])
    >>> s = toile_summary(t)
    >>> s.actors_by_kind, s.totals["energy"].value, s.totals["energy"].unit
    ({'entreprise': 2}, 2000.0, 'MWh')
    """
    totals: dict[str, float] = defaultdict(float)
    by_kind: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    without = 0
    for flow in toile.flows:
        family, value = flow.family, flow.quantity_base
        if family is None or value is None:
            without += 1
            continue
        totals[family.value] += value
        by_kind[flow.kind.value][family.value] += value
    return ToileOverview(
        id=toile.id,
        name=toile.name,
        version=toile.version,
        theme=toile.theme.value,
        illustrative=toile.illustrative,
        actors=len(toile.actors),
        flows=len(toile.flows),
        actors_by_kind=dict(Counter(a.kind.value for a in toile.actors).most_common()),
        flows_by_kind=dict(Counter(f.kind.value for f in toile.flows).most_common()),
        flows_by_status=dict(Counter(f.status.value for f in toile.flows).most_common()),
        totals={
            f: FamilyTotal(value=v, unit=BASE_UNITS[UnitFamily(f)])
            for f, v in sorted(totals.items())
        },
        totals_by_flow_kind={k: dict(v) for k, v in sorted(by_kind.items())},
        flows_without_quantity=without,
    )
