"""Analyses of toiles: one report per module, a registry for the CLI and the API.

Each report is a function taking the toile graph ``G`` first and returning a frozen
pydantic result (``model_dump(mode="json")`` gives its JSON). :data:`REPORTS` describes
each of them (name, French title, function, options model) so that the CLI and the API
can build their parameters generically; :func:`run_report` validates options and runs a
report by name, :func:`report_table` renders a result as a French table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from toiles.analysis._common import Backend, FamilyName, ReportResult
from toiles.analysis._tables import report_table as report_table
from toiles.analysis.candidates import Candidate as Candidate
from toiles.analysis.candidates import CandidatesResult as CandidatesResult
from toiles.analysis.candidates import NetworkEdge as NetworkEdge
from toiles.analysis.candidates import PrunedEdge as PrunedEdge
from toiles.analysis.candidates import ZaeNetwork as ZaeNetwork
from toiles.analysis.candidates import apply_candidates as apply_candidates
from toiles.analysis.candidates import candidates_report as candidates_report
from toiles.analysis.candidates import waste_heat_candidates as waste_heat_candidates
from toiles.analysis.candidates import water_reuse_candidates as water_reuse_candidates
from toiles.analysis.centrality import CentralityResult as CentralityResult
from toiles.analysis.centrality import centrality_report as centrality_report
from toiles.analysis.communities import CommunitiesResult as CommunitiesResult
from toiles.analysis.communities import communities_report as communities_report
from toiles.analysis.cycling import CyclingResult as CyclingResult
from toiles.analysis.cycling import FamilyCycling as FamilyCycling
from toiles.analysis.cycling import Information as Information
from toiles.analysis.cycling import ascendency as ascendency
from toiles.analysis.cycling import cycling_report as cycling_report
from toiles.analysis.cycling import finn_cycling_index as finn_cycling_index
from toiles.analysis.cycling import structural_cyclicity as structural_cyclicity
from toiles.analysis.diff import DiffResult as DiffResult
from toiles.analysis.diff import toile_diff as toile_diff
from toiles.analysis.gaps import GapsResult as GapsResult
from toiles.analysis.gaps import gaps_report as gaps_report
from toiles.analysis.impact import ImpactResult as ImpactResult
from toiles.analysis.impact import closure_impact as closure_impact
from toiles.analysis.loops import LoopsResult as LoopsResult
from toiles.analysis.loops import existing_loops as existing_loops
from toiles.errors import AnalysisError
from toiles.models.vocab import Theme

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "REPORTS",
    "Candidate",
    "CandidatesOptions",
    "CandidatesResult",
    "CentralityOptions",
    "CentralityResult",
    "CommunitiesOptions",
    "CommunitiesResult",
    "CyclingOptions",
    "CyclingResult",
    "DiffOptions",
    "DiffResult",
    "FamilyCycling",
    "GapsOptions",
    "GapsResult",
    "ImpactOptions",
    "ImpactResult",
    "Information",
    "LoopsOptions",
    "LoopsResult",
    "NetworkEdge",
    "PrunedEdge",
    "ReportResult",
    "ReportSpec",
    "ZaeNetwork",
    "apply_candidates",
    "ascendency",
    "candidates_report",
    "centrality_report",
    "closure_impact",
    "communities_report",
    "cycling_report",
    "existing_loops",
    "finn_cycling_index",
    "gaps_report",
    "report_table",
    "run_report",
    "structural_cyclicity",
    "toile_diff",
    "waste_heat_candidates",
    "water_reuse_candidates",
]

_BACKEND_DOC = "Moteur de calcul : auto (igraph au-delà du seuil de taille), networkx ou igraph."


MAX_TOP = 1000
"""Most actors or leads a ranking lists."""
MAX_SEED = 2**32 - 1
"""Largest random seed (what NumPy and igraph accept)."""
MAX_BETWEENNESS_SAMPLES = 10_000
"""Most actors drawn to estimate betweenness."""
MAX_LOOP_LENGTH = 12
"""Longest loop searched (actors): the count of simple cycles grows exponentially with it."""
MAX_LOOP_COUNT = 5000
"""Most loops listed: beyond, a list is no longer read, and time and memory grow fast (10,000
loops of a 12-actor complete toile took 5.6 s, 1000 took 0.23 s)."""
MAX_RADIUS_KM = 100.0
"""Widest search radius for leads: a territory of agencies is well within it."""
MAX_IMPACT_ACTORS = 200
"""Most actors closed at once in an impact scenario."""
MAX_ROUNDS = 1000
"""Most rounds of an impact cascade."""
MAX_RESOLUTION = 100.0
"""Highest resolution of the community search."""
MAX_PRICE = 100_000.0
"""Highest price of heat, electricity or water in a lead's economics (€/MWh, €/m³)."""
MAX_LIFETIME_YEARS = 100
"""Longest lifetime of an installation in a lead's economics (years)."""


class _Options(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class CentralityOptions(_Options):
    """Options of the ``centrality`` report."""

    top: int = Field(20, ge=1, le=MAX_TOP, description="Nombre d'acteurs clés à classer.")
    family: FamilyName | None = Field(
        None, description="Famille d'unités des flux retenus (energy, volume, mass, count...)."
    )
    theme: Theme | None = Field(None, description="Thème des flux retenus.")
    seed: int = Field(
        0,
        ge=0,
        le=MAX_SEED,
        description="Graine du tirage des acteurs quand l'intermédiarité est estimée.",
    )
    betweenness_samples: int | None = Field(
        None,
        ge=1,
        le=MAX_BETWEENNESS_SAMPLES,
        description="Nombre d'acteurs tirés pour estimer l'intermédiarité (vide : automatique).",
    )
    backend: Backend = Field("auto", description=_BACKEND_DOC)
    view: Literal["all", "companies"] = Field(
        "all",
        description=(
            "Lecture : all (tous les acteurs, réseaux compris) ou companies (les seules "
            "entreprises, réseaux et organismes publics gardés pour les chemins)."
        ),
    )


class LoopsOptions(_Options):
    """Options of the ``loops`` report."""

    max_length: int = Field(
        6, ge=1, le=MAX_LOOP_LENGTH, description="Longueur maximale des boucles (acteurs)."
    )
    max_count: int = Field(
        1000, ge=1, le=MAX_LOOP_COUNT, description="Nombre maximal de boucles listées."
    )
    backend: Backend = Field("auto", description=_BACKEND_DOC)


class CyclingOptions(_Options):
    """Options of the ``cycling`` report."""

    family: FamilyName | None = Field(
        None, description="Famille d'unités (vide : toutes celles qui ont des quantités)."
    )
    include_potential: bool = Field(
        default=False, description="Compter aussi les flux potentiels et en projet (scénario)."
    )
    backend: Backend = Field("auto", description=_BACKEND_DOC)


class CandidatesOptions(_Options):
    """Options of the ``candidates`` report."""

    radius_km: float = Field(
        5.0, ge=0, le=MAX_RADIUS_KM, description="Rayon de recherche hors d'une même ZAE (km)."
    )
    top: int | None = Field(
        50, ge=1, le=MAX_TOP, description="Nombre maximal de pistes listées (vide : toutes)."
    )
    max_distance_km: float | None = Field(
        None,
        gt=0,
        le=MAX_RADIUS_KM,
        description="Distance maximale d'une piste, ZAE comprises (km ; vide : aucune).",
    )
    heat_price: float = Field(
        60.0,
        ge=0,
        le=MAX_PRICE,
        description="Prix actuel de la chaleur du preneur (€/MWh), pour le retour.",
    )
    electricity_price: float = Field(
        150.0, ge=0, le=MAX_PRICE, description="Prix de l'électricité des pompes à chaleur (€/MWh)."
    )
    discount_rate: float = Field(
        0.04, ge=0, lt=1, description="Taux d'actualisation de l'investissement (0,04 = 4 %)."
    )
    lifetime_years: int = Field(
        30, ge=1, le=MAX_LIFETIME_YEARS, description="Durée de vie de l'installation (années)."
    )
    water_price: float = Field(
        2.0,
        ge=0,
        le=MAX_PRICE,
        description="Prix actuel de l'eau du preneur (€/m³), pour le retour.",
    )
    max_line_cost: float | None = Field(
        5.0,
        gt=0,
        le=MAX_PRICE,
        description=(
            "Seuil d'une canalisation des réseaux proposés : investissement par MWh transporté "
            "sur sa durée de vie (€/MWh ; 5 = seuil par défaut de Hotmaps ; vide : aucun)."
        ),
    )


class ImpactOptions(_Options):
    """Options of the ``impact`` report."""

    actors: list[str] = Field(
        min_length=1, max_length=MAX_IMPACT_ACTORS, description="Identifiants des acteurs fermés."
    )
    threshold: float = Field(
        0.5, gt=0, le=1, description="Part des entrées ou des débouchés perdue qui fait défaillir."
    )
    max_rounds: int = Field(
        100, ge=1, le=MAX_ROUNDS, description="Nombre maximal de tours de la cascade."
    )
    resilient_kinds: list[str] | None = Field(
        None,
        max_length=50,
        description=(
            "Types d'acteurs touchés sans défaillir (vide : collectivités, établissements "
            "publics, syndicats, gestionnaires de réseau et ZAE)."
        ),
    )


class CommunitiesOptions(_Options):
    """Options of the ``communities`` report."""

    method: Literal["leiden", "louvain"] = Field(
        "leiden", description="Méthode : leiden ou louvain."
    )
    resolution: float = Field(
        1.0,
        gt=0,
        le=MAX_RESOLUTION,
        description="Résolution : au-dessus de 1, des communautés plus petites.",
    )
    seed: int = Field(0, ge=0, le=MAX_SEED, description="Graine de l'optimisation.")
    family: FamilyName | None = Field(
        None, description="Pondérer les flux par leurs quantités dans cette famille d'unités."
    )
    backend: Backend = Field("auto", description=_BACKEND_DOC)


class GapsOptions(_Options):
    """The ``gaps`` report has no option."""


class DiffOptions(_Options):
    """The ``diff`` report has no option: the other version is passed as ``other``."""


Runner = Callable[["nx.MultiDiGraph[str]", BaseModel, "nx.MultiDiGraph[str] | None"], BaseModel]


@dataclass(frozen=True)
class ReportSpec:
    """A report as the CLI and the API see it."""

    name: str
    title: str
    function: Callable[..., BaseModel]
    options: type[BaseModel]
    result: type[BaseModel]
    run: Runner
    needs_other: bool = False


def _plain(options: BaseModel) -> dict[str, Any]:
    return {k: getattr(options, k) for k in type(options).model_fields}


def _theme_value(options: BaseModel) -> dict[str, Any]:
    values = _plain(options)
    if isinstance(values.get("theme"), Theme):
        values["theme"] = values["theme"].value
    return values


def _spec(  # noqa: PLR0913, PLR0917
    name: str,
    title: str,
    function: Callable[..., BaseModel],
    options: type[BaseModel],
    result: type[BaseModel],
    run: Runner | None = None,
    *,
    needs_other: bool = False,
) -> ReportSpec:
    def default(
        G: nx.MultiDiGraph[str], opts: BaseModel, other: nx.MultiDiGraph[str] | None
    ) -> BaseModel:
        del other
        return function(G, **_theme_value(opts))

    return ReportSpec(name, title, function, options, result, run or default, needs_other)


def _run_impact(
    G: nx.MultiDiGraph[str], opts: BaseModel, other: nx.MultiDiGraph[str] | None
) -> BaseModel:
    del other
    values = _plain(opts)
    return closure_impact(G, values.pop("actors"), **values)


def _run_diff(
    G: nx.MultiDiGraph[str], opts: BaseModel, other: nx.MultiDiGraph[str] | None
) -> BaseModel:
    del opts
    if other is None:
        msg = (
            "Le rapport diff compare deux versions : indiquer la version de référence (--against)."
        )
        raise AnalysisError(msg)
    return toile_diff(other, G)


#: Every report by name, in the order the demo runs them.
REPORTS: dict[str, ReportSpec] = {
    spec.name: spec
    for spec in (
        _spec("centrality", "Acteurs clés", centrality_report, CentralityOptions, CentralityResult),
        _spec("loops", "Boucles existantes", existing_loops, LoopsOptions, LoopsResult),
        _spec(
            "cycling",
            "Cyclage des flux (indice de Finn, ascendance, cyclicité)",
            cycling_report,
            CyclingOptions,
            CyclingResult,
        ),
        _spec(
            "candidates",
            "Pistes de bouclage",
            candidates_report,
            CandidatesOptions,
            CandidatesResult,
        ),
        _spec(
            "impact",
            "Impact d'une fermeture",
            closure_impact,
            ImpactOptions,
            ImpactResult,
            _run_impact,
        ),
        _spec(
            "communities",
            "Communautés d'acteurs",
            communities_report,
            CommunitiesOptions,
            CommunitiesResult,
        ),
        _spec(
            "gaps",
            "Ressources perdues et imports substituables",
            gaps_report,
            GapsOptions,
            GapsResult,
        ),
        _spec(
            "diff",
            "Évolution entre deux versions",
            toile_diff,
            DiffOptions,
            DiffResult,
            _run_diff,
            needs_other=True,
        ),
    )
}

_MESSAGES: dict[str, str] = {
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "greater_than": "doit être strictement supérieur à {gt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "less_than": "doit être strictement inférieur à {lt}",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "bool_parsing": "oui ou non attendu (true/false)",
    "literal_error": "valeurs possibles : {expected}",
    "enum": "valeurs possibles : {expected}",
    "missing": "option obligatoire",
    "extra_forbidden": "option inconnue",
    "too_short": "au moins {min_length} valeur(s) attendue(s)",
    "list_type": "liste attendue",
    "string_type": "texte attendu",
}


def _french(exc: PydanticValidationError, report: str) -> str:
    problems = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "options"
        template = _MESSAGES.get(error["type"], "valeur invalide")
        ctx = {
            k: (f"{v:g}" if isinstance(v, float) else v) for k, v in error.get("ctx", {}).items()
        }
        try:
            text = template.format(**ctx)
        except (KeyError, IndexError):
            text = "valeur invalide"
        value = error.get("input")
        shown = (
            "" if error["type"] == "missing" or isinstance(value, dict) else f" (reçu {value!r})"
        )
        problems.append(f"option « {field} » : {text}{shown}")
    return f"Options invalides pour le rapport {report} : {' ; '.join(problems)}."


def run_report(
    name: str,
    G: nx.MultiDiGraph[str],
    options: Mapping[str, object] | None = None,
    *,
    other: nx.MultiDiGraph[str] | None = None,
) -> BaseModel:
    """Run a report by name with options checked against its ``Options`` model.

    Parameters
    ----------
    name
        A key of :data:`REPORTS`.
    G
        Toile graph (the newer version for ``diff``).
    options
        Option values by name; missing ones take their defaults.
    other
        For ``diff``, the graph of the version to compare against.

    Returns
    -------
    pydantic.BaseModel
        The report's result.

    Raises
    ------
    AnalysisError
        In French, when the report is unknown, an option is invalid or the toile cannot
        support the analysis.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> run_report("cycling", example_graph(), {"family": "energy"}).families[0].tst
    25200.0
    >>> run_report("candidates", example_graph(), {"radius_km": -1})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    toiles.errors.AnalysisError: Options invalides ... « radius_km » : doit être supérieur ...
    """
    spec = REPORTS.get(name)
    if spec is None:
        msg = f"Rapport inconnu « {name} » (rapports possibles : {', '.join(REPORTS)})."
        raise AnalysisError(msg)
    try:
        opts = spec.options.model_validate(dict(options or {}))
    except PydanticValidationError as exc:
        raise AnalysisError(_french(exc, name)) from exc
    return spec.run(G, opts, other)
