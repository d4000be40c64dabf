"""Import heat networks from the national survey data or the arrêté DPE list, one row each.

Two national lists are read. The most available one is the list of the heat and cold
networks of the « arrêté DPE » (the yearly order giving each network's CO2 content and
renewable rate for energy performance diagnoses), as republished by France Chaleur Urbaine
(``identifiant``, ``nom``, ``localisation`` — the commune's name, upper case —,
``contenu_co2``, ``contenu_co2_acv``, ``taux_enrr``, ``annee_reference``): each network
becomes an actor placed in its commune, without flows (the list gives no quantities). The
network's commune is found by name within the département of its identifier.

The national survey of heat and cold networks (SNCU/FEDENE, for the SDES) is published per
network, notably by France Chaleur Urbaine, with the columns this importer reads: the
network identifier (``Identifiant reseau``, such as ``6204C``: département, number, ``C``
for heat), ``nom_reseau``, ``Gestionnaire``, ``MO`` (owner), ``communes`` (names) and, when
present, ``communes_insee``, deliveries by sector (``livraisons_residentiel_MWh``,
``livraisons_tertiaire_MWh``, ``livraisons_industrie_MWh``, ``livraisons_agriculture_MWh``,
``livraisons_autre_MWh``) and production by source (``prod_MWh_gaz_naturel``,
``prod_MWh_biomasse_solide``, ``prod_MWh_UIOM``, ``prod_MWh_chaleur_industiel``...). CSV
(``,`` or ``;``) and JSON (a list, ``{"data": [...]}`` or GeoJSON features) are read.

Rows become one actor per network and per manager (``service`` flow manager -> network),
one actor per production source — ``exterieur`` for bought energy (gas, coal, fuel oil,
LPG, wood, biogas, electricity), local for what is produced in the territory (incineration,
industrial waste heat, geothermal, solar, heat pumps) — with a ``chaleur`` flow (or
``chaleur_fatale`` for recovered waste heat) into the network, and one actor per delivery
sector with a ``chaleur`` flow out of it, in MWh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toiles.loaders.opendata._common import (
    MAX_NAMED,
    Collector,
    CsvRows,
    aliases,
    build_toile,
    check_columns,
    clean,
    commune_fields,
    json_records,
    named_list,
    number_or_none,
    provenance,
    slug,
    sniff_format,
    start_import,
)
from toiles.loaders.opendata.territory import departement_of
from toiles.loaders.tables import header_key
from toiles.models.actor import Actor
from toiles.models.flow import Flow, flow_id
from toiles.models.vocab import ActorKind, FlowKind, Theme
from toiles.territory import find_commune_by_name

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from toiles.errors import Problem
    from toiles.loaders.opendata.territory import TerritoryFilter
    from toiles.models.toile import Toile

DATASET = "Enquête annuelle des réseaux de chaleur (SNCU/FEDENE, données par réseau)"
DATASET_DPE = (
    "Liste des réseaux de chaleur et de froid de l'arrêté DPE (contenus CO2 et taux EnR&R), "
    "republiée par France Chaleur Urbaine"
)


@dataclass(frozen=True)
class SourceKind:
    """A production source of a heat network: its label, where it is, the flow it gives."""

    label: str
    outside: bool
    flow: FlowKind = FlowKind.CHALEUR


#: Production columns (``prod_MWh_<key>``, folded) and what they stand for.
SOURCES: dict[str, SourceKind] = {
    "gaz_naturel": SourceKind("Gaz naturel", outside=True),
    "charbon": SourceKind("Charbon", outside=True),
    "fioul_domestique": SourceKind("Fioul domestique", outside=True),
    "fioul_lourd": SourceKind("Fioul lourd", outside=True),
    "gpl": SourceKind("GPL", outside=True),
    "biomasse_solide": SourceKind("Biomasse solide (bois-énergie)", outside=True),
    "biogaz": SourceKind("Biogaz", outside=True),
    "chaudieres_electriques": SourceKind("Électricité (chaudières électriques)", outside=True),
    "uiom": SourceKind("Incinération des ordures ménagères (UIOM/UVE)", outside=False),
    "dechets_internes": SourceKind("Incinération de déchets (installation interne)", outside=False),
    "geothermie": SourceKind("Géothermie", outside=False),
    "pac": SourceKind("Pompes à chaleur", outside=False),
    "pac_enr": SourceKind("Pompes à chaleur (part renouvelable)", outside=False),
    "pac_nonenr": SourceKind("Pompes à chaleur (part non renouvelable)", outside=False),
    "solaire_thermique": SourceKind("Solaire thermique", outside=False),
    "chaleur_industiel": SourceKind(
        "Chaleur fatale industrielle", outside=False, flow=FlowKind.CHALEUR_FATALE
    ),
    "chaleur_industriel": SourceKind(
        "Chaleur fatale industrielle", outside=False, flow=FlowKind.CHALEUR_FATALE
    ),
    "autre_chaleur_recuperee": SourceKind(
        "Autre chaleur récupérée", outside=False, flow=FlowKind.CHALEUR_FATALE
    ),
    "autres_enr": SourceKind("Autres énergies renouvelables", outside=False),
    "autres": SourceKind("Autres sources", outside=False),
}

#: Delivery columns (``livraisons_<key>_MWh``) and the users they stand for.
SECTORS: dict[str, str] = {
    "residentiel": "Logements raccordés (résidentiel)",
    "tertiaire": "Bâtiments tertiaires raccordés",
    "industrie": "Industries raccordées",
    "agriculture": "Exploitations agricoles raccordées",
    "autre": "Autres usagers raccordés",
}

COLUMNS = aliases(
    {
        "identifiant": ("Identifiant reseau", "identifiant_reseau", "id_sncu", "Identifiant"),
        "nom_reseau": ("Nom du réseau", "nom"),
        "gestionnaire": ("Gestionnaire",),
        "mo": ("MO", "maitre_ouvrage", "Maître d'ouvrage"),
        "communes": ("Communes",),
        "localisation": ("Localisation",),
        "contenu_co2": ("contenu CO2", "contenu_co2_kg_kwh"),
        "contenu_co2_acv": ("contenu CO2 ACV",),
        "annee_reference": ("Moyenne-annee-DPE", "annee_ref"),
        "communes_insee": ("code_insee", "codes_insee"),
        "annee": ("année", "annee_donnees", "millesime"),
        "taux_enrr": ("Taux EnR&R", "taux_enr_r"),
        "livraisons_totale": ("livraisons_totale_MWh",),
        **{f"livraisons_{k}": (f"livraisons_{k}_MWh",) for k in SECTORS},
        **{f"prod_{k}": (f"prod_MWh_{k}",) for k in SOURCES},
    }
)

_REQUIRED = ("identifiant",)
_LIST_SPLIT = re.compile(r"[,;|]")
_SNCU = re.compile(r"^(\d{2}|2[AB]|97)\w*[CF]$", re.IGNORECASE)


@dataclass
class _Network:
    where: str
    line: int | None
    values: dict[str, str | None]


def _split_list(text: str | None) -> list[str]:
    if text is None:
        return []
    stripped = text.strip().strip("[]{}")
    return [p.strip().strip("\"'") for p in _LIST_SPLIT.split(stripped) if p.strip().strip("\"'")]


def _csv_networks(path: Path, collector: Collector) -> Iterator[_Network]:
    with CsvRows(path, collector, COLUMNS) as rows:
        header = rows.header
        if header is None:
            return
        expected = (
            "des données de réseaux de chaleur (Identifiant reseau, prod_MWh_…) ou la liste "
            "de l'arrêté DPE (identifiant, nom, localisation…)"
        )
        if not check_columns(header, collector, _REQUIRED, expected=expected):
            return
        for line, cells in rows:
            values = {c: clean(cells[i]) for c, i in header.index.items()}
            yield _Network(f"ligne {line}", line, values)


def _json_value(value: object) -> str | None:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return clean(value)


def _json_networks(path: Path, collector: Collector) -> Iterator[_Network]:
    for index, record in json_records(
        path, collector, expected="une liste de réseaux est attendue"
    ):
        values: dict[str, str | None] = {}
        for key, value in record.items():
            canonical = COLUMNS.get(header_key(str(key)))
            if canonical is not None and canonical not in values:
                values[canonical] = _json_value(value)
        if "identifiant" not in values:
            collector.error(None, f"[{index}]", "champ « Identifiant reseau » absent")
            continue
        yield _Network(f"enregistrement {index + 1}", None, values)


class _Builder:
    def __init__(
        self, path: Path, territory: TerritoryFilter, collector: Collector, year: int | None
    ) -> None:
        self.path = path
        self.territory = territory
        self.collector = collector
        self.year = year
        self.actors: dict[str, Actor] = {}
        self.flows: list[Flow] = []
        self.dataset: str | None = None
        self.unplaced: list[str] = []
        self.without_commune: list[str] = []

    def communes_in(self, network: _Network) -> list[str] | None:
        """The network's communes in the territory; ``None`` when it cannot be placed."""
        values = network.values
        identifier = values.get("identifiant") or ""
        match = _SNCU.match(identifier)
        departement = match.group(1).upper() if match else None
        codes = [c.upper() for c in _split_list(values.get("communes_insee"))]
        names = _split_list(values.get("communes"))
        if values.get("localisation"):
            names.append(values["localisation"] or "")
        if not codes:
            for name in names:
                commune = find_commune_by_name(name, departement)
                if commune is not None:
                    codes.append(commune.insee)
        if codes:
            return [c for c in codes if self.territory.contains(c)]
        if departement and self.territory.covers_departement(departement):
            if names:
                self.without_commune.append(
                    f"{network.where} : {identifier} (« {', '.join(names)} »)"
                )
            return []
        if departement and not any(
            departement_of(c) == departement or (departement == "20" and c.startswith("2"))
            for c in self.territory.communes
        ):
            return []  # another département's network: outside, whatever its commune
        place = f" (« {', '.join(names)} »)" if names else " (sans commune)"
        self.collector.outside += 1
        self.unplaced.append(f"{network.where} : {identifier}{place}")
        return None

    def add(self, network: _Network) -> None:
        self.collector.seen += 1
        if self.dataset is None:
            values = network.values
            is_dpe = "localisation" in values or (
                "contenu_co2" in values and not any(k.startswith("prod_") for k in values)
            )
            self.dataset = DATASET_DPE if is_dpe else DATASET
        codes = self.communes_in(network)
        if codes is None:
            return
        values = network.values
        identifier = values.get("identifiant") or ""
        match = _SNCU.match(identifier)
        if not codes and not (match and self.territory.covers_departement(match.group(1).upper())):
            self.collector.outside += 1
            return
        year = self.year
        if year is None and (text := number_or_none(values.get("annee"))) is not None:
            year = int(text)
        where = provenance(self.dataset or DATASET, self.path, network.where)
        network_id = f"rcu-{slug(identifier)}"
        self.network_actor(network, network_id, codes, where)
        self.manager(values.get("gestionnaire"), network_id, year, where)
        self.productions(values, identifier, network_id, year, where)
        self.deliveries(values, identifier, network_id, year, where)

    def network_actor(
        self, network: _Network, network_id: str, codes: list[str], where: str
    ) -> None:
        values = network.values
        identifier = values.get("identifiant") or ""
        names = _split_list(values.get("communes"))
        kind = "froid" if identifier.upper().endswith("F") else "chaleur"
        parts = [f"Réseau de {kind} {identifier}"]
        if names:
            parts.append(f"communes : {', '.join(names)}")
        if values.get("localisation"):
            parts.append(f"localisation : {values['localisation']}")
        if values.get("mo"):
            parts.append(f"maître d'ouvrage : {values['mo']}")
        if values.get("taux_enrr"):
            parts.append(f"taux EnR&R : {values['taux_enrr']} %")
        if values.get("contenu_co2"):
            acv = values.get("contenu_co2_acv")
            parts.append(
                f"contenu CO2 : {values['contenu_co2']} kg/kWh"
                + (f" (analyse de cycle de vie : {acv} kg/kWh)" if acv else "")
            )
        reference = values.get("annee_reference")
        if reference:
            years = "moyenne des trois dernières années" if reference.isalpha() else reference
            parts.append(f"données de l'arrêté DPE : {years}")
        if network_id in self.actors:
            self.collector.warning(
                network.line, "Identifiant reseau", "réseau en double", identifier
            )
            return
        self.actors[network_id] = Actor(
            id=network_id,
            name=(values.get("nom_reseau") or f"Réseau de chaleur {identifier}")[:300],
            kind=ActorKind.EQUIPEMENT,
            tags=("reseau-chaleur",),
            description=" ; ".join(parts),
            provenance=where,
            **commune_fields(codes[0] if codes else None),
        )

    def manager(self, name: str | None, network_id: str, year: int | None, where: str) -> None:
        if name is None:
            if self.dataset != DATASET_DPE:  # the arrêté's list names no manager
                self.collector.count("no-manager")
            return
        manager_id = f"gest-{slug(name)}"
        self.actors.setdefault(
            manager_id,
            Actor(
                id=manager_id,
                name=name[:300],
                kind=ActorKind.GESTIONNAIRE_RESEAU,
                tags=("reseau-chaleur",),
                provenance=where,
            ),
        )
        self.flows.append(
            Flow(
                id=flow_id(manager_id, network_id, FlowKind.SERVICE, year),
                source=manager_id,
                target=network_id,
                kind=FlowKind.SERVICE,
                year=year,
                notes="gestion du réseau",
                provenance=where,
            )
        )

    def quantity(self, values: dict[str, str | None], column: str, where: str) -> float | None:
        text = values.get(column)
        value = number_or_none(text)
        if text is not None and value is None:
            self.collector.warning(None, column, f"nombre attendu ({where})", text)
        return value if value is not None and value > 0 else None

    def productions(
        self,
        values: dict[str, str | None],
        identifier: str,
        network_id: str,
        year: int | None,
        where: str,
    ) -> None:
        for key, kind in SOURCES.items():
            mwh = self.quantity(values, f"prod_{key}", where)
            if mwh is None:
                continue
            if kind.outside:
                source_id = f"ext-{slug(key)}"
                actor = Actor(
                    id=source_id,
                    name=kind.label,
                    kind=ActorKind.EXTERIEUR,
                    tags=("reseau-chaleur", "approvisionnement"),
                    provenance=f"{DATASET} — colonne prod_MWh_{key}",
                )
            else:
                source_id = f"src-{slug(identifier)}-{slug(key)}"
                actor = Actor(
                    id=source_id,
                    name=f"{kind.label} — réseau {identifier}"[:300],
                    kind=ActorKind.EQUIPEMENT,
                    tags=("reseau-chaleur", "production"),
                    description="Source de production du réseau, à identifier (site, exploitant)",
                    provenance=where,
                )
            self.actors.setdefault(source_id, actor)
            self.flows.append(
                Flow(
                    id=flow_id(source_id, network_id, kind.flow, year),
                    source=source_id,
                    target=network_id,
                    kind=kind.flow,
                    quantity=mwh,
                    unit="MWh",
                    year=year,
                    notes=f"chaleur produite : {kind.label.lower()}",
                    provenance=where,
                )
            )

    def deliveries(
        self,
        values: dict[str, str | None],
        identifier: str,
        network_id: str,
        year: int | None,
        where: str,
    ) -> None:
        sectors = {k: self.quantity(values, f"livraisons_{k}", where) for k in SECTORS}
        if not any(sectors.values()):
            total = self.quantity(values, "livraisons_totale", where)
            if total is None:
                return
            sectors = {"total": total}
        for key, mwh in sectors.items():
            if mwh is None:
                continue
            label = SECTORS.get(key, "Usagers raccordés (tous secteurs)")
            users_id = f"usagers-{slug(identifier)}-{key}"
            self.actors.setdefault(
                users_id,
                Actor(
                    id=users_id,
                    name=f"{label} — réseau {identifier}"[:300],
                    kind=ActorKind.EQUIPEMENT,
                    tags=("reseau-chaleur", "usagers", "agregat"),
                    description="Ensemble des points de livraison du secteur ; à détailler",
                    provenance=where,
                ),
            )
            self.flows.append(
                Flow(
                    id=flow_id(network_id, users_id, FlowKind.CHALEUR, year),
                    source=network_id,
                    target=users_id,
                    kind=FlowKind.CHALEUR,
                    quantity=mwh,
                    unit="MWh",
                    year=year,
                    notes=f"livraisons : {label.lower()}",
                    provenance=where,
                )
            )


def read_reseaux_chaleur(  # noqa: PLR0913  # the command line's options, keyword-only
    path: Path | str,
    territory: str | TerritoryFilter,
    *,
    year: int | None = None,
    theme: str | Theme | None = None,
    report: list[Problem] | None = None,
    allow_empty: bool = False,
) -> Toile:
    r"""Read heat-network survey data into a toile of the networks of a territory.

    Parameters
    ----------
    path
        One row per network: CSV (``,`` or ``;``) or JSON, with the columns of the national
        survey as published by France Chaleur Urbaine.
    territory
        ``--territory`` text or a :class:`TerritoryFilter`. A network belongs to it when one
        of its ``communes_insee`` does, or one of its ``communes`` names a bundled commune of
        the territory; failing both, when its identifier's département is in the territory.
    year
        The survey year of the figures, when the file does not say (column ``annee``).
    theme
        Theme of the toile; ``energie`` by default.
    report
        A list the warnings are appended to.
    allow_empty
        Return an empty toile instead of raising when nothing is kept.

    Returns
    -------
    Toile
        Networks, managers, production sources and delivery sectors; ``chaleur`` flows in
        MWh (``chaleur_fatale`` for recovered waste heat) and ``service`` flows.

    Raises
    ------
    ValidationError
        When the file is malformed, with every problem located.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "reseaux.csv"
    >>> _ = path.write_text(
    ...     "Identifiant reseau;nom_reseau;Gestionnaire;communes;prod_MWh_gaz_naturel;"
    ...     "prod_MWh_UIOM;livraisons_residentiel_MWh\n"
    ...     "6299C;Réseau de Lens;Dalkia;Lens;1000;3000;3600\n",
    ...     encoding="utf-8",
    ... )
    >>> toile = read_reseaux_chaleur(path, "CALL", year=2023)
    >>> [(f.source, f.target, f.quantity) for f in toile.flows if f.kind.value == "chaleur"]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('ext-gaz-naturel', 'rcu-6299c', 1000.0), ('src-6299c-uiom', 'rcu-6299c', 3000.0),
     ('rcu-6299c', 'usagers-6299c-residentiel', 3600.0)]
    """
    source, filt, collector, chosen = start_import(path, territory, theme, Theme.ENERGIE)
    builder = _Builder(source, filt, collector, year)
    is_json = sniff_format(source) in {"json", "jsonl"}
    for network in (_json_networks if is_json else _csv_networks)(source, collector):
        if not network.values.get("identifiant"):
            collector.error(network.line, "Identifiant reseau", "identifiant du réseau manquant")
            continue
        builder.add(network)
    collector.raise_if_errors()
    if builder.unplaced:
        collector.warning(
            None,
            "localisation",
            f"{len(builder.unplaced)} réseau(x) d'un département du territoire dont la commune "
            "n'a pas été reconnue : écarté(s), à placer à la main : "
            + named_list(builder.unplaced, MAX_NAMED, separator=" ; "),
        )
    if builder.without_commune:
        collector.warning(
            None,
            "localisation",
            f"{len(builder.without_commune)} réseau(x) gardé(s) par son département, sans "
            "commune (localisation non reconnue) : "
            + named_list(builder.without_commune, MAX_NAMED, separator=" ; "),
        )
    collector.summarise("no-manager", "{n} réseau(x) sans gestionnaire")
    return build_toile(
        source="reseaux-chaleur",
        dataset=builder.dataset or DATASET,
        path=source,
        territory=filt,
        theme=chosen,
        name="Réseaux de chaleur",
        actors=list(builder.actors.values()),
        flows=builder.flows,
        collector=collector,
        report=report,
        allow_empty=allow_empty,
    )
