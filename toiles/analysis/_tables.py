"""Readable tables of the report results, for the command line (French by default)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from toiles.analysis._common import FAMILY_FR, base_unit, fr_number, fr_percent
from toiles.analysis.candidates import Candidate, CandidatesResult
from toiles.analysis.centrality import CentralityResult
from toiles.analysis.communities import CommunitiesResult
from toiles.analysis.cycling import CyclingResult
from toiles.analysis.diff import DiffResult, field_names
from toiles.analysis.gaps import GapsResult
from toiles.analysis.impact import ImpactResult
from toiles.analysis.loops import LoopsResult
from toiles.errors import AnalysisError
from toiles.models.vocab import FlowKind, label

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic import BaseModel

_EN: dict[str, str] = {
    "Rang": "Rank",
    "Acteur": "Actor",
    "Score": "Score",
    "Flux": "Flows",
    "Pourquoi": "Why",
    "ZAE ou voisinage": "Business park or neighbours",
    "Longueur": "Length",
    "Boucle": "Loop",
    "Famille": "Family",
    "Débit total": "TST",
    "Débit cyclé": "Cycled",
    "Entrées": "Boundary inputs",
    "Indice de Finn": "FCI",
    "Longueur moyenne": "APL",
    "Ascendance / capacité": "Ascendency / capacity",
    "Robustesse": "Robustness",
    "Fournisseur": "Supplier",
    "Preneur": "Taker",
    "Type": "Kind",
    "Valorisable": "Recoverable",
    "Distance": "Distance",
    "Températures": "Temperatures",
    "Investissement": "Investment",
    "Coût": "Cost",
    "Retour": "Payback",
    "Sources": "Sources",
    "Preneurs": "Takers",
    "Livré": "Delivered",
    "Hypothèse": "Assumption",
    "Tour": "Round",
    "Part perdue": "Share lost",
    "Emplois": "Jobs",
    "Communauté": "Community",
    "Taille": "Size",
    "Internes": "Internal",
    "Externes": "External",
    "Ressource": "Resource",
    "Quantité": "Quantity",
    "Importateur": "Importer",
    "Fournisseurs locaux": "Local suppliers",
    "Élément": "Item",
    "Changement": "Change",
}


def _table(title: str, columns: list[str], lang: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(_EN.get(column, column) if lang == "en" else column, overflow="fold")
    return table


def _q(value: float | None, family: str | None) -> str:
    if value is None or family is None:
        return "—"
    return f"{fr_number(value)} {base_unit(family)}"


def _per_family(values: dict[str, float]) -> str:
    return ", ".join(f"{fr_number(v)} {base_unit(f)}" for f, v in sorted(values.items())) or "—"


def _centrality(r: CentralityResult, lang: str) -> list[Table]:
    t = _table("Acteurs clés", ["Rang", "Acteur", "Score", "Flux", "Pourquoi"], lang)
    for a in r.ranking:
        t.add_row(str(a.rank), a.name, f"{a.score:.3f}", str(a.in_degree + a.out_degree), a.reason)
    cut = _table("Points d'articulation et flux-ponts", ["Élément", "Type"], lang)
    for actor in r.articulation_points:
        cut.add_row(actor, "acteur")
    for b in r.bridges:
        cut.add_row(f"{b.flow} ({b.source} → {b.target})", f"flux {b.kind}")
    return [t, cut]


def _loops(r: LoopsResult, lang: str) -> Table:
    t = _table("Boucles existantes", ["Longueur", "Boucle", "Flux"], lang)
    for loop in r.loops:
        flows = ", ".join(f"{f.kind} {_q(f.quantity_base, f.family)}" for f in loop.flows)
        t.add_row(str(loop.length), loop.explanation, flows)
    return t


def _cycling(r: CyclingResult, lang: str) -> list[Table]:
    t = _table(
        "Cyclage (indice de Finn)",
        [
            "Famille",
            "Débit total",
            "Entrées",
            "Débit cyclé",
            "Indice de Finn",
            "Longueur moyenne",
            "TSTp",
            "λmax",
            "Ascendance / capacité",
            "Robustesse",
        ],
        lang,
    )
    for f in r.families:
        t.add_row(
            FAMILY_FR[f.family],
            _q(f.tst, f.family),
            _q(f.boundary_input, f.family),
            _q(f.cycled_throughflow, f.family),
            fr_percent(f.fci),
            "—" if f.apl is None else fr_number(f.apl, 2),
            _q(f.tstp, f.family),
            fr_number(f.cyclicity, 2),
            "—" if f.ascendency_ratio is None else fr_percent(f.ascendency_ratio),
            "—" if f.robustness is None else fr_number(f.robustness, 3),
        )
    hyp = _table("Hypothèses du cyclage", ["Hypothèse"], lang)
    for line in r.assumptions:
        hyp.add_row(line)
    return [t, hyp]


def _temperatures(c: Candidate) -> str:
    if c.source_temperature is None or c.sink_temperature is None:
        return "—"
    text = f"{fr_number(c.source_temperature)} → {fr_number(c.sink_temperature)} °C"
    if c.typical_temperatures:
        text += " (typiques)" if c.temperature_basis == "typiques" else " (en partie typiques)"
    if c.heat_pump:
        text += f", avec pompe à chaleur (COP {fr_number(c.cop or 0.0, 1)})"
    return text


def _money(value: float | None, unit: str | None, digits: int = 1) -> str:
    return "—" if value is None or unit is None else f"{fr_number(value, digits)} {unit}"


def _candidates(r: CandidatesResult, lang: str) -> list[Table]:
    t = _table(
        "Pistes de bouclage",
        [
            "Rang",
            "Type",
            "Fournisseur",
            "Preneur",
            "Valorisable",
            "Températures",
            "Longueur",
            "Investissement",
            "Coût",
            "Retour",
            "Pourquoi",
        ],
        lang,
    )
    for c in r.candidates:
        t.add_row(
            str(c.rank),
            "chaleur fatale" if c.kind == "chaleur" else "réutilisation d'eau",
            c.source_name,
            c.target_name,
            _q(c.recoverable, c.family),
            _temperatures(c),
            "—" if c.pipe_length_km is None else f"{fr_number(c.pipe_length_km, 1)} km",
            _money(c.investment_eur, "€", 0),
            _money(c.levelised_cost, c.cost_unit, 1 if c.kind == "chaleur" else 2),
            "—" if c.payback_years is None else f"{fr_number(c.payback_years, 1)} ans",
            c.reason,
        )
    n = _table(
        "Potentielles boucles énergétiques dans une ZAE ou entre voisins",
        [
            "ZAE ou voisinage",
            "Sources",
            "Preneurs",
            "Longueur",
            "Valorisable",
            "Livré",
            "Investissement",
            "Coût",
            "Retour",
        ],
        lang,
    )
    for net in r.networks:
        n.add_row(
            net.zae_name,
            str(len(net.sources)),
            str(len(net.sinks)),
            f"{fr_number(net.length_km, 1)} km",
            f"{fr_number(net.recoverable_mwh)} MWh",
            f"{fr_number(net.delivered_mwh)} MWh",
            f"{fr_number(net.investment_eur)} €",
            _money(net.levelised_cost, "€/MWh"),
            "—" if net.payback_years is None else f"{fr_number(net.payback_years, 1)} ans",
        )
    tables = [t, n]
    if r.discarded_networks:
        gone = _table("Réseaux écartés", ["Pourquoi"], lang)
        for line in r.discarded_networks:
            gone.add_row(line)
        tables.append(gone)
    hyp = _table("Hypothèses des pistes", ["Hypothèse"], lang)
    for line in r.assumptions:
        hyp.add_row(line)
    return [*tables, hyp]


def _impact(r: ImpactResult, lang: str) -> Table:
    t = _table("Acteurs touchés", ["Tour", "Acteur", "Part perdue", "Emplois", "Pourquoi"], lang)
    for a in r.affected:
        t.add_row(
            "—" if a.round is None else str(a.round),
            a.name,
            fr_percent(a.share_lost, 0),
            "—" if a.employees is None else fr_number(a.employees),
            a.reason,
        )
    return t


def _communities(r: CommunitiesResult, lang: str) -> Table:
    t = _table("Communautés", ["Communauté", "Taille", "Internes", "Externes"], lang)
    for c in r.communities:
        t.add_row(
            f"{c.id}. {c.name}",
            str(c.size),
            f"{c.internal_flows} flux ; {_per_family(c.internal)}",
            f"{c.external_flows} flux ; {_per_family(c.external)}",
        )
    return t


def _gaps(r: GapsResult, lang: str) -> list[Table]:
    out = _table("Ressources qui quittent le territoire", ["Acteur", "Ressource", "Quantité"], lang)
    for u in r.unused:
        out.add_row(u.name, u.kind, _q(u.quantity_base, u.family))
    sub = _table(
        "Imports substituables",
        ["Importateur", "Ressource", "Quantité", "Fournisseurs locaux"],
        lang,
    )
    for s in r.substitutions:
        sub.add_row(
            s.importer_name,
            s.kind,
            _q(s.quantity_base, s.family),
            ", ".join(s.local_suppliers)
            + ("…" if s.local_supplier_count > len(s.local_suppliers) else ""),
        )
    return [out, sub]


def _kind(kind: str) -> str:
    """A flow kind as a word (« électricité », not ``electricite``)."""
    known = {k.value: k for k in FlowKind}
    return label(known[kind]).lower() if kind in known else kind


def _diff(r: DiffResult, lang: str) -> Table:
    t = _table(f"Évolution {r.old_version} → {r.new_version}", ["Élément", "Changement"], lang)
    for a in r.actors_added:
        t.add_row(a, "acteur ajouté")
    for a in r.actors_removed:
        t.add_row(a, "acteur retiré")
    for c in r.actors_changed:
        t.add_row(c.actor, "acteur modifié : " + field_names([ch.field for ch in c.changes]))
    for f in r.flows_added:
        t.add_row(f"{f.flow} ({f.source} → {f.target})", f"flux {_kind(f.kind)} ajouté")
    for f in r.flows_removed:
        t.add_row(f"{f.flow} ({f.source} → {f.target})", f"flux {_kind(f.kind)} retiré")
    for ch in r.flows_changed:
        t.add_row(f"{ch.flow} ({ch.source} → {ch.target})", ch.explanation)
    return t


_RENDERERS: dict[type[BaseModel], Callable[[Any, str], Table | list[Table]]] = {
    CentralityResult: _centrality,
    LoopsResult: _loops,
    CyclingResult: _cycling,
    CandidatesResult: _candidates,
    ImpactResult: _impact,
    CommunitiesResult: _communities,
    GapsResult: _gaps,
    DiffResult: _diff,
}


def report_table(result: BaseModel, *, lang: str = "fr") -> Table | list[Table]:
    """Render a report result as a readable table (or tables) for the terminal.

    The table caption is the result's French explanation.

    Raises
    ------
    AnalysisError
        When the object is not a report result.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> from toiles.analysis.loops import existing_loops
    >>> report_table(existing_loops(example_graph())).title
    'Boucles existantes'
    """
    renderer = _RENDERERS.get(type(result))
    if renderer is None:
        msg = f"Aucune présentation en tableau pour un résultat de type {type(result).__name__}."
        raise AnalysisError(msg)
    tables = renderer(result, lang)
    first = tables[0] if isinstance(tables, list) else tables
    first.caption = str(getattr(result, "explanation", "")) or None
    first.caption_justify = "left"
    return tables
