"""What the closure of actors costs a toile: lost flows and the cascade of failures."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict

from toiles.analysis._common import (
    FAMILIES,
    FAMILY_FR,
    ReportResult,
    base_unit,
    check_actors,
    flow_table,
    fr_number,
    fr_percent,
    rounded,
    toile_ref,
)
from toiles.errors import AnalysisError

if TYPE_CHECKING:
    from collections.abc import Iterable

    import networkx as nx
    from numpy.typing import NDArray

__all__ = ["AffectedActor", "ImpactResult", "closure_impact"]

_UNQUANTIFIED = "flux"  # pseudo-family: flows counted, for actors without any quantity


class AffectedActor(BaseModel):
    """An actor that lost flows: the largest share it lost and the round it fails in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: str
    name: str
    kind: str
    employees: int | None
    share_lost: float
    direction: str
    family: str
    round: int | None
    failed: bool
    reason: str


class ImpactResult(ReportResult):
    """Result of :func:`closure_impact`."""

    report: str = "impact"
    closed: list[str]
    threshold: float
    rounds: int
    flows_lost: int
    lost_flows: list[str]
    quantities_lost: dict[str, float]
    failed_count: int
    employees_failed: int
    affected: list[AffectedActor]


class _Side:
    """Inputs (or outlets) of every actor, per family; shares lost as flows go."""

    def __init__(
        self,
        n: int,
        ends: NDArray[np.int64],
        groups: NDArray[np.int64],
        weights: NDArray[np.float64],
        used: NDArray[np.bool_],
    ) -> None:
        self.size = n * _GROUPS
        self.code = ends[used] * _GROUPS + groups[used]
        self.weights = weights[used]
        self.used = used
        self.total = np.bincount(self.code, weights=self.weights, minlength=self.size)

    def shares(self, lost: NDArray[np.bool_]) -> NDArray[np.float64]:
        """Share lost per actor (rows) and family (columns, then plain flow counts)."""
        gone_flows = lost[self.used]
        gone = np.bincount(
            self.code[gone_flows], weights=self.weights[gone_flows], minlength=self.size
        )
        share = np.divide(gone, self.total, out=np.zeros(self.size), where=self.total > 0)
        return share.reshape(-1, _GROUPS)


_GROUPS = len(FAMILIES) + 1


#: Kinds of actors a closure affects but cannot make fail: public authorities and bodies
#: keep their missions and network operators their public-service obligations (they find
#: another source or outlet); business parks are places, not economic actors.
RESILIENT_KINDS: tuple[str, ...] = (
    "collectivite",
    "epci",
    "commune",
    "etablissement_public",
    "syndicat",
    "gestionnaire_reseau",
    "zae",
)


def closure_impact(  # noqa: PLR0915
    G: nx.MultiDiGraph[str],
    actors: Iterable[str],
    *,
    threshold: float = 0.5,
    max_rounds: int = 100,
    resilient_kinds: Iterable[str] | None = None,
) -> ImpactResult:
    """Simulate the closure of actors and the failures it cascades into.

    Round 0: the closed actors fail and every flow to or from them is lost. Then, round
    after round, an actor of the territory that has lost at least ``threshold`` of its
    inputs of some unit family, or of its outlets of some family (quantities in base units,
    per family, never summed across families), fails in the next round and its flows are
    lost in turn. An actor with no quantity at all on one side is judged on the number of
    its flows on that side. ``exterieur`` actors never fail, nor do actors of the
    ``resilient_kinds`` (by default :data:`RESILIENT_KINDS`: authorities, public bodies,
    network operators, business parks): they are reported with what they lose, and their
    flows carry on, as a network operator's do when one producer closes.

    Parameters
    ----------
    G
        Toile graph.
    actors
        Ids of the actors closed.
    threshold
        Share of inputs or outlets whose loss makes an actor fail (0 < threshold <= 1).
    max_rounds
        Rounds simulated at most.
    resilient_kinds
        Actor kinds that are affected but never fail (``None``: :data:`RESILIENT_KINDS`;
        an empty list lets every actor of the territory fail).

    Returns
    -------
    ImpactResult
        Every affected actor with the largest share it lost and the round it fails in (or
        ``None``), the flows lost, the quantities lost per family and the employees of the
        failed actors.

    Raises
    ------
    ActorNotFound
        When an id is not an actor of the toile.
    AnalysisError
        When no actor is given or the threshold is out of range.

    Notes
    -----
    A threshold model of failure propagation on the flow network, in the spirit of
    cascade models of supply networks; each round costs the flows of the actors failing
    in it, so the whole cascade is linear in the toile's size.

    References
    ----------
    .. [1] Watts, D. J. (2002). A simple model of global cascades on random networks.
       PNAS 99(9), 5766-5771. https://doi.org/10.1073/pnas.082090499
    .. [2] Chopra, S. S., & Khanna, V. (2014). Understanding resilience in industrial
       symbiosis networks: insights from network analysis. J. Environ. Manage. 141, 86-94.
       https://doi.org/10.1016/j.jenvman.2013.12.038

    Examples
    --------
    Closing the biomass boiler cuts the sawmill's only energy outlet (2,000 of 2,000 MWh):
    it fails in round 1, and the dairy, which loses the 30 t of sawmill by-products that were
    all its mass input, in round 2. The heat network loses its only input (1,800 MWh) but is
    a network operator: it is reported, and does not fail (it has other means to supply).

    >>> from toiles.synthetic import example_graph
    >>> r = closure_impact(example_graph(), ["chaufferie"])
    >>> [(a.actor, a.round) for a in r.affected if a.failed]
    [('chaufferie', 0), ('scierie', 1), ('laiterie', 2)]
    >>> next(a.reason for a in r.affected if a.actor == "reseau-chaleur").replace("\u202f", " ")
    'perd 100 % de ses entrées (énergie) : touché, ne défaille pas (mission publique ou réseau)'

    With every actor allowed to fail, the heat network fails in round 1 and the school, whose
    1,200 MWh of heat were all its quantified input, in round 2. Lost: 10 flows,
    2,000 + 1,800 + 300 + 1,200 + 500 + 2,500 + 400 = 8,700 MWh and 150 t;
    10 + 20 + 25 + 60 + 80 = 195 jobs.

    >>> r = closure_impact(example_graph(), ["chaufferie"], resilient_kinds=[])
    >>> [(a.actor, a.round) for a in r.affected if a.failed]
    [('chaufferie', 0), ('reseau-chaleur', 1), ('scierie', 1), ('laiterie', 2), ('lycee', 2)]
    >>> r.flows_lost, r.quantities_lost, r.employees_failed
    (10, {'energy': 8700.0, 'mass': 150.0}, 195)
    """
    closed = check_actors(G, actors)
    if not closed:
        msg = "Indiquer au moins un acteur à fermer."
        raise AnalysisError(msg)
    if not (0 < threshold <= 1) or math.isnan(threshold):
        msg = f"Le seuil de défaillance doit être compris entre 0 (exclu) et 1 (reçu {threshold})."
        raise AnalysisError(msg)
    ft = flow_table(G)
    n = ft.n
    spared = set(RESILIENT_KINDS if resilient_kinds is None else resilient_kinds)
    resilient = ft.outside | np.fromiter(
        (G.nodes[node].get("kind") in spared for node in ft.nodes), dtype=np.bool_, count=n
    )
    fam = ft.fam_code.astype(np.int64)
    quantified = (fam >= 0) & ~np.isnan(ft.qty)
    groups = np.where(quantified, fam, len(FAMILIES))
    weights = np.where(quantified, np.nan_to_num(ft.qty, nan=0.0), 1.0)
    # Flows without quantity only count for an actor with no quantified flow on that side.
    has_q_in = np.bincount(ft.dst[quantified], minlength=n) > 0
    has_q_out = np.bincount(ft.src[quantified], minlength=n) > 0
    use_in = quantified | ~has_q_in[ft.dst]
    use_out = quantified | ~has_q_out[ft.src]

    inputs = _Side(n, ft.dst, groups, weights, use_in)
    outlets = _Side(n, ft.src, groups, weights, use_out)
    failed_round = np.full(n, -1, dtype=np.int64)
    for actor in closed:
        failed_round[ft.index[actor]] = 0
    lost = np.zeros(len(ft.keys), dtype=np.bool_)
    at_failure = np.zeros((n, 2, _GROUPS))  # shares lost when each actor failed
    current = 0
    while current < max_rounds:
        failing = failed_round == current
        if not failing.any():
            break
        lost |= failing[ft.src] | failing[ft.dst]
        share_in, share_out = inputs.shares(lost), outlets.shares(lost)
        worst = np.maximum(share_in.max(axis=1), share_out.max(axis=1))
        fail_next = (worst >= threshold - 1e-12) & (failed_round < 0) & ~resilient
        failed_round[fail_next] = current + 1
        at_failure[fail_next, 0] = share_in[fail_next]
        at_failure[fail_next, 1] = share_out[fail_next]
        current += 1
    lost |= (failed_round >= 0)[ft.src] | (failed_round >= 0)[ft.dst]
    final = np.stack((inputs.shares(lost), outlets.shares(lost)), axis=1)
    failed = failed_round >= 0
    final[failed] = at_failure[failed]
    share_in, share_out = final[:, 0], final[:, 1]

    touched = np.zeros(n, dtype=np.bool_)
    touched[ft.src[lost]] = True
    touched[ft.dst[lost]] = True
    touched |= failed_round >= 0
    touched &= ~ft.outside
    affected: list[AffectedActor] = []
    for i in np.flatnonzero(touched).tolist():
        node = ft.nodes[i]
        data = G.nodes[node]
        gi, go = int(share_in[i].argmax()), int(share_out[i].argmax())
        into = share_in[i, gi] >= share_out[i, go]
        share = float(share_in[i, gi] if into else share_out[i, go])
        group = gi if into else go
        family = FAMILIES[group] if group < len(FAMILIES) else _UNQUANTIFIED
        employees = data.get("employees")
        rnd = int(failed_round[i])
        if rnd == 0:  # closed: it loses everything
            share, into, family = 1.0, True, _UNQUANTIFIED
        affected.append(
            AffectedActor(
                actor=str(node),
                name=str(data.get("name") or node),
                kind=str(data.get("kind")),
                employees=None if employees is None else int(employees),
                share_lost=rounded(share, 9),
                direction="entrées" if into else "débouchés",
                family=family,
                round=None if rnd < 0 else rnd,
                failed=rnd >= 0,
                reason=_reason(
                    rnd,
                    share,
                    into=into,
                    family=family,
                    spared=bool(resilient[i]) and share >= threshold - 1e-12,
                ),
            )
        )
    affected.sort(
        key=lambda a: (a.round if a.round is not None else math.inf, -a.share_lost, a.actor)
    )
    quantities: dict[str, float] = {}
    lost_q = lost & quantified
    for code in np.unique(fam[lost_q]).tolist():
        total = float(ft.qty[lost_q & (fam == code)].sum())
        quantities[FAMILIES[code]] = rounded(total)
    staff = [G.nodes[ft.nodes[i]].get("employees") for i in np.flatnonzero(failed).tolist()]
    employees_failed = sum(int(e) for e in staff if e is not None)
    rounds = int(failed_round.max())
    lost_ids = sorted(str(ft.keys[i]) for i in np.flatnonzero(lost).tolist())
    parts = ", ".join(
        f"{fr_number(q)} {base_unit(f)} ({FAMILY_FR[f]})" for f, q in sorted(quantities.items())
    )
    explanation = (
        f"La fermeture de {len(closed)} acteur(s) entraîne la défaillance de "
        f"{int(failed.sum()) - len(closed)} autre(s) en {rounds} tour(s) au seuil de "
        f"{fr_percent(threshold, 0)} ; {len(lost_ids)} flux perdus"
        + (f" ({parts})" if parts else "")
        + f" ; {fr_number(employees_failed)} emplois chez les acteurs défaillants."
        + (
            " Collectivités, établissements publics et réseaux sont touchés sans défaillir."
            if any(a.reason.endswith(_SPARED) for a in affected)
            else ""
        )
    )
    return ImpactResult(
        **toile_ref(G),
        explanation=explanation,
        closed=closed,
        threshold=threshold,
        rounds=rounds,
        flows_lost=len(lost_ids),
        lost_flows=lost_ids,
        quantities_lost=quantities,
        failed_count=int(failed.sum()),
        employees_failed=employees_failed,
        affected=affected,
    )


_SPARED = "touché, ne défaille pas (mission publique ou réseau)"


def _reason(rnd: int, share: float, *, into: bool, family: str, spared: bool = False) -> str:
    side = "de ses entrées" if into else "de ses débouchés"
    what = "flux" if family == _UNQUANTIFIED else FAMILY_FR[family]
    lost = f"perd {fr_percent(share, 0)} {side} ({what})"
    if rnd == 0:
        return "fermé"
    if rnd > 0:
        return f"{lost} : défaillant au tour {rnd}"
    if spared:
        return f"{lost} : {_SPARED}"
    return f"{lost} : tient, sous le seuil"
