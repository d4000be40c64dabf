"""Synthetic toiles of any size, seeded, for tests, examples and benchmarks.

:func:`synthetic_toile` draws a toile shaped like the real ones of the Artois territory:
actors placed in real communes and business parks (ZAE), mostly supply chains (flows go
from upstream to downstream actors), a few short loops (exchanges of heat, steam or
by-products), imports from and releases to ``exterieur`` actors (including waste heat),
units of the right families with several units inside a family (MWh, GWh, kWh...) and
a few flows without quantity. :func:`synthetic_graph` returns the same toile directly as
its graph, faster for analysis benchmarks. :func:`example_toile` is the small hand-made
toile used by the documentation and the doctests of :mod:`toiles.analysis`.
"""

from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from toiles.errors import AnalysisError
from toiles.graph import graph_from_toile
from toiles.models.actor import Actor
from toiles.models.flow import Flow
from toiles.models.toile import Territory, Toile
from toiles.models.units import base_quantity, get_unit
from toiles.models.vocab import (
    FLOW_KINDS,
    ActorKind,
    Confidentiality,
    FlowKind,
    Status,
    Theme,
    UnitFamily,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["example_graph", "example_toile", "synthetic_graph", "synthetic_toile"]

_COMMUNES_CSV = Path(__file__).parent / "data" / "artois_communes.csv"

# (insee, name, epci siren, population, lat, lon): used when the data file is absent.
_FALLBACK_COMMUNES: tuple[tuple[str, str, str, int, float, float], ...] = (
    ("62119", "Béthune", "200072460", 25224, 50.53333, 2.63333),
    ("62178", "Bruay-la-Buissière", "200072460", 21424, 50.48333, 2.55),
    ("62516", "Lillers", "200072460", 10193, 50.56345, 2.48042),
    ("62473", "Isbergues", "200072460", 8650, 50.62328, 2.45902),
    ("62498", "Lens", "246200364", 32920, 50.43302, 2.82791),
    ("62510", "Liévin", "246200364", 30063, 50.4198, 2.78068),
)


@dataclass(frozen=True)
class _Commune:
    insee: str
    name: str
    epci: str
    population: int
    lat: float
    lon: float


@functools.cache
def _communes() -> tuple[_Commune, ...]:
    """Communes with a known point, from ``toiles/data/artois_communes.csv`` or a fallback."""
    rows: list[_Commune] = []
    if _COMMUNES_CSV.exists():
        with _COMMUNES_CSV.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if not row.get("lat") or not row.get("lon"):
                    continue
                rows.append(
                    _Commune(
                        row["commune_insee"],
                        row["nom"],
                        row["epci_siren"],
                        int(row.get("population") or 0),
                        float(row["lat"]),
                        float(row["lon"]),
                    )
                )
    if not rows:
        rows = [_Commune(*c) for c in _FALLBACK_COMMUNES]
    return tuple(sorted(rows, key=lambda c: c.insee))


# Actor kinds of the territory and their shares.
_KINDS: tuple[tuple[ActorKind, float], ...] = (
    (ActorKind.ENTREPRISE, 0.78),
    (ActorKind.GESTIONNAIRE_RESEAU, 0.02),
    (ActorKind.COLLECTIVITE, 0.02),
    (ActorKind.COMMUNE, 0.04),
    (ActorKind.EQUIPEMENT, 0.06),
    (ActorKind.ETABLISSEMENT_PUBLIC, 0.04),
    (ActorKind.SYNDICAT, 0.01),
    (ActorKind.ASSOCIATION, 0.03),
)
_KIND_NAMES: dict[ActorKind, str] = {
    ActorKind.ENTREPRISE: "Entreprise",
    ActorKind.GESTIONNAIRE_RESEAU: "Gestionnaire de réseau",
    ActorKind.COLLECTIVITE: "Collectivité",
    ActorKind.COMMUNE: "Mairie",
    ActorKind.EQUIPEMENT: "Équipement",
    ActorKind.ETABLISSEMENT_PUBLIC: "Établissement public",
    ActorKind.SYNDICAT: "Syndicat",
    ActorKind.ASSOCIATION: "Association",
}
_NAF = ("10.51A", "20.13B", "23.13Z", "24.10Z", "29.10Z", "16.10A", "22.21Z", "46.71Z", "27.20Z")
_OUTSIDE_NAMES = (
    "Réseau national d'électricité",
    "Réseau de transport de gaz",
    "Milieu naturel",
    "Marchés hors territoire",
)

_K = FlowKind


@dataclass(frozen=True)
class _ThemeKinds:
    imports: tuple[tuple[FlowKind, float], ...]
    internal: tuple[tuple[FlowKind, float], ...]
    releases: tuple[tuple[FlowKind, float], ...]
    loops: tuple[FlowKind, ...]


_THEMES: dict[Theme, _ThemeKinds] = {
    Theme.ENERGIE: _ThemeKinds(
        imports=(
            (_K.ELECTRICITE, 0.45),
            (_K.GAZ_NATUREL, 0.3),
            (_K.COMBUSTIBLE, 0.1),
            (_K.BIOMASSE, 0.05),
            (_K.MATERIAUX, 0.1),
        ),
        internal=(
            (_K.ELECTRICITE, 0.22),
            (_K.GAZ_NATUREL, 0.1),
            (_K.CHALEUR, 0.14),
            (_K.VAPEUR, 0.06),
            (_K.BIOMASSE, 0.07),
            (_K.COMBUSTIBLE, 0.05),
            (_K.FROID, 0.03),
            (_K.BIOGAZ, 0.03),
            (_K.HYDROGENE, 0.01),
            (_K.MATERIAUX, 0.12),
            (_K.SOUS_PRODUIT, 0.07),
            (_K.DECHETS, 0.06),
            (_K.SERVICE, 0.04),
        ),
        releases=(
            (_K.CHALEUR_FATALE, 0.4),
            (_K.DECHETS, 0.2),
            (_K.SOUS_PRODUIT, 0.15),
            (_K.ELECTRICITE, 0.1),
            (_K.MATERIAUX, 0.15),
        ),
        loops=(_K.CHALEUR, _K.VAPEUR, _K.SOUS_PRODUIT, _K.BIOMASSE, _K.BIOGAZ),
    ),
    Theme.EAU_INDUSTRIELLE: _ThemeKinds(
        imports=((_K.PRELEVEMENT, 0.6), (_K.EAU_POTABLE, 0.3), (_K.MATERIAUX, 0.1)),
        internal=(
            (_K.EAU_POTABLE, 0.3),
            (_K.EAU_INDUSTRIELLE, 0.2),
            (_K.EAU_REFROIDISSEMENT, 0.1),
            (_K.EAUX_USEES, 0.25),
            (_K.REUTILISATION, 0.03),
            (_K.SOUS_PRODUIT, 0.06),
            (_K.DECHETS, 0.06),
        ),
        releases=((_K.REJET, 0.7), (_K.DECHETS, 0.15), (_K.SOUS_PRODUIT, 0.15)),
        loops=(_K.EAU_INDUSTRIELLE, _K.REUTILISATION, _K.EAU_REFROIDISSEMENT),
    ),
    Theme.ELECTROMOBILITE: _ThemeKinds(
        imports=((_K.COMPOSANTS, 0.5), (_K.BATTERIES, 0.2), (_K.MATERIAUX, 0.3)),
        internal=(
            (_K.COMPOSANTS, 0.25),
            (_K.BATTERIES, 0.12),
            (_K.ASSEMBLAGE, 0.12),
            (_K.RECHARGE, 0.1),
            (_K.RECYCLAGE, 0.08),
            (_K.RECHERCHE, 0.08),
            (_K.FORMATION, 0.08),
            (_K.FINANCEMENT, 0.07),
            (_K.MATERIAUX, 0.1),
        ),
        releases=((_K.ASSEMBLAGE, 0.5), (_K.DECHETS, 0.3), (_K.RECYCLAGE, 0.2)),
        loops=(_K.RECYCLAGE, _K.COMPOSANTS, _K.BATTERIES),
    ),
    Theme.AUTRE: _ThemeKinds(
        imports=((_K.MATERIAUX, 0.8), (_K.SERVICE, 0.2)),
        internal=(
            (_K.MATERIAUX, 0.5),
            (_K.SOUS_PRODUIT, 0.2),
            (_K.DECHETS, 0.15),
            (_K.SERVICE, 0.15),
        ),
        releases=((_K.DECHETS, 0.5), (_K.SOUS_PRODUIT, 0.3), (_K.MATERIAUX, 0.2)),
        loops=(_K.SOUS_PRODUIT, _K.MATERIAUX),
    ),
}

# Units drawn inside each family, with their shares: several units per family on purpose.
_UNITS: dict[UnitFamily, tuple[tuple[str, float], ...]] = {
    UnitFamily.ENERGY: (("MWh", 0.7), ("GWh", 0.1), ("kWh", 0.2)),
    UnitFamily.VOLUME: (("m3", 0.85), ("Nm3", 0.1), ("Mm3", 0.05)),
    UnitFamily.MASS: (("t", 0.8), ("kg", 0.15), ("kt", 0.05)),
    UnitFamily.POWER: (("kW", 0.6), ("MW", 0.4)),
    UnitFamily.COUNT: (("u", 1.0),),
    UnitFamily.MONEY: (("EUR", 0.5), ("kEUR", 0.5)),
}


def _pick(rng: np.random.Generator, table: tuple[tuple[Any, float], ...], size: int) -> list[Any]:
    values = [v for v, _ in table]
    weights = np.asarray([w for _, w in table], dtype=np.float64)
    idx = rng.choice(len(values), size=size, p=weights / weights.sum())
    return [values[i] for i in idx]


@dataclass
class _Draft:
    """A toile drawn as plain, JSON-ready dictionaries (graph attributes)."""

    info: dict[str, Any]
    actors: list[dict[str, Any]]
    flows: dict[str, list[Any]]


def _actor_defaults() -> dict[str, Any]:
    return dict.fromkeys(Actor.model_fields) | {
        "tags": [],
        "confidentiality": Confidentiality.PUBLIC.value,
    }


def _flow_defaults() -> dict[str, Any]:
    return dict.fromkeys(Flow.model_fields) | {
        "status": Status.EXISTANT.value,
        "confidentiality": Confidentiality.PUBLIC.value,
    }


def _draw_actors(
    rng: np.random.Generator, n_actors: int, n_outside: int, theme: Theme
) -> tuple[list[dict[str, Any]], int]:
    communes = _communes()
    n_in = n_actors - n_outside
    pops = np.asarray([max(c.population, 500) for c in communes], dtype=np.float64)
    n_zae = max(1, n_in // 80)
    zae_commune = rng.choice(len(communes), size=n_zae, p=pops / pops.sum())
    zae_lat = np.asarray([communes[i].lat for i in zae_commune]) + rng.normal(0, 0.01, n_zae)
    zae_lon = np.asarray([communes[i].lon for i in zae_commune]) + rng.normal(0, 0.015, n_zae)
    kinds = _pick(rng, _KINDS, n_in)
    in_zae = rng.random(n_in) < 0.55  # noqa: PLR2004
    zae_of = rng.integers(0, n_zae, n_in)
    commune_of = rng.choice(len(communes), size=n_in, p=pops / pops.sum())
    jitter = rng.normal(0.0, 1.0, (n_in, 2))
    employees = np.rint(rng.lognormal(math.log(20.0), 1.2, n_in)).astype(np.int64)
    no_staff = rng.random(n_in) < 0.1  # noqa: PLR2004
    naf_of = rng.integers(0, len(_NAF), n_in)
    defaults = _actor_defaults()
    actors: list[dict[str, Any]] = []
    width = len(str(n_actors))
    for j in range(n_outside):
        name = _OUTSIDE_NAMES[j % len(_OUTSIDE_NAMES)]
        if j >= len(_OUTSIDE_NAMES):
            name = f"{name} {j // len(_OUTSIDE_NAMES) + 1}"
        actors.append(
            defaults | {"id": f"ext-{j:0{width}d}", "name": name, "kind": ActorKind.EXTERIEUR.value}
        )
    n_step = 0
    for i in range(n_in):
        kind = kinds[i]
        if in_zae[i] and kind is ActorKind.ENTREPRISE:
            z = int(zae_of[i])
            commune = communes[int(zae_commune[z])]
            zae: str | None = f"zae-{z:04d}"
            lat = zae_lat[z] + 0.002 * jitter[i, 0]
            lon = zae_lon[z] + 0.003 * jitter[i, 1]
        else:
            commune = communes[int(commune_of[i])]
            zae = None
            lat = commune.lat + 0.012 * jitter[i, 0]
            lon = commune.lon + 0.018 * jitter[i, 1]
        name = f"{_KIND_NAMES[kind]} {i + 1} ({commune.name})"
        naf = _NAF[int(naf_of[i])] if kind is ActorKind.ENTREPRISE else None
        if theme is Theme.EAU_INDUSTRIELLE and kind is ActorKind.EQUIPEMENT and i % 3 == 0:
            name = f"Station d'épuration {n_step + 1} ({commune.name})"
            naf = "37.00Z"
            n_step += 1
        actors.append(
            defaults
            | {
                "id": f"a-{i:0{width}d}",
                "name": name,
                "kind": kind.value,
                "naf": naf,
                "employees": None if no_staff[i] else int(employees[i]),
                "commune_insee": commune.insee,
                "epci": commune.epci,
                "lat": round(float(lat), 5),
                "lon": round(float(lon), 5),
                "zae": zae,
            }
        )
    return actors, n_in


def _forward_pairs(
    rng: np.random.Generator, n_in: int, size: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Upstream -> downstream pairs among internal actors (index = rank in the chain)."""
    hubs = rng.choice(max(1, n_in // 2), size=max(1, n_in // 100), replace=False)
    from_hub = rng.random(size) < 0.25  # noqa: PLR2004
    src = np.where(from_hub, rng.choice(hubs, size), rng.integers(0, n_in - 1, size))
    src = np.minimum(src, n_in - 2)
    far = rng.random(size) < 0.5  # noqa: PLR2004
    span = (n_in - 1 - src).astype(np.float64)
    uniform = src + 1 + np.floor(rng.random(size) * span).astype(np.int64)
    near = src + 1 + rng.geometric(1 / 50, size)
    dst = np.where(far | from_hub, uniform, np.minimum(near, n_in - 1))
    return src.astype(np.int64), dst.astype(np.int64)


def _loop_pairs(rng: np.random.Generator, n_in: int, n_loops: int) -> tuple[list[int], list[int]]:
    """Short loops: a chain of 2 or 3 neighbouring actors closed by a back flow."""
    src: list[int] = []
    dst: list[int] = []
    starts = rng.integers(0, max(1, n_in - 3), n_loops)
    lengths = rng.integers(2, 4, n_loops)
    for start, length in zip(starts.tolist(), lengths.tolist(), strict=True):
        chain = list(range(start, min(start + length, n_in)))
        if len(chain) < 2:  # noqa: PLR2004
            continue
        src.extend(chain[:-1])
        dst.extend(chain[1:])
        src.append(chain[-1])
        dst.append(chain[0])
    return src, dst


def _quantities(
    rng: np.random.Generator, kinds: list[FlowKind]
) -> tuple[list[float | None], list[str | None]]:
    """Draw a quantity and a unit for each flow: units of a family its kind accepts."""
    size = len(kinds)
    base = rng.lognormal(math.log(400.0), 1.6, size)
    missing = rng.random(size) < 0.05  # noqa: PLR2004
    second = rng.random(size) < 0.15  # noqa: PLR2004
    unit_draw = rng.random(size)
    kind_list = list(FlowKind)
    kind_index = {k: i for i, k in enumerate(kind_list)}
    families_of: list[tuple[UnitFamily, UnitFamily]] = []
    for kind in kind_list:
        allowed: list[UnitFamily] = [
            f for f in FLOW_KINDS[kind].families if f is not UnitFamily.POWER
        ]
        allowed = allowed or list(FLOW_KINDS[kind].families)
        families_of.append((allowed[0], allowed[1] if len(allowed) > 1 else allowed[0]))
    codes = np.fromiter((kind_index[k] for k in kinds), dtype=np.int64, count=size)
    family_list = list(UnitFamily)
    first = np.asarray([family_list.index(f[0]) for f in families_of])[codes]
    other = np.asarray([family_list.index(f[1]) for f in families_of])[codes]
    family_code = np.where(second, other, first)
    unit_names: list[str] = []
    unit_code = np.zeros(size, dtype=np.int64)
    factor = np.ones(size)
    for f_index, family in enumerate(family_list):
        table = _UNITS[family]
        cum = np.cumsum([w for _, w in table]) / sum(w for _, w in table)
        mask = family_code == f_index
        local = np.minimum(np.searchsorted(cum, unit_draw[mask]), len(table) - 1)
        offset = len(unit_names)
        unit_names.extend(u for u, _ in table)
        unit_code[mask] = offset + local
        factor[mask] = np.asarray([get_unit(u).to_base for u, _ in table])[local]
    values = np.maximum(base / factor, 0.001)
    exponent = np.floor(np.log10(values)) - 3
    values = np.round(values / 10.0**exponent) * 10.0**exponent
    quantities: list[float | None] = [
        None if m else float(f"{v:.4g}")
        for v, m in zip(values.tolist(), missing.tolist(), strict=True)
    ]
    units: list[str | None] = [
        None if m else unit_names[c]
        for c, m in zip(unit_code.tolist(), missing.tolist(), strict=True)
    ]
    return quantities, units


def _status_column(rng: np.random.Generator, size: int) -> tuple[list[str], list[str]]:
    status_draw = rng.random(size)
    confidentiality_draw = rng.random(size)
    status = np.where(
        status_draw < 0.02,  # noqa: PLR2004
        Status.POTENTIEL.value,
        np.where(status_draw < 0.05, Status.PROJET.value, Status.EXISTANT.value),  # noqa: PLR2004
    )
    confidentiality = np.where(
        confidentiality_draw > 0.95,  # noqa: PLR2004
        Confidentiality.CONFIDENTIEL.value,
        np.where(
            confidentiality_draw > 0.85,  # noqa: PLR2004
            Confidentiality.PARTENAIRES.value,
            Confidentiality.PUBLIC.value,
        ),
    )
    return status.tolist(), confidentiality.tolist()


def _route_wastewater(
    actors: list[dict[str, Any]],
    n_outside: int,
    kinds: list[FlowKind],
    ends: tuple[NDArray[np.int64], NDArray[np.int64]],
    counts: tuple[int, int],
) -> None:
    """Send wastewater to the next treatment plant downstream, and half the discharges from them."""
    src, dst = ends
    n_import, n_forward = counts
    steps = np.asarray(
        [i - n_outside for i, a in enumerate(actors) if a.get("naf") == "37.00Z"], dtype=np.int64
    )
    if not len(steps):
        return
    for j in range(n_import, n_import + n_forward):
        if kinds[j] is FlowKind.EAUX_USEES:
            k = int(np.searchsorted(steps, src[j] - n_outside, side="right"))
            if k < len(steps):
                dst[j] = n_outside + steps[k]
    for j in range(n_import + n_forward, len(kinds)):
        if kinds[j] is FlowKind.REJET and j % 2 == 0:
            src[j] = n_outside + steps[j % len(steps)]


def _draw(n_actors: int, n_flows: int, seed: int, theme: Theme) -> _Draft:
    if n_actors < 4 or n_flows < 0:  # noqa: PLR2004
        msg = "Une toile synthétique demande au moins 4 acteurs et un nombre de flux positif."
        raise AnalysisError(msg)
    rng = np.random.default_rng(seed)
    kinds_of = _THEMES[theme]
    n_outside = min(max(2, n_actors // 1000), n_actors // 2)
    actors, n_in = _draw_actors(rng, n_actors, n_outside, theme)
    n_import = int(0.15 * n_flows)
    n_release = int(0.08 * n_flows)
    n_loops = max(1, n_flows // 250) if n_flows >= 20 else 0  # noqa: PLR2004
    loop_src, loop_dst = _loop_pairs(rng, n_in, n_loops)
    loop_src, loop_dst = loop_src[: n_flows // 2], loop_dst[: n_flows // 2]
    n_forward = max(0, n_flows - n_import - n_release - len(loop_src))
    fwd_src, fwd_dst = _forward_pairs(rng, n_in, n_forward)
    imp_dst = rng.integers(0, n_in, n_import)
    imp_src = rng.integers(0, n_outside, n_import)
    rel_src = rng.integers(0, n_in, n_release)
    rel_dst = rng.integers(0, n_outside, n_release)
    # Node index in `actors`: outside actors first, then internal ones shifted by n_outside.
    loops_s = np.asarray(loop_src, dtype=np.int64)
    loops_d = np.asarray(loop_dst, dtype=np.int64)
    src = np.concatenate([imp_src, n_outside + fwd_src, n_outside + loops_s, n_outside + rel_src])
    dst = np.concatenate([n_outside + imp_dst, n_outside + fwd_dst, n_outside + loops_d, rel_dst])
    loop_kinds = [kinds_of.loops[i % len(kinds_of.loops)] for i in range(len(loop_src))]
    kinds = (
        _pick(rng, kinds_of.imports, n_import)
        + _pick(rng, kinds_of.internal, n_forward)
        + loop_kinds
        + _pick(rng, kinds_of.releases, n_release)
    )
    _route_wastewater(actors, n_outside, kinds, (src, dst), (n_import, n_forward))
    quantities, units = _quantities(rng, kinds)
    status, confidentiality = _status_column(rng, len(kinds))
    width = len(str(max(1, len(kinds))))
    ids = [a["id"] for a in actors]
    columns: dict[str, list[Any]] = {
        "id": [f"f-{i:0{width}d}" for i in range(len(kinds))],
        "source": [ids[i] for i in src.tolist()],
        "target": [ids[i] for i in dst.tolist()],
        "kind": [k.value for k in kinds],
        "quantity": quantities,
        "unit": units,
        "status": status,
        "confidentiality": confidentiality,
    }
    info: dict[str, Any] = {
        "id": f"synthetique-{theme.value.replace('_', '-')}-{n_actors}",
        "name": f"Toile synthétique ({n_actors} acteurs, {len(kinds)} flux)",
        "theme": theme.value,
        "version": "T0",
        "territory": {
            "name": "Artois (synthétique)",
            "epci": sorted({c.epci for c in _communes()}),
        },
        "description": f"Toile tirée au hasard (graine {seed}) pour les tests et les mesures.",
        "sources": [],
        "updated": None,
        "illustrative": True,
    }
    return _Draft(info=info, actors=actors, flows=columns)


_FLOW_CONSTANTS = {"year": 2023, "provenance": "synthétique"}


def _flow_rows(draft: _Draft) -> list[dict[str, Any]]:
    """Flow fields as dictionaries (every field of :class:`Flow`)."""
    cols = draft.flows
    defaults = _flow_defaults() | _FLOW_CONSTANTS
    names = list(cols)
    return [
        defaults | dict(zip(names, row, strict=True)) for row in zip(*cols.values(), strict=True)
    ]


def synthetic_toile(
    n_actors: int, n_flows: int, *, seed: int = 0, theme: Theme | str = Theme.ENERGIE
) -> Toile:
    """Draw a synthetic toile shaped like the Artois ones (seeded, so reproducible).

    Parameters
    ----------
    n_actors
        Number of actors, ``exterieur`` ones included (about one in a thousand, at least 2).
    n_flows
        Number of flows (exact unless very small toiles leave no room for them).
    seed
        Seed of the random generator: the same seed gives the same toile.
    theme
        Theme whose flow kinds are drawn.

    Returns
    -------
    Toile
        A valid toile (built without re-validation for speed; its content passes validation).

    Examples
    --------
    >>> t = synthetic_toile(50, 120, seed=1)
    >>> len(t.actors), len(t.flows), t.theme.value
    (50, 120, 'energie')
    >>> synthetic_toile(50, 120, seed=1) == t
    True
    """
    draft = _draw(n_actors, n_flows, seed, Theme(theme))
    actors = tuple(
        Actor.model_construct(
            **(
                a
                | {
                    "kind": ActorKind(a["kind"]),
                    "tags": (),
                    "confidentiality": Confidentiality(a["confidentiality"]),
                }
            )
        )
        for a in draft.actors
    )
    flows = tuple(
        Flow.model_construct(
            **(
                f
                | {
                    "kind": FlowKind(f["kind"]),
                    "status": Status(f["status"]),
                    "confidentiality": Confidentiality(f["confidentiality"]),
                }
            )
        )
        for f in _flow_rows(draft)
    )
    info = draft.info | {
        "theme": Theme(draft.info["theme"]),
        "territory": Territory.model_construct(
            name=draft.info["territory"]["name"], epci=tuple(draft.info["territory"]["epci"])
        ),
        "sources": (),
    }
    return Toile.model_construct(**info, actors=actors, flows=flows)


def synthetic_graph(
    n_actors: int, n_flows: int, *, seed: int = 0, theme: Theme | str = Theme.ENERGIE
) -> nx.MultiDiGraph[str]:
    """Draw the same toile as :func:`synthetic_toile`, directly as its graph (faster).

    The graph follows :func:`toiles.graph.graph_from_toile`'s convention exactly.

    Examples
    --------
    >>> G = synthetic_graph(50, 120, seed=1)
    >>> G.number_of_nodes(), G.number_of_edges()
    (50, 120)
    """
    draft = _draw(n_actors, n_flows, seed, Theme(theme))
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    G.graph.update(draft.info)
    G.add_nodes_from((a["id"], {k: v for k, v in a.items() if k != "id"}) for a in draft.actors)
    cols = draft.flows
    factors = {u: get_unit(u) for u in set(cols["unit"]) if u is not None}
    edges = [
        (
            s,
            t,
            i,
            {
                "kind": k,
                "quantity": q,
                "unit": u,
                "year": 2023,
                "status": st,
                "confidentiality": c,
                "provenance": "synthétique",
                "confidence": None,
                "notes": None,
                "temperature": None,
                "family": None if u is None else factors[u].family.value,
                "quantity_base": None if q is None else base_quantity(q, factors[u]),
            },
        )
        for i, s, t, k, q, u, st, c in zip(
            cols["id"],
            cols["source"],
            cols["target"],
            cols["kind"],
            cols["quantity"],
            cols["unit"],
            cols["status"],
            cols["confidentiality"],
            strict=True,
        )
    ]
    G.add_edges_from(edges)  # type: ignore[arg-type]  # keyed edges: the stubs miss them
    return G


def example_toile() -> Toile:
    """Return the small hand-made energy toile used by the docs and doctests.

    Nine actors around Béthune and Bruay-la-Buissière: a glassworks releasing 3 GWh of
    waste heat to the atmosphere, greenhouses next to it in the same ZAE that buy gas for
    heat, a wood loop (sawmill -> biomass boiler -> heat network -> sawmill) and a school,
    a dairy 12 km away, and two ``exterieur`` actors. Units are mixed on purpose (GWh, MWh,
    kWh, t) and one flow has no quantity.

    Examples
    --------
    >>> t = example_toile()
    >>> len(t.actors), len(t.flows)
    (9, 14)
    """

    def actor(ident: str, name: str, kind: str, **fields: Any) -> Actor:  # noqa: ANN401
        return Actor(id=ident, name=name, kind=ActorKind(kind), **fields)

    bethune = {"commune_insee": "62119", "epci": "200072460"}
    bruay = {"commune_insee": "62178", "epci": "200072460"}
    actors = [
        actor("ext-reseaux", "Réseaux nationaux", "exterieur"),
        actor("ext-air", "Atmosphère", "exterieur"),
        actor(
            "verrerie",
            "Verrerie du Nord",
            "entreprise",
            zae="zae-nord",
            lat=50.5300,
            lon=2.6400,
            employees=300,
            **bethune,
        ),
        actor(
            "serres",
            "Serres de la Lys",
            "entreprise",
            zae="zae-nord",
            lat=50.5320,
            lon=2.6450,
            employees=40,
            **bethune,
        ),
        actor(
            "scierie",
            "Scierie Artois Bois",
            "entreprise",
            lat=50.4833,
            lon=2.5500,
            employees=25,
            **bruay,
        ),
        actor(
            "chaufferie",
            "Chaufferie biomasse",
            "equipement",
            lat=50.5000,
            lon=2.5800,
            employees=10,
            **bruay,
        ),
        actor(
            "reseau-chaleur",
            "Réseau de chaleur de Bruay",
            "gestionnaire_reseau",
            lat=50.4850,
            lon=2.5550,
            employees=20,
            **bruay,
        ),
        actor(
            "lycee",
            "Lycée des métiers",
            "etablissement_public",
            lat=50.4870,
            lon=2.5600,
            employees=80,
            **bruay,
        ),
        actor(
            "laiterie",
            "Laiterie des Flandres",
            "entreprise",
            zae="zae-sud",
            lat=50.5634,
            lon=2.4804,
            employees=60,
            commune_insee="62516",
            epci="200072460",
        ),
    ]
    rows = [
        ("ext-reseaux", "verrerie", "gaz_naturel", 10.0, "GWh"),
        ("ext-reseaux", "verrerie", "electricite", 5000.0, "MWh"),
        ("verrerie", "ext-air", "chaleur_fatale", 3000.0, "MWh"),
        ("ext-reseaux", "serres", "gaz_naturel", 1500.0, "MWh"),
        ("ext-reseaux", "scierie", "electricite", 300000.0, "kWh"),
        ("scierie", "chaufferie", "biomasse", 2000.0, "MWh"),
        ("chaufferie", "reseau-chaleur", "chaleur", 1.8, "GWh"),
        ("reseau-chaleur", "lycee", "chaleur", 1200.0, "MWh"),
        ("reseau-chaleur", "scierie", "chaleur", 500.0, "MWh"),
        ("ext-reseaux", "laiterie", "gaz_naturel", 2500.0, "MWh"),
        ("ext-reseaux", "laiterie", "biomasse", 400.0, "MWh"),
        ("scierie", "ext-air", "dechets", 120.0, "t"),
        ("ext-reseaux", "lycee", "electricite", None, None),
        ("scierie", "laiterie", "sous_produit", 30.0, "t"),
    ]
    flows = [
        Flow(
            id=f"f{i + 1:02d}", source=s, target=t, kind=FlowKind(k), quantity=q, unit=u, year=2023
        )
        for i, (s, t, k, q, u) in enumerate(rows)
    ]
    return Toile(
        id="exemple",
        name="Toile d'exemple",
        theme=Theme.ENERGIE,
        territory=Territory(name="Béthune-Bruay", epci=("200072460",)),
        description="Petite toile faite à la main pour la documentation et les tests.",
        illustrative=True,
        actors=tuple(actors),
        flows=tuple(flows),
    )


def example_graph() -> nx.MultiDiGraph[str]:
    """Return the graph of :func:`example_toile`.

    Examples
    --------
    >>> example_graph().number_of_edges()
    14
    """
    return graph_from_toile(example_toile())
