"""The bundled reference toiles keep every promise of their issue.

Three Artois toiles (industrial water, energy in two versions, electromobility) with
fictitious companies in real communes, and the Kalundborg symbiosis from published figures.
"""

from __future__ import annotations

import csv
import functools
import math
from collections import Counter
from typing import TYPE_CHECKING

import networkx as nx
import pytest

from toiles.errors import ToileNotFound
from toiles.loaders import load_toile, validate_toile
from toiles.models import ActorKind, Confidentiality, FlowKind, Status, UnitFamily
from toiles.reference import artois_communes_path, reference_dir, reference_dirs

if TYPE_CHECKING:
    from toiles.models import Actor, Flow, Toile

ARTOIS = (
    "artois-eau-industrielle-T0",
    "artois-energie-T0",
    "artois-energie-T1",
    "artois-electromobilite-T0",
)
ENERGY = ("artois-energie-T0", "artois-energie-T1")
ALL = (*ARTOIS, "kalundborg-T0")
EPCI_SHORT = {
    "200072460": "CABBALR",
    "246200364": "CALL",
    "200069672": "CC Ternois Com",
    "200044030": "CC des 7 Vallées",
}
HEAT_KINDS = {FlowKind.CHALEUR, FlowKind.VAPEUR, FlowKind.GAZ_NATUREL}
KALUNDBORG = (55.68, 11.09)


@functools.cache
def toile(name: str) -> Toile:
    return load_toile(reference_dir(name))


@functools.cache
def communes() -> dict[str, dict[str, str]]:
    with artois_communes_path().open(encoding="utf-8", newline="") as handle:
        return {row["commune_insee"]: row for row in csv.DictReader(handle)}


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def actors_by_id(t: Toile) -> dict[str, Actor]:
    return {a.id: a for a in t.actors}


def existing_cycles(t: Toile) -> list[list[str]]:
    G: nx.DiGraph[str] = nx.DiGraph()
    G.add_edges_from((f.source, f.target) for f in t.flows if f.status is Status.EXISTANT)
    return list(nx.simple_cycles(G))


def has_cycle(cycles: list[list[str]], members: list[str]) -> bool:
    """Whether the cycle through exactly these actors, in this order, is among ``cycles``."""
    size = len(members)
    for cycle in cycles:
        if len(cycle) == size and members[0] in cycle:
            start = cycle.index(members[0])
            if cycle[start:] + cycle[:start] == members:
                return True
    return False


def heat_consumers(t: Toile) -> set[str]:
    outside = {a.id for a in t.actors if a.kind is ActorKind.EXTERIEUR}
    return {f.target for f in t.flows if f.kind in HEAT_KINDS and f.target not in outside}


def waste_heat_pairs(t: Toile) -> dict[str, list[str]]:
    """Emitters of waste heat lost to the outside, with their heat consumers nearby."""
    by_id = actors_by_id(t)
    emitters = {
        f.source
        for f in t.flows
        if f.kind is FlowKind.CHALEUR_FATALE
        and by_id[f.target].kind is ActorKind.EXTERIEUR
        and f.family is UnitFamily.ENERGY
    }
    pairs: dict[str, list[str]] = {}
    for emitter in sorted(emitters):
        e = by_id[emitter]
        near = []
        for consumer in sorted(heat_consumers(t) - {emitter}):
            c = by_id[consumer]
            same_zae = e.zae is not None and c.zae == e.zae
            close = (
                None not in (e.lat, e.lon, c.lat, c.lon) and km(e.lat, e.lon, c.lat, c.lon) <= 5.0  # type: ignore[arg-type]
            )
            if same_zae or close:
                near.append(consumer)
        pairs[emitter] = near
    return pairs


# --- the bundle ---------------------------------------------------------------------------------


def test_reference_dirs_lists_the_five_versions() -> None:
    assert [p.name for p in reference_dirs()] == sorted(ALL)


def test_reference_dir_unknown_name_raises() -> None:
    with pytest.raises(ToileNotFound, match="kalundborg-T0"):
        reference_dir("artois-inconnue-T0")


@pytest.mark.parametrize("name", ALL)
def test_validate_toile_reference_has_no_error(name: str) -> None:
    report = validate_toile(reference_dir(name))
    assert report.ok, [str(p) for p in report.errors]


@pytest.mark.parametrize(
    ("name", "toile_id", "theme", "version"),
    [
        ("artois-eau-industrielle-T0", "artois-eau-industrielle", "eau_industrielle", "T0"),
        ("artois-energie-T0", "artois-energie", "energie", "T0"),
        ("artois-energie-T1", "artois-energie", "energie", "T1"),
        ("artois-electromobilite-T0", "artois-electromobilite", "electromobilite", "T0"),
        ("kalundborg-T0", "kalundborg", "energie", "T0"),
    ],
)
def test_load_toile_reference_ids_themes_versions(
    name: str, toile_id: str, theme: str, version: str
) -> None:
    t = toile(name)
    assert (t.id, t.theme.value, t.version) == (toile_id, theme, version)
    assert t.updated is not None
    assert t.sources


# --- Artois: size, geography, honesty -----------------------------------------------------------


@pytest.mark.parametrize("name", ARTOIS)
def test_artois_counts_reach_the_minimum(name: str) -> None:
    t = toile(name)
    assert len(t.actors) >= 60
    assert len(t.flows) >= 120


@pytest.mark.parametrize("name", ARTOIS)
def test_artois_actors_have_commune_coordinates_and_kind(name: str) -> None:
    # Decision: actors of kind ``exterieur`` stand for the outside and have neither a
    # commune nor coordinates; every other actor has both.
    for actor in toile(name).actors:
        assert actor.kind is not None
        if actor.kind is ActorKind.EXTERIEUR:
            assert (actor.commune_insee, actor.lat, actor.epci) == (None, None, None), actor.id
        else:
            assert actor.commune_insee is not None, actor.id
            assert actor.lat is not None, actor.id
            assert actor.lon is not None, actor.id


@pytest.mark.parametrize("name", ARTOIS)
def test_artois_communes_belong_to_the_four_epci(name: str) -> None:
    for actor in toile(name).actors:
        if actor.commune_insee is None:
            continue
        assert actor.commune_insee.startswith("62"), actor.id
        commune = communes()[actor.commune_insee]
        assert commune["epci_siren"] in EPCI_SHORT, actor.id
        assert actor.epci == EPCI_SHORT[commune["epci_siren"]], actor.id


@pytest.mark.parametrize("name", ARTOIS)
def test_artois_coordinates_within_2_km_of_commune(name: str) -> None:
    for actor in toile(name).actors:
        if actor.commune_insee is None:
            continue
        commune = communes()[actor.commune_insee]
        assert commune["lat"], f"{actor.id}: commune without a point"
        distance = km(actor.lat, actor.lon, float(commune["lat"]), float(commune["lon"]))  # type: ignore[arg-type]
        assert distance <= 2.0, f"{actor.id} is {distance:.2f} km from {commune['nom']}"


@pytest.mark.parametrize("name", ARTOIS)
def test_artois_zae_are_actors_and_compact(name: str) -> None:
    t = toile(name)
    by_id = actors_by_id(t)
    members: dict[str, list[Actor]] = {}
    for actor in t.actors:
        if actor.zae is not None:
            assert by_id[actor.zae].kind is ActorKind.ZAE, actor.id
            members.setdefault(actor.zae, []).append(actor)
    assert 4 <= len(members) <= 15
    for zae, actors in members.items():
        group = [by_id[zae], *actors]
        widest = max(km(a.lat, a.lon, b.lat, b.lon) for a in group for b in group)  # type: ignore[arg-type]
        assert widest <= 1.5, f"{zae} spreads over {widest:.2f} km"


@pytest.mark.parametrize("name", ARTOIS)
def test_artois_marked_illustrative(name: str) -> None:
    t = toile(name)
    assert t.illustrative is True
    assert "ILLUSTRATIVE" in (t.description or "")
    assert any("GeoNames (CC BY 4.0)" in s and "Licence Ouverte" in s for s in t.sources)
    for flow in t.flows:
        assert (flow.provenance or "").startswith("Illustratif"), flow.id
        assert flow.confidence is not None, flow.id
        if flow.quantity is not None:
            assert flow.confidence.value == "faible", f"{flow.id}: invented figure"


@pytest.mark.parametrize("name", ARTOIS)
def test_artois_companies_are_fictitious(name: str) -> None:
    for actor in toile(name).actors:
        if actor.kind is ActorKind.ENTREPRISE:
            assert actor.siret is None, actor.id
            assert actor.siren is None, actor.id
            assert "fictif" in actor.tags, actor.id
            assert (actor.provenance or "").startswith("Acteur fictif"), actor.id
            assert actor.naf is not None, actor.id
            assert actor.employees is not None, actor.id
        assert actor.provenance, actor.id


@pytest.mark.parametrize("name", ARTOIS)
def test_artois_flows_complete_and_mostly_quantified(name: str) -> None:
    flows = toile(name).flows
    for flow in flows:
        assert flow.kind is not None, flow.id
        assert flow.status is not None, flow.id
        assert flow.provenance, flow.id
        assert flow.confidence is not None, flow.id
        assert flow.year is not None, flow.id
    assert sum(f.quantity is not None for f in flows) >= len(flows) / 2


@pytest.mark.parametrize("name", ARTOIS)
def test_artois_confidentiality_mix(name: str) -> None:
    t = toile(name)
    flows = Counter(f.confidentiality for f in t.flows)
    assert flows[Confidentiality.CONFIDENTIEL] >= 2
    assert flows[Confidentiality.PARTENAIRES] >= 2
    assert flows[Confidentiality.PUBLIC] > len(t.flows) / 2
    assert any(a.confidentiality is Confidentiality.PARTENAIRES for a in t.actors)


@pytest.mark.parametrize("name", ARTOIS)
def test_artois_exterieur_actors_import_and_export(name: str) -> None:
    t = toile(name)
    outside = {a.id for a in t.actors if a.kind is ActorKind.EXTERIEUR}
    assert len(outside) >= 2
    assert any(f.source in outside for f in t.flows)
    assert any(f.target in outside for f in t.flows)
    used = {f.source for f in t.flows} | {f.target for f in t.flows}
    assert outside <= used


def test_artois_shared_actor_is_the_same_in_every_toile() -> None:
    # The files are the source of the data (no generator keeps them in step any more): an
    # actor id used by several Artois toiles must name the same actor at the same place.
    seen: dict[str, tuple[str, Actor]] = {}
    shared = 0
    for name in ARTOIS:
        for actor in toile(name).actors:
            if actor.id not in seen:
                seen[actor.id] = (name, actor)
                continue
            shared += 1
            first_name, first = seen[actor.id]
            where = f"{actor.id} in {first_name} and {name}"
            assert (actor.name, actor.kind, actor.commune_insee) == (
                first.name,
                first.kind,
                first.commune_insee,
            ), where
            assert (actor.lat, actor.lon) == (first.lat, first.lon), where
    assert shared >= 10


# --- energy: loops, waste heat, T0 -> T1 --------------------------------------------------------


@pytest.mark.parametrize("name", ENERGY)
def test_energy_existing_loops(name: str) -> None:
    cycles = existing_cycles(toile(name))
    assert len(cycles) >= 2
    assert has_cycle(cycles, ["ent-cogen-mazingarbe", "ent-azote-gohelle"])
    assert has_cycle(cycles, ["ent-methanisation-ternois", "ent-salaisons-ternois"])
    assert has_cycle(cycles, ["ent-papeterie-canche", "ent-chaufferie-canche"])
    assert has_cycle(cycles, ["ent-uve-bethunois", "rcu-bethune", "epci-cabbalr"])


@pytest.mark.parametrize("name", ENERGY)
def test_energy_waste_heat_emitters_have_heat_consumers_nearby(name: str) -> None:
    pairs = waste_heat_pairs(toile(name))
    with_neighbours = {e for e, near in pairs.items() if near}
    assert len(with_neighbours) >= 4
    expected = {
        "ent-acieries-lys": "ent-serres-lys",
        "ent-fonderie-bm": "ent-plasturgie-clarence",
        "ent-froid-porte-nord": "ent-imprimerie-porte-nord",
        "ent-pommes-artois": "ent-galva-deule",
        "ent-datacenter-alouette": "rcu-lievin",
    }
    for emitter, consumer in expected.items():
        assert consumer in pairs[emitter], emitter


@pytest.mark.parametrize("name", ENERGY)
def test_energy_networks_producers_and_heat_networks(name: str) -> None:
    t = toile(name)
    by_id = actors_by_id(t)
    for operator in ("rte", "enedis", "grtgaz", "grdf"):
        assert by_id[operator].kind is ActorKind.GESTIONNAIRE_RESEAU
    assert by_id["rcu-bethune"].name == "Réseau de chaleur de Béthune"
    assert by_id["rcu-lievin"].name == "Réseau de chaleur de Liévin"
    tags = {tag for a in t.actors for tag in a.tags}
    assert {"solaire", "eolien", "methanisation", "incineration"} <= tags


def test_energy_t1_adds_and_closes_actors() -> None:
    before = actors_by_id(toile("artois-energie-T0"))
    after = actors_by_id(toile("artois-energie-T1"))
    added, closed = set(after) - set(before), set(before) - set(after)
    assert len(added) >= 3
    assert 1 <= len(closed) <= 2
    for actor_id in set(before) & set(after):
        assert before[actor_id] == after[actor_id], actor_id


def test_energy_t1_updates_figures_and_bumps_year() -> None:
    before = {f.id: f for f in toile("artois-energie-T0").flows}
    after = {f.id: f for f in toile("artois-energie-T1").flows}
    updated = [i for i in set(before) & set(after) if before[i].quantity != after[i].quantity]
    assert len(updated) >= 5
    for flow_id in updated:
        assert after[flow_id].year == before[flow_id].year + 1  # type: ignore[operator]
    unchanged = [i for i in set(before) & set(after) if i not in updated]
    assert unchanged
    for flow_id in unchanged:
        if before[flow_id].status is after[flow_id].status:
            assert before[flow_id] == after[flow_id], flow_id


def test_energy_t1_a_potential_flow_becomes_existing() -> None:
    before = {f.id: f for f in toile("artois-energie-T0").flows}
    after = {f.id: f for f in toile("artois-energie-T1").flows}
    commissioned = [
        i
        for i in set(before) & set(after)
        if before[i].status is Status.POTENTIEL and after[i].status is Status.EXISTANT
    ]
    assert len(commissioned) == 1
    flow = after[commissioned[0]]
    assert (flow.source, flow.target) == ("ent-datacenter-alouette", "rcu-lievin")


def test_energy_t1_new_flow_ids_do_not_reuse_t0_ids() -> None:
    before = {f.id: f for f in toile("artois-energie-T0").flows}
    for flow in toile("artois-energie-T1").flows:
        if flow.id in before:
            assert (flow.source, flow.target, flow.kind) == (
                before[flow.id].source,
                before[flow.id].target,
                before[flow.id].kind,
            )


# --- water --------------------------------------------------------------------------------------


def test_water_treatment_plants_receive_and_discharge() -> None:
    t = toile("artois-eau-industrielle-T0")
    by_id = actors_by_id(t)
    plants = [a for a in t.actors if "step" in a.tags]
    assert len(plants) >= 5
    for plant in plants:
        inflows = [f for f in t.flows if f.target == plant.id and f.kind is FlowKind.EAUX_USEES]
        outflows = [
            f
            for f in t.flows
            if f.source == plant.id
            and f.kind is FlowKind.REJET
            and by_id[f.target].kind is ActorKind.EXTERIEUR
        ]
        assert inflows, plant.id
        assert outflows, plant.id


def test_water_reuse_existing_and_potential() -> None:
    t = toile("artois-eau-industrielle-T0")
    by_id = actors_by_id(t)
    reuse = [f for f in t.flows if f.kind is FlowKind.REUTILISATION]
    statuses = {f.status for f in reuse}
    assert {Status.EXISTANT, Status.POTENTIEL} <= statuses
    for flow in reuse:
        assert "step" in by_id[flow.source].tags, flow.id
        assert by_id[flow.target].kind is ActorKind.ENTREPRISE, flow.id


def test_water_withdrawals_cooling_and_drinking_water() -> None:
    t = toile("artois-eau-industrielle-T0")
    by_id = actors_by_id(t)
    kinds = Counter(f.kind for f in t.flows)
    for kind in (
        FlowKind.PRELEVEMENT,
        FlowKind.EAU_POTABLE,
        FlowKind.EAU_REFROIDISSEMENT,
        FlowKind.REJET,
        FlowKind.EAUX_USEES,
        FlowKind.EAU_INDUSTRIELLE,
    ):
        assert kinds[kind] >= 1, kind
    withdrawn_by = {
        by_id[f.target].kind
        for f in t.flows
        if f.kind is FlowKind.PRELEVEMENT and f.source == "ext-nappe-craie"
    }
    assert {ActorKind.ENTREPRISE, ActorKind.EQUIPEMENT, ActorKind.SYNDICAT} <= withdrawn_by
    assert by_id["ext-agence-eau"].name == "Agence de l'eau Artois-Picardie"
    for flow in t.flows:
        if flow.kind is not FlowKind.SERVICE and flow.unit is not None:
            assert flow.family is UnitFamily.VOLUME, flow.id
    sectors = {tag for a in t.actors for tag in a.tags}
    assert {"agroalimentaire", "chimie", "papier", "metallurgie", "plasturgie", "energie"} <= (
        sectors
    )


# --- electromobility ----------------------------------------------------------------------------


def test_electromobility_covers_the_supply_chain() -> None:
    t = toile("artois-electromobilite-T0")
    kinds = {f.kind for f in t.flows}
    assert {
        FlowKind.COMPOSANTS,
        FlowKind.BATTERIES,
        FlowKind.ASSEMBLAGE,
        FlowKind.RECHARGE,
        FlowKind.RECYCLAGE,
        FlowKind.RECHERCHE,
        FlowKind.FORMATION,
        FlowKind.FINANCEMENT,
    } <= kinds
    tags = {tag for a in t.actors for tag in a.tags}
    assert {
        "batteries",
        "composants",
        "assemblage",
        "recyclage",
        "installateur",
        "operateur",
        "recherche",
        "formation",
    } <= tags
    names = {a.name for a in t.actors}
    assert {"SMT Artois Mobilités", "Pôle métropolitain de l'Artois"} <= names
    assert any(a.kind is ActorKind.EPCI for a in t.actors)
    assert any(f.kind is FlowKind.FINANCEMENT and f.source.startswith("ext-") for f in t.flows)


# --- Kalundborg ---------------------------------------------------------------------------------


def kalundborg_flow(source: str, target: str, quantity: float, unit: str) -> Flow | None:
    for flow in toile("kalundborg-T0").flows:
        if (flow.source, flow.target, flow.quantity, flow.unit) == (
            source,
            target,
            quantity,
            unit,
        ):
            return flow
    return None


def test_kalundborg_is_real_data_located_in_denmark() -> None:
    t = toile("kalundborg-T0")
    assert t.illustrative is False
    assert t.territory.name == "Kalundborg (Danemark)"
    for actor in t.actors:
        assert actor.commune_insee is None, actor.id
        assert actor.epci is None, actor.id
        if actor.lat is not None:
            assert km(actor.lat, actor.lon, *KALUNDBORG) <= 20.0, actor.id  # type: ignore[arg-type]
    located = [a for a in t.actors if a.kind is not ActorKind.EXTERIEUR and a.lat is not None]
    assert len(located) >= 6


def test_kalundborg_published_figures() -> None:
    assert kalundborg_flow("kal-asnaes", "kal-cimentier", 135_000, "t") is not None
    assert kalundborg_flow("kal-asnaes", "kal-gyproc", 200_000, "t") is not None
    assert kalundborg_flow("kal-novo-nordisk", "kal-agriculteurs", 1, "Mt") is not None
    assert kalundborg_flow("kal-novo-nordisk", "kal-agriculteurs", 5_000, "t") is not None
    assert kalundborg_flow("kal-asnaes", "ext-reseau-electrique", 1_500, "MW") is not None
    assert kalundborg_flow("ext-marche-petrole", "kal-statoil", 3, "Mt") is not None


def test_kalundborg_steam_has_no_invented_quantity() -> None:
    steam = [f for f in toile("kalundborg-T0").flows if f.kind is FlowKind.VAPEUR]
    assert len(steam) == 2
    assert all(f.quantity is None for f in steam)


def test_kalundborg_refinery_power_station_loop() -> None:
    t = toile("kalundborg-T0")
    cycles = existing_cycles(t)
    assert has_cycle(cycles, ["kal-asnaes", "kal-statoil"])
    back = {f.kind for f in t.flows if (f.source, f.target) == ("kal-statoil", "kal-asnaes")}
    assert {FlowKind.COMBUSTIBLE, FlowKind.REUTILISATION} <= back
    out = {f.target for f in t.flows if f.source == "kal-asnaes" and f.kind in HEAT_KINDS}
    assert {"kal-statoil", "kal-novo-nordisk", "kal-kommune"} <= out


def test_kalundborg_every_flow_cites_its_source_and_year() -> None:
    authors = ("Fiksel", "IISD", "Saikku", "Christensen", "PNUE")
    t = toile("kalundborg-T0")
    for flow in t.flows:
        assert flow.year is not None, flow.id
        assert any(a in (flow.provenance or "") for a in authors), flow.id
        assert "Illustratif" not in (flow.provenance or ""), flow.id
    notes = " ".join(f.notes or "" for f in t.flows)
    for year in ("1961", "1972", "1976", "1979", "1982", "1993", "1995"):
        assert f"commencé en {year}" in notes, year
