# ruff: noqa: INP001, T201
"""Build the reference toiles bundled with toiles: three Artois toiles and Kalundborg.

Run from the repository root::

    .venv/bin/python scripts/build_reference_toiles.py

It writes ``toiles/data/reference/<folder>/`` (``toile.yaml``, ``actors.csv``,
``flows.csv``) for ``artois-eau-industrielle-T0``, ``artois-energie-T0``,
``artois-energie-T1``, ``artois-electromobilite-T0`` and ``kalundborg-T0``. The output is
deterministic: the only randomness (the small offsets that place actors around their
commune's point) comes from :class:`random.Random` seeded with :data:`SEED` and the actor id,
so the same actor sits at the same place in every toile and on every run.

What is real and what is invented is described in ``docs/reference-toiles.md``: in the
Artois toiles the communes, the EPCI, the named public bodies, the network operators, the
heat networks of Béthune and Liévin and four named business parks are real; every company,
every syndicate and every figure is illustrative. The Kalundborg figures come from the
published literature cited in each flow's ``provenance``.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from collections.abc import Iterable

ROOT = Path(__file__).resolve().parent.parent
COMMUNES_CSV = ROOT / "toiles" / "data" / "artois_communes.csv"
OUTPUT = ROOT / "toiles" / "data" / "reference"

#: Seed of every random draw of this script (the actors' offsets around their commune point).
SEED = 20241
#: Date written in ``updated`` of the T0 toiles and of the T1 toile.
UPDATED_T0 = "2024-06-28"  # T0: 2022 figures, compiled in the first year of the toiles
UPDATED_T1 = "2025-06-27"  # T1: 2023 figures, one year on
#: Largest distance, in km, between an actor and its commune's point.
MAX_KM_FROM_COMMUNE = 1.5

EPCI_SHORT = {
    "200072460": "CABBALR",
    "246200364": "CALL",
    "200069672": "CC Ternois Com",
    "200044030": "CC des 7 Vallées",
}

ACTOR_COLUMNS = [
    "id", "name", "kind", "siret", "siren", "naf", "employees", "commune_insee", "epci", "lat",
    "lon", "zae", "tags", "description", "confidentiality", "provenance",
]  # fmt: skip
FLOW_COLUMNS = [
    "id", "source", "target", "kind", "quantity", "unit", "year", "status", "confidentiality",
    "provenance", "confidence", "notes",
]  # fmt: skip
#: Volumes from this many m3 on are written in Mm3.
MM3 = 1_000_000

COMMUNE_CREDIT = (
    "Communes : INSEE / API Découpage administratif (Licence Ouverte) ; "
    "coordonnées : GeoNames (CC BY 4.0)"
)

# --- provenance texts (French: users read them) ----------------------------------------------

P_FICTIF = (
    "Acteur fictif : nom inventé pour la démonstration ; commune réelle, emplacement plausible"
)
P_SYNDICAT_FICTIF = (
    "Syndicat fictif : nom inventé pour la démonstration, ne désigne pas un syndicat réel"
)
P_PUBLIC = "Acteur public réel ; emplacement indicatif dans la commune"
P_EPCI = "EPCI réel (SIREN : registre national des EPCI) ; emplacement indicatif"
P_COMMUNE = (
    "Commune réelle : code INSEE (API Découpage administratif, Licence Ouverte) ; "
    "point GeoNames (CC BY 4.0)"
)
P_RESEAU = (
    "Gestionnaire de réseau réel ; emplacement indicatif (représentation du réseau sur le "
    "territoire)"
)
P_RCU = "Réseau de chaleur réel ; emplacement indicatif ; ses flux sont illustratifs"
P_ZAE_REELLE = "Zone d'activités réelle ; emprise et coordonnées approximatives"
P_ZAE_DESCRIPTIVE = (
    "Zone d'activités au nom descriptif inventé pour la démonstration ; commune réelle"
)
P_EQUIPEMENT = (
    "Équipement illustratif : nom descriptif (secteur), emplacement plausible ; ne décrit "
    "pas un ouvrage réel"
)
P_EXTERIEUR = "Acteur conventionnel : représente l'extérieur du territoire"
P_EXTERIEUR_REEL = "Acteur réel situé hors du territoire, représenté comme extérieur"

P_FLOW = "Illustratif : ordre de grandeur inventé pour la démonstration, non mesuré"
P_FLOW_LINK = "Illustratif : lien plausible inventé pour la démonstration, quantité inconnue"
P_FLOW_REAL_LINK = (
    "Illustratif : lien réel entre gestionnaires de réseau, quantité inventée pour la démonstration"
)


# --- geography ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    """A commune of the territory with its GeoNames point."""

    insee: str
    name: str
    epci: str
    lat: float
    lon: float


def read_communes() -> dict[str, Commune]:
    """Read the bundled communes that have a point."""
    result: dict[str, Commune] = {}
    with COMMUNES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["lat"]:
                result[row["commune_insee"]] = Commune(
                    row["commune_insee"],
                    row["nom"],
                    EPCI_SHORT[row["epci_siren"]],
                    float(row["lat"]),
                    float(row["lon"]),
                )
    return result


COMMUNES = read_communes()
EARTH_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def shift(lat: float, lon: float, east_km: float, north_km: float) -> tuple[float, float]:
    """Move a point by a few km east and north (local flat approximation)."""
    dlat = north_km / 111.195
    dlon = east_km / (111.195 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def jitter(key: str, lat: float, lon: float, max_km: float) -> tuple[float, float]:
    """Move a point by a random offset of at most ``max_km``, drawn from ``SEED`` and ``key``."""
    rng = random.Random(f"{SEED}:{key}")  # noqa: S311  # placement, not security
    angle = rng.uniform(0.0, 2 * math.pi)
    radius = max_km * math.sqrt(rng.random())
    return shift(lat, lon, radius * math.cos(angle), radius * math.sin(angle))


@dataclass(frozen=True)
class Zae:
    """A business park: its name, commune and the point around which its actors sit.

    ``anchors`` gives, for each commune the park spans, the offset (km east, km north) of
    the park's part in that commune from the commune's point.
    """

    id: str
    name: str
    insee: str
    anchors: dict[str, tuple[float, float]]
    real: bool
    description: str

    def anchor(self, insee: str) -> tuple[float, float]:
        """The point of the park's part in a commune."""
        commune = COMMUNES[insee]
        east, north = self.anchors[insee]
        return shift(commune.lat, commune.lon, east, north)


ZAES: dict[str, Zae] = {
    z.id: z
    for z in (
        Zae(
            "zae-piaf",
            "Parc des industries Artois-Flandres",
            "62276",
            {"62276": (0.9, 0.3), "62132": (-1.0, -0.1)},
            real=True,
            description="Grand parc industriel à cheval sur Douvrin et Billy-Berclau.",
        ),
        Zae(
            "zae-ruitz",
            "Zone industrielle de Ruitz",
            "62727",
            {"62727": (0.3, -0.5)},
            real=True,
            description="Zone industrielle au sud de Bruay-la-Buissière.",
        ),
        Zae(
            "zae-porte-nord",
            "Parc d'activités de la Porte Nord",
            "62186",
            {"62186": (0.2, 1.0)},
            real=True,
            description="Parc d'activités logistique et industriel de Bully-les-Mines.",
        ),
        Zae(
            "zae-alouette",
            "Zone de l'Alouette",
            "62510",
            {"62510": (0.6, -0.4)},
            real=True,
            description="Zone d'activités de Liévin.",
        ),
        Zae(
            "zae-mazingarbe",
            "Plateforme chimique de Mazingarbe",
            "62563",
            {"62563": (0.5, 0.6)},
            real=True,
            description="Plateforme chimique historique du Bassin minier.",
        ),
        Zae(
            "zae-isbergues",
            "Zone d'activités d'Isbergues-Est",
            "62473",
            {"62473": (0.4, -0.3)},
            real=False,
            description="Zone industrielle au bord de la Lys (nom descriptif).",
        ),
        Zae(
            "zae-lillers",
            "Zone d'activités de Lillers-Est",
            "62516",
            {"62516": (0.8, 0.2)},
            real=False,
            description="Zone d'activités agroalimentaire et artisanale (nom descriptif).",
        ),
        Zae(
            "zae-bethune-est",
            "Zone d'activités de Béthune-Est",
            "62119",
            {"62119": (1.0, -0.3)},
            real=False,
            description="Zone d'activités entre Béthune et Beuvry (nom descriptif).",
        ),
        Zae(
            "zae-harnes",
            "Zone d'activités de Harnes-Nord",
            "62413",
            {"62413": (-0.5, 0.8)},
            real=False,
            description="Zone d'activités au bord de la Deûle (nom descriptif).",
        ),
        Zae(
            "zae-saint-pol",
            "Zone d'activités de Saint-Pol-Sud",
            "62767",
            {"62767": (0.2, -0.8)},
            real=False,
            description="Zone d'activités agroalimentaire du Ternois (nom descriptif).",
        ),
        Zae(
            "zae-frevent",
            "Zone d'activités de Frévent",
            "62361",
            {"62361": (0.6, 0.2)},
            real=False,
            description="Zone d'activités de la vallée de la Canche (nom descriptif).",
        ),
        Zae(
            "zae-marconnelle",
            "Zone d'activités de Marconnelle",
            "62550",
            {"62550": (0.3, -0.4)},
            real=False,
            description="Zone d'activités des Sept Vallées (nom descriptif).",
        ),
    )
}


# --- actors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorSpec:
    """An actor of the Artois universe (shared by the three Artois toiles)."""

    id: str
    name: str
    kind: str
    insee: str | None = None
    zae: str | None = None
    naf: str | None = None
    employees: int | None = None
    tags: tuple[str, ...] = ()
    description: str = ""
    confidentiality: str = "public"
    provenance: str = P_FICTIF
    siren: str | None = None
    spread_km: float = 1.0


def company(  # noqa: PLR0913, PLR0917  # a table row
    aid: str,
    name: str,
    naf: str,
    employees: int,
    insee: str,
    zae: str | None,
    tags: str,
    description: str,
    confidentiality: str = "public",
) -> ActorSpec:
    """A fictitious company."""
    return ActorSpec(
        aid,
        name,
        "entreprise",
        insee,
        zae,
        naf,
        employees,
        ("fictif", *tags.split()),
        description,
        confidentiality,
    )


def commune_actor(aid: str, insee: str, description: str) -> ActorSpec:
    """A real commune (its town hall, near the commune's point)."""
    return ActorSpec(
        aid,
        COMMUNES[insee].name,
        "commune",
        insee,
        tags=("reel",),
        description=description,
        provenance=P_COMMUNE,
        spread_km=0.2,
    )


def outside(aid: str, name: str, description: str, provenance: str = P_EXTERIEUR) -> ActorSpec:
    """An actor of kind ``exterieur``: no commune, no coordinates."""
    return ActorSpec(
        aid, name, "exterieur", tags=("exterieur",), description=description, provenance=provenance
    )


def _companies() -> list[ActorSpec]:
    c = company
    return [
        # Parc des industries Artois-Flandres (Douvrin 62276, Billy-Berclau 62132)
        c(
            "ent-mecanique-af",
            "Mécanique Artois-Flandres",
            "29.32Z",
            1450,
            "62276",
            "zae-piaf",
            "metallurgie automobile",
            "Usinage de carters, réducteurs et moteurs électriques.",
        ),
        c(
            "ent-cellules-af",
            "Cellules Batteries Artois-Flandres",
            "27.20Z",
            1200,
            "62132",
            "zae-piaf",
            "batteries electromobilite",
            "Fabrication de cellules lithium-ion (gigafactory en montée en cadence).",
            "partenaires",
        ),
        c(
            "ent-chimie-af",
            "Chimie de Spécialités Artois-Flandres",
            "20.59Z",
            140,
            "62132",
            "zae-piaf",
            "chimie",
            "Additifs et produits chimiques de spécialité.",
        ),
        c(
            "ent-formation-batteries",
            "Centre de Formation Batteries Artois-Flandres",
            "85.59A",
            25,
            "62276",
            "zae-piaf",
            "formation electromobilite",
            "Organisme de formation aux métiers de la cellule et du pack.",
        ),
        # Plateforme chimique de Mazingarbe (62563)
        c(
            "ent-azote-gohelle",
            "Azote de Gohelle",
            "20.15Z",
            180,
            "62563",
            "zae-mazingarbe",
            "chimie engrais",
            "Engrais azotés et dérivés ammoniacaux.",
        ),
        c(
            "ent-syntheses-gohelle",
            "Synthèses Fines de Gohelle",
            "20.14Z",
            95,
            "62563",
            "zae-mazingarbe",
            "chimie",
            "Intermédiaires de chimie organique.",
        ),
        c(
            "ent-resines-bm",
            "Résines du Bassin minier",
            "20.16Z",
            70,
            "62563",
            "zae-mazingarbe",
            "chimie plasturgie",
            "Résines et polymères.",
        ),
        c(
            "ent-cogen-mazingarbe",
            "Énergies de la Plateforme de Mazingarbe",
            "35.30Z",
            25,
            "62563",
            "zae-mazingarbe",
            "energie cogeneration",
            "Centrale de cogénération au gaz : vapeur et électricité pour la plateforme.",
        ),
        c(
            "ent-electrolytes-gohelle",
            "Électrolytes et Sels de Gohelle",
            "20.13B",
            60,
            "62563",
            "zae-mazingarbe",
            "chimie batteries electromobilite",
            "Sels de lithium et électrolytes pour batteries.",
        ),
        # Zone d'activités d'Isbergues-Est (62473)
        c(
            "ent-acieries-lys",
            "Aciéries de la Lys",
            "24.10Z",
            650,
            "62473",
            "zae-isbergues",
            "metallurgie acier",
            "Aciérie électrique et tôles magnétiques.",
        ),
        c(
            "ent-serres-lys",
            "Serres Maraîchères de la Lys",
            "01.13Z",
            45,
            "62473",
            "zae-isbergues",
            "agriculture serres",
            "Serres chauffées de tomates et concombres.",
        ),
        c(
            "ent-trefilerie-isbergues",
            "Tréfilerie d'Isbergues",
            "24.34Z",
            120,
            "62473",
            "zae-isbergues",
            "metallurgie",
            "Tréfilage de fils d'acier.",
        ),
        c(
            "ent-materiaux-actifs",
            "Matériaux Actifs pour Batteries de la Lys",
            "20.13B",
            160,
            "62473",
            "zae-isbergues",
            "chimie batteries electromobilite",
            "Matériaux de cathode (précurseurs et matières actives).",
        ),
        # Zone d'activités de Lillers-Est (62516)
        c(
            "ent-legumerie-lys",
            "Légumerie de la Lys",
            "10.39A",
            320,
            "62516",
            "zae-lillers",
            "agroalimentaire",
            "Légumes surgelés.",
        ),
        c(
            "ent-emballages-lillers",
            "Emballages Cartonnés de Lillers",
            "17.21A",
            150,
            "62516",
            "zae-lillers",
            "papier emballage",
            "Caisses et emballages en carton ondulé.",
        ),
        c(
            "ent-cables-lillers",
            "Câbles et Faisceaux de Lillers",
            "27.32Z",
            210,
            "62516",
            "zae-lillers",
            "electromobilite composants",
            "Câbles et faisceaux haute tension.",
        ),
        c(
            "ent-cycles-lillers",
            "Cycles Électriques de Lillers",
            "30.92Z",
            45,
            "62516",
            "zae-lillers",
            "electromobilite assemblage",
            "Assemblage de vélos à assistance.",
        ),
        # Zone d'activités de Béthune-Est (62119)
        c(
            "ent-cartonnerie-lawe",
            "Cartonnerie de la Lawe",
            "17.21A",
            180,
            "62119",
            "zae-bethune-est",
            "papier",
            "Carton plat à partir de fibres recyclées.",
        ),
        c(
            "ent-films-bethunois",
            "Films Plastiques du Béthunois",
            "22.22Z",
            130,
            "62119",
            "zae-bethune-est",
            "plasturgie",
            "Films et sacs en polyéthylène.",
        ),
        c(
            "ent-blanchisserie-artois",
            "Blanchisserie Hospitalière de l'Artois",
            "96.01A",
            110,
            "62119",
            "zae-bethune-est",
            "services",
            "Blanchisserie industrielle.",
        ),
        c(
            "ent-electronique-artois",
            "Électronique de Puissance Artois",
            "27.11Z",
            90,
            "62119",
            "zae-bethune-est",
            "electromobilite composants",
            "Onduleurs, chargeurs embarqués et électronique de bornes.",
        ),
        c(
            "ent-separateurs-bethunois",
            "Séparateurs et Films Techniques du Béthunois",
            "22.21Z",
            70,
            "62119",
            "zae-bethune-est",
            "plasturgie batteries electromobilite",
            "Films séparateurs pour cellules.",
        ),
        c(
            "ent-uve-bethunois",
            "Unité de Valorisation Énergétique du Béthunois",
            "38.21Z",
            55,
            "62119",
            "zae-bethune-est",
            "energie dechets incineration",
            "Incinération des ordures ménagères avec récupération d'énergie.",
        ),
        # Zone industrielle de Ruitz (62727)
        c(
            "ent-fonderie-bm",
            "Fonderie du Bassin minier",
            "24.53Z",
            260,
            "62727",
            "zae-ruitz",
            "metallurgie fonderie electromobilite",
            "Fonderie d'aluminium sous pression.",
        ),
        c(
            "ent-plasturgie-clarence",
            "Plasturgie de la Clarence",
            "22.29A",
            160,
            "62727",
            "zae-ruitz",
            "plasturgie",
            "Injection de pièces plastiques techniques.",
        ),
        c(
            "ent-carrosserie-ruitz",
            "Carrosseries et Bus Électriques de l'Artois",
            "29.20Z",
            140,
            "62727",
            "zae-ruitz",
            "electromobilite assemblage",
            "Carrosserie et assemblage de bus et navettes électriques.",
        ),
        # Parc d'activités de la Porte Nord (Bully-les-Mines 62186)
        c(
            "ent-froid-porte-nord",
            "Entrepôts Frigorifiques de la Porte Nord",
            "52.10A",
            140,
            "62186",
            "zae-porte-nord",
            "logistique froid",
            "Entreposage frigorifique.",
        ),
        c(
            "ent-imprimerie-porte-nord",
            "Imprimerie de la Porte Nord",
            "18.12Z",
            85,
            "62186",
            "zae-porte-nord",
            "imprimerie",
            "Impression offset et numérique.",
        ),
        c(
            "ent-surface-gohelle",
            "Traitements de Surface de Gohelle",
            "25.61Z",
            75,
            "62186",
            "zae-porte-nord",
            "metallurgie",
            "Traitements de surface et peinture.",
        ),
        c(
            "ent-packs-gohelle",
            "Modules et Packs de Gohelle",
            "27.20Z",
            300,
            "62186",
            "zae-porte-nord",
            "batteries electromobilite assemblage",
            "Assemblage de modules et de packs de batteries.",
        ),
        c(
            "ent-bornes-artois",
            "Bornes et Recharge Artois",
            "43.21A",
            60,
            "62186",
            "zae-porte-nord",
            "irve installateur electromobilite",
            "Installation et maintenance de bornes de recharge.",
        ),
        # Zone de l'Alouette (Liévin 62510)
        c(
            "ent-datacenter-alouette",
            "Centre de Données de l'Alouette",
            "63.11Z",
            35,
            "62510",
            "zae-alouette",
            "numerique",
            "Centre de données (hébergement).",
            "partenaires",
        ),
        c(
            "ent-brasserie-gohelle",
            "Brasserie de Gohelle",
            "11.05Z",
            40,
            "62510",
            "zae-alouette",
            "agroalimentaire",
            "Brasserie.",
        ),
        c(
            "ent-injection-alouette",
            "Injection Plastique de l'Alouette",
            "22.29A",
            95,
            "62510",
            "zae-alouette",
            "plasturgie electromobilite",
            "Boîtiers et pièces plastiques.",
        ),
        c(
            "ent-laverie-lievin",
            "Laverie Industrielle de Liévin",
            "96.01A",
            70,
            "62510",
            "zae-alouette",
            "services",
            "Location-entretien de linge professionnel.",
        ),
        # Zone d'activités de Harnes-Nord (62413)
        c(
            "ent-pommes-artois",
            "Flocons et Frites de l'Artois",
            "10.31Z",
            410,
            "62413",
            "zae-harnes",
            "agroalimentaire",
            "Transformation de pommes de terre.",
        ),
        c(
            "ent-galva-deule",
            "Galvanisation de la Deûle",
            "25.61Z",
            90,
            "62413",
            "zae-harnes",
            "metallurgie",
            "Galvanisation à chaud.",
        ),
        c(
            "ent-betons-gohelle",
            "Bétons et Granulats de Gohelle",
            "23.63Z",
            50,
            "62413",
            "zae-harnes",
            "construction",
            "Béton prêt à l'emploi.",
        ),
        c(
            "ent-recyclage-gohelle",
            "Recyclage Batteries Gohelle",
            "38.32Z",
            85,
            "62413",
            "zae-harnes",
            "recyclage batteries electromobilite",
            "Démantèlement de batteries et production de masse noire.",
        ),
        c(
            "ent-vhu-deule",
            "Déconstruction Automobile de la Deûle",
            "38.31Z",
            40,
            "62413",
            "zae-harnes",
            "recyclage",
            "Centre VHU agréé (déconstruction).",
        ),
        c(
            "ent-retrofit-gohelle",
            "Rétrofit Utilitaires de Gohelle",
            "45.20A",
            35,
            "62413",
            "zae-harnes",
            "electromobilite assemblage",
            "Conversion d'utilitaires thermiques à l'électrique.",
        ),
        # Zone d'activités de Saint-Pol-Sud (62767)
        c(
            "ent-salaisons-ternois",
            "Salaisons du Ternois",
            "10.13A",
            520,
            "62767",
            "zae-saint-pol",
            "agroalimentaire",
            "Charcuterie et salaisons.",
        ),
        c(
            "ent-conserverie-ternoise",
            "Conserverie de la Ternoise",
            "10.39A",
            210,
            "62767",
            "zae-saint-pol",
            "agroalimentaire",
            "Conserves de légumes.",
        ),
        c(
            "ent-methanisation-ternois",
            "Méthanisation Agricole du Ternois",
            "35.21Z",
            6,
            "62767",
            "zae-saint-pol",
            "energie methanisation",
            "Méthaniseur : effluents agroalimentaires et agricoles.",
        ),
        c(
            "ent-coop-ternois",
            "Coopérative Agricole du Ternois",
            "46.21Z",
            80,
            "62767",
            "zae-saint-pol",
            "agriculture",
            "Collecte de céréales et irrigation.",
        ),
        c(
            "ent-elec-ternois",
            "Électricité Générale du Ternois",
            "43.21A",
            25,
            "62767",
            "zae-saint-pol",
            "irve installateur electromobilite",
            "Électricien installateur de bornes de recharge.",
        ),
        # Zone d'activités de Frévent (62361)
        c(
            "ent-laiterie-canche",
            "Laiterie de la Canche",
            "10.51A",
            280,
            "62361",
            "zae-frevent",
            "agroalimentaire",
            "Lait, crème et fromages frais.",
        ),
        c(
            "ent-usinage-frevent",
            "Usinage de Précision de Frévent",
            "25.62B",
            60,
            "62361",
            "zae-frevent",
            "metallurgie electromobilite",
            "Usinage d'arbres et de pignons.",
        ),
        # Zone d'activités de Marconnelle (62550)
        c(
            "ent-abattoir-7v",
            "Abattoir des Sept Vallées",
            "10.11Z",
            190,
            "62550",
            "zae-marconnelle",
            "agroalimentaire",
            "Abattage et découpe.",
        ),
        c(
            "ent-bois-7v",
            "Scierie et Bois-Énergie des Sept Vallées",
            "16.10A",
            45,
            "62550",
            "zae-marconnelle",
            "bois energie",
            "Scierie et plaquettes forestières.",
        ),
        # Outside the business parks
        c(
            "ent-sucrerie-2v",
            "Sucrerie des Deux Vallées",
            "10.81Z",
            230,
            "62652",
            None,
            "agroalimentaire",
            "Sucrerie de betteraves (campagne d'automne).",
        ),
        c(
            "ent-papeterie-canche",
            "Papeterie de la Canche",
            "17.12Z",
            240,
            "62050",
            None,
            "papier",
            "Papier pour ondulé.",
        ),
        c(
            "ent-chaufferie-canche",
            "Chaufferie Biomasse de la Canche",
            "35.30Z",
            8,
            "62050",
            None,
            "energie biomasse",
            "Chaudière biomasse qui fournit la vapeur de la papeterie voisine.",
        ),
        c(
            "ent-gaz-mine",
            "Gaz de Houille de l'Artois",
            "06.20Z",
            30,
            "62065",
            None,
            "energie gaz",
            "Captage et valorisation du gaz de mine.",
        ),
        c(
            "ent-pv-terrils",
            "Photovoltaïque des Terrils",
            "35.11Z",
            8,
            "62528",
            None,
            "energie solaire",
            "Centrale solaire au sol sur un ancien site minier.",
        ),
        c(
            "ent-pv-haillicourt",
            "Soleil d'Artois Énergies",
            "35.11Z",
            5,
            "62400",
            None,
            "energie solaire",
            "Centrale solaire au sol.",
        ),
        c(
            "ent-eolien-ternoise",
            "Parc Éolien des Hauts de Ternoise",
            "35.11Z",
            3,
            "62060",
            None,
            "energie eolien",
            "Parc de 10 éoliennes.",
        ),
        c(
            "ent-eolien-canche",
            "Parc Éolien du Plateau de la Canche",
            "35.11Z",
            3,
            "62100",
            None,
            "energie eolien",
            "Parc de 8 éoliennes.",
        ),
        c(
            "ent-eolien-lys",
            "Parc Éolien de la Lys Romane",
            "35.11Z",
            2,
            "62620",
            None,
            "energie eolien",
            "Parc de 6 éoliennes.",
        ),
        c(
            "ent-methanisation-7v",
            "Méthanisation des Sept Vallées",
            "35.21Z",
            5,
            "62204",
            None,
            "energie methanisation",
            "Méthaniseur agricole en cogénération.",
        ),
        c(
            "ent-bois-energie-artois",
            "Plateforme Bois-Énergie de l'Artois",
            "02.40Z",
            12,
            "62224",
            None,
            "energie biomasse bois",
            "Préparation de plaquettes de bois.",
        ),
        c(
            "ent-bailleur-bethunois",
            "Habitat du Béthunois",
            "68.20A",
            120,
            "62119",
            None,
            "logement",
            "Bailleur social (logements raccordés au réseau de chaleur).",
        ),
        c(
            "ent-bailleur-gohelle",
            "Logis de Gohelle",
            "68.20A",
            150,
            "62510",
            None,
            "logement",
            "Bailleur social (logements raccordés au réseau de chaleur).",
        ),
        c(
            "ent-operateur-recharge",
            "Artois Recharge Services",
            "35.14Z",
            40,
            "62498",
            None,
            "irve operateur electromobilite",
            "Opérateur de points de recharge (exploitation, supervision, vente).",
        ),
        c(
            "ent-hub-recharge",
            "Hub de Recharge Rapide de Béthune-Nord",
            "35.14Z",
            8,
            "62454",
            None,
            "irve operateur electromobilite",
            "Station de recharge rapide (HPC).",
        ),
        c(
            "ent-irve-gohelle",
            "IRVE Solutions Lens-Liévin",
            "43.21A",
            30,
            "62065",
            None,
            "irve installateur electromobilite",
            "Installation de bornes de recharge.",
        ),
    ]


def _public() -> list[ActorSpec]:
    return [
        ActorSpec(
            "epci-cabbalr",
            "Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane (CABBALR)",
            "epci",
            "62119",
            siren="200072460",
            tags=("reel",),
            provenance=P_EPCI,
            description="EPCI de 100 communes ; eau, assainissement, déchets.",
            spread_km=0.3,
        ),
        ActorSpec(
            "epci-call",
            "Communauté d'agglomération de Lens-Liévin (CALL)",
            "epci",
            "62510",
            siren="246200364",
            tags=("reel",),
            provenance=P_EPCI,
            description="EPCI de 36 communes ; eau, assainissement, déchets.",
            spread_km=0.3,
        ),
        ActorSpec(
            "epci-ternois",
            "Communauté de communes du Ternois (Ternois Com)",
            "epci",
            "62767",
            siren="200069672",
            tags=("reel",),
            provenance=P_EPCI,
            description="EPCI de 103 communes rurales.",
            spread_km=0.3,
        ),
        ActorSpec(
            "epci-7vallees",
            "Communauté de communes des 7 Vallées",
            "epci",
            "62550",
            siren="200044030",
            tags=("reel",),
            provenance=P_EPCI,
            description="EPCI de 66 communes ; point placé à Marconnelle, voisine "
            "d'Hesdin-la-Forêt.",
            spread_km=0.3,
        ),
        ActorSpec(
            "pole-metropolitain",
            "Pôle métropolitain de l'Artois",
            "syndicat",
            "62498",
            tags=("reel",),
            provenance=P_PUBLIC,
            description="Syndicat mixte de coopération des EPCI de l'Artois.",
            spread_km=0.3,
        ),
        ActorSpec(
            "smt-artois-mobilites",
            "SMT Artois Mobilités",
            "syndicat",
            "62498",
            tags=("reel", "transport"),
            provenance=P_PUBLIC,
            description="Autorité organisatrice des mobilités (réseau de bus).",
            spread_km=0.5,
        ),
        ActorSpec(
            "univ-artois-fsa",
            "Université d'Artois - Faculté des sciences appliquées",
            "etablissement_public",
            "62119",
            tags=("reel", "recherche"),
            provenance=P_PUBLIC,
            description="Recherche en génie électrique et en énergie (Béthune).",
            spread_km=0.8,
        ),
        ActorSpec(
            "iut-bethune",
            "IUT de Béthune (Université d'Artois)",
            "etablissement_public",
            "62119",
            tags=("reel", "formation"),
            provenance=P_PUBLIC,
            description="Formations en génie électrique, mécanique et chimie.",
            spread_km=0.8,
        ),
        ActorSpec(
            "rte",
            "RTE",
            "gestionnaire_reseau",
            "62498",
            tags=("reel", "reseau"),
            provenance=P_RESEAU,
            description="Gestionnaire du réseau de transport d'électricité.",
            spread_km=0.8,
        ),
        ActorSpec(
            "enedis",
            "Enedis",
            "gestionnaire_reseau",
            "62119",
            tags=("reel", "reseau"),
            provenance=P_RESEAU,
            description="Gestionnaire du réseau de distribution d'électricité.",
            spread_km=0.8,
        ),
        ActorSpec(
            "grtgaz",
            "GRTgaz",
            "gestionnaire_reseau",
            "62563",
            tags=("reel", "reseau"),
            provenance=P_RESEAU,
            description="Gestionnaire du réseau de transport de gaz.",
            spread_km=0.8,
        ),
        ActorSpec(
            "grdf",
            "GRDF",
            "gestionnaire_reseau",
            "62498",
            tags=("reel", "reseau"),
            provenance=P_RESEAU,
            description="Gestionnaire du réseau de distribution de gaz.",
            spread_km=0.8,
        ),
        ActorSpec(
            "rcu-bethune",
            "Réseau de chaleur de Béthune",
            "equipement",
            "62119",
            tags=("reel", "rcu"),
            provenance=P_RCU,
            description="Réseau de chaleur urbain de Béthune.",
            spread_km=0.4,
        ),
        ActorSpec(
            "rcu-lievin",
            "Réseau de chaleur de Liévin",
            "equipement",
            "62510",
            tags=("reel", "rcu"),
            provenance=P_RCU,
            description="Réseau de chaleur urbain de Liévin.",
            spread_km=0.4,
        ),
        commune_actor("com-bethune", "62119", "Ville de Béthune (bâtiments et usages communaux)."),
        commune_actor("com-bruay", "62178", "Ville de Bruay-la-Buissière."),
        commune_actor("com-lens", "62498", "Ville de Lens."),
        commune_actor("com-lievin", "62510", "Ville de Liévin."),
        commune_actor("com-lillers", "62516", "Ville de Lillers."),
        commune_actor("com-isbergues", "62473", "Ville d'Isbergues."),
        commune_actor("com-harnes", "62413", "Ville de Harnes."),
        commune_actor("com-saint-pol", "62767", "Ville de Saint-Pol-sur-Ternoise."),
        commune_actor("com-frevent", "62361", "Ville de Frévent."),
        commune_actor("com-marconnelle", "62550", "Commune de Marconnelle."),
    ]


def _water_equipment() -> list[ActorSpec]:
    def aep(aid: str, sector: str, insee: str, owner: str) -> ActorSpec:
        return ActorSpec(
            aid,
            f"Forages d'eau potable du secteur de {sector}",
            "equipement",
            insee,
            tags=("illustratif", "aep"),
            provenance=P_EQUIPEMENT,
            description=f"Captages dans la nappe de la craie, exploités pour le compte de {owner}.",
            spread_km=1.0,
        )

    def step(aid: str, sector: str, insee: str, owner: str) -> ActorSpec:
        return ActorSpec(
            aid,
            f"Station d'épuration du secteur de {sector}",
            "equipement",
            insee,
            tags=("illustratif", "step"),
            provenance=P_EQUIPEMENT,
            description=f"Station d'épuration sous la compétence de {owner}.",
            spread_km=1.0,
        )

    def syndicat(aid: str, name: str, insee: str, description: str) -> ActorSpec:
        return ActorSpec(
            aid,
            name,
            "syndicat",
            insee,
            tags=("fictif", "aep"),
            provenance=P_SYNDICAT_FICTIF,
            description=description,
            spread_km=0.3,
        )

    return [
        aep("aep-lillers", "Lillers", "62516", "la CABBALR"),
        aep("aep-hinges", "Béthune-Nord (Hinges)", "62454", "la CABBALR"),
        aep("aep-houdain", "Houdain", "62457", "la CABBALR"),
        aep("aep-loos", "Loos-en-Gohelle", "62528", "la CALL"),
        aep("aep-vimy", "Vimy", "62861", "la CALL"),
        aep("aep-meurchin", "Meurchin", "62573", "la CALL"),
        syndicat(
            "synd-eaux-ternois",
            "Syndicat des eaux du Ternois (fictif)",
            "62767",
            "Production et distribution d'eau potable de communes du Ternois.",
        ),
        syndicat(
            "synd-eaux-7vallees",
            "Syndicat des eaux des Sept Vallées (fictif)",
            "62550",
            "Production et distribution d'eau potable de communes des 7 Vallées.",
        ),
        step("step-bethune", "Béthune", "62119", "la CABBALR"),
        step("step-bruay", "Bruay-la-Buissière", "62178", "la CABBALR"),
        step("step-lillers-isbergues", "Lillers-Isbergues", "62473", "la CABBALR"),
        step("step-piaf", "Douvrin-Billy-Berclau", "62132", "la CABBALR"),
        step("step-lens", "Lens", "62498", "la CALL"),
        step("step-lievin", "Liévin", "62510", "la CALL"),
        step("step-harnes", "Harnes", "62413", "la CALL"),
        step("step-saint-pol", "Saint-Pol-sur-Ternoise", "62767", "Ternois Com"),
        step("step-frevent", "Frévent", "62361", "Ternois Com"),
        step("step-marconnelle", "Marconnelle", "62550", "la CC des 7 Vallées"),
    ]


def _outside() -> list[ActorSpec]:
    return [
        outside(
            "ext-nappe-craie",
            "Nappe de la craie (masse d'eau souterraine)",
            "Ressource souterraine : origine des prélèvements en forage.",
        ),
        outside(
            "ext-eaux-surface",
            "Eaux de surface (canaux et cours d'eau)",
            "Lys, Lawe, Clarence, Deûle, canal d'Aire, Ternoise, Canche : prélèvements.",
        ),
        outside(
            "ext-milieu-naturel",
            "Milieu naturel (cours d'eau récepteurs)",
            "Destination des rejets après épuration.",
        ),
        outside(
            "ext-atmosphere",
            "Environnement (pertes)",
            "Atmosphère : évaporation, chaleur perdue, pertes des réseaux.",
        ),
        outside(
            "ext-agence-eau",
            "Agence de l'eau Artois-Picardie",
            "Établissement public de l'État (siège à Douai, hors territoire) : "
            "redevances et aides.",
            P_EXTERIEUR_REEL,
        ),
        outside(
            "ext-territoires-voisins",
            "Territoires voisins (échanges d'eau potable)",
            "Achats et ventes d'eau en gros avec les territoires limitrophes.",
        ),
        outside(
            "ext-reseau-national-elec",
            "Réseau électrique national (hors territoire)",
            "Électricité importée par le réseau de transport.",
        ),
        outside(
            "ext-reseau-national-gaz",
            "Réseau national de gaz (hors territoire)",
            "Gaz naturel importé par le réseau de transport.",
        ),
        outside(
            "ext-fournisseurs-biomasse",
            "Fournisseurs de biomasse (hors territoire)",
            "Plaquettes et granulés achetés hors du territoire.",
        ),
        outside(
            "ext-fournisseurs-matieres",
            "Fournisseurs de matières premières (import)",
            "Métaux, sels, polymères et composants importés.",
        ),
        outside(
            "ext-constructeurs-auto",
            "Constructeurs automobiles (hors territoire)",
            "Usines d'assemblage de véhicules clientes.",
        ),
        outside(
            "ext-clients-vehicules",
            "Clients de véhicules (hors territoire)",
            "Flottes, collectivités et particuliers acheteurs hors du territoire.",
        ),
        outside(
            "ext-collecte-batteries",
            "Collecte de batteries usagées (hors territoire)",
            "Batteries en fin de vie collectées hors du territoire.",
        ),
        outside(
            "ext-affineurs",
            "Affineurs de métaux (hors territoire)",
            "Hydrométallurgie de la masse noire.",
        ),
        outside(
            "ext-region-hdf",
            "Région Hauts-de-France",
            "Collectivité régionale (siège à "
            "Lille, hors territoire) : aides économiques et formation.",
            P_EXTERIEUR_REEL,
        ),
        outside(
            "ext-etat-france2030",
            "État - France 2030 (hors territoire)",
            "Financements nationaux d'investissement.",
            P_EXTERIEUR_REEL,
        ),
        outside(
            "ext-investisseurs",
            "Investisseurs privés (hors territoire)",
            "Fonds propres et dette des projets industriels.",
        ),
        outside(
            "ext-usagers-transit",
            "Usagers en transit (hors territoire)",
            "Conducteurs de passage qui rechargent sur les grands axes.",
        ),
    ]


UNIVERSE: dict[str, ActorSpec] = {
    a.id: a for a in (*_companies(), *_public(), *_water_equipment(), *_outside())
}


def zae_actor(zae: Zae) -> ActorSpec:
    """The actor of kind ``zae`` that stands for a business park."""
    return ActorSpec(
        zae.id,
        zae.name,
        "zae",
        zae.insee,
        tags=("zae", "reel" if zae.real else "illustratif"),
        description=zae.description,
        provenance=P_ZAE_REELLE if zae.real else P_ZAE_DESCRIPTIVE,
    )


def place(spec: ActorSpec) -> tuple[float, float] | None:
    """Coordinates of an actor: near its park's part in its commune, or near the commune."""
    if spec.insee is None:
        return None
    commune = COMMUNES[spec.insee]
    if spec.kind == "zae":
        lat, lon = ZAES[spec.id].anchor(spec.insee)
    elif spec.zae is not None:
        lat, lon = jitter(spec.id, *ZAES[spec.zae].anchor(spec.insee), 0.35)
    else:
        lat, lon = jitter(spec.id, commune.lat, commune.lon, spec.spread_km)
    distance = haversine_km(lat, lon, commune.lat, commune.lon)
    if distance > MAX_KM_FROM_COMMUNE:
        msg = f"{spec.id} is {distance:.2f} km from the point of {commune.name}"
        raise ValueError(msg)
    return round(lat, 5), round(lon, 5)


def actor_row(spec: ActorSpec) -> dict[str, object]:
    """The CSV row of an actor."""
    point = place(spec)
    return {
        "id": spec.id,
        "name": spec.name,
        "kind": spec.kind,
        "siret": None,
        "siren": spec.siren,
        "naf": spec.naf,
        "employees": spec.employees,
        "commune_insee": spec.insee,
        "epci": None if spec.insee is None else COMMUNES[spec.insee].epci,
        "lat": None if point is None else point[0],
        "lon": None if point is None else point[1],
        "zae": spec.zae,
        "tags": "|".join(spec.tags),
        "description": spec.description,
        "confidentiality": spec.confidentiality,
        "provenance": spec.provenance,
    }


# --- flows -------------------------------------------------------------------------------------

REAL_NETWORKS = frozenset({"rte", "enedis", "grtgaz", "grdf"})


@dataclass(frozen=True)
class FlowSpec:
    """A flow; empty fields get the toile's defaults when the toile is built."""

    source: str
    target: str
    kind: str
    quantity: float | None = None
    unit: str | None = None
    status: str = "existant"
    confidentiality: str = "public"
    notes: str = ""
    year: int | None = None
    provenance: str | None = None
    confidence: str | None = None
    id: str | None = None


def F(  # noqa: N802, PLR0913, PLR0917  # short on purpose: the tables below are long
    source: str,
    target: str,
    kind: str,
    quantity: float | None = None,
    unit: str | None = None,
    status: str = "existant",
    conf: str = "public",
    notes: str = "",
) -> FlowSpec:
    """A flow row of an illustrative toile."""
    return FlowSpec(source, target, kind, quantity, unit, status, conf, notes)


def finish_flows(flows: Iterable[FlowSpec], year: int, *, first: int = 1) -> list[FlowSpec]:
    """Give ids (``fl-001``...), year, provenance and confidence to the flows that lack them."""
    result = []
    number = first
    for flow in flows:
        fid = flow.id
        if fid is None:
            fid = f"fl-{number:03d}"
            number += 1
        provenance = flow.provenance
        if provenance is None:
            if flow.quantity is None:
                provenance = P_FLOW_LINK
            elif flow.source in REAL_NETWORKS and flow.target in REAL_NETWORKS:
                provenance = P_FLOW_REAL_LINK
            else:
                provenance = P_FLOW
        confidence = flow.confidence or ("faible" if flow.quantity is not None else "moyenne")
        result.append(
            replace(
                flow, id=fid, year=flow.year or year, provenance=provenance, confidence=confidence
            )
        )
    return result


def flow_row(flow: FlowSpec) -> dict[str, object]:
    """The CSV row of a flow."""
    return {
        "id": flow.id,
        "source": flow.source,
        "target": flow.target,
        "kind": flow.kind,
        "quantity": flow.quantity,
        "unit": flow.unit,
        "year": flow.year,
        "status": flow.status,
        "confidentiality": flow.confidentiality,
        "provenance": flow.provenance,
        "confidence": flow.confidence,
        "notes": flow.notes,
    }


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def write_csv(path: Path, columns: list[str], rows: Iterable[dict[str, object]]) -> None:
    """Write a UTF-8, comma-separated table with a header line."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])


_KIND_ORDER = (
    "zae",
    "epci",
    "commune",
    "collectivite",
    "syndicat",
    "etablissement_public",
    "gestionnaire_reseau",
    "equipement",
    "association",
    "entreprise",
    "exterieur",
)


def artois_actors(flows: Iterable[FlowSpec], extra: Iterable[str] = ()) -> list[ActorSpec]:
    """The actors a set of flows needs, with their business parks, in a stable order."""
    ids = set(extra)
    for flow in flows:
        ids.update((flow.source, flow.target))
    specs = [UNIVERSE[i] for i in ids]
    parks = {s.zae for s in specs if s.zae}
    specs += [zae_actor(ZAES[p]) for p in parks]
    return sorted(specs, key=lambda s: (_KIND_ORDER.index(s.kind), s.id))


@dataclass
class ToileFiles:
    """What one folder holds."""

    folder: str
    info: dict[str, object]
    actors: list[dict[str, object]]
    flows: list[dict[str, object]] = field(default_factory=list)

    def write(self, root: Path) -> Path:
        """Write ``toile.yaml``, ``actors.csv`` and ``flows.csv`` under ``root/folder``."""
        target = root / self.folder
        target.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(self.info, allow_unicode=True, sort_keys=False, width=100)
        (target / "toile.yaml").write_text(text, encoding="utf-8")
        write_csv(target / "actors.csv", ACTOR_COLUMNS, self.actors)
        write_csv(target / "flows.csv", FLOW_COLUMNS, self.flows)
        return target


ARTOIS_TERRITORY = {
    "name": "Artois : territoire de l'Agence d'urbanisme de l'Artois (AULA)",
    "epci": list(EPCI_SHORT.values()),
}

ILLUSTRATIVE_WARNING = (
    "Toile de démonstration ILLUSTRATIVE : les communes, les EPCI, les organismes publics "
    "nommés, les gestionnaires de réseau, les réseaux de chaleur de Béthune et de Liévin et "
    "les zones d'activités étiquetées « reel » existent ; toutes les entreprises, tous les "
    "syndicats, les équipements nommés par secteur et tous les chiffres sont inventés pour la "
    "démonstration et ne décrivent aucune mesure."
)


def info(  # noqa: PLR0913, PLR0917
    toile_id: str,
    name: str,
    theme: str,
    version: str,
    description: str,
    sources: list[str],
    updated: str,
    *,
    illustrative: bool = True,
    territory: dict[str, object] | None = None,
) -> dict[str, object]:
    """The content of a ``toile.yaml``."""
    return {
        "id": toile_id,
        "name": name,
        "theme": theme,
        "version": version,
        "territory": territory or ARTOIS_TERRITORY,
        "description": description,
        "sources": sources,
        "updated": dt.date.fromisoformat(updated),
        "illustrative": illustrative,
    }


ARTOIS_SOURCES = [
    (
        "Illustratif : entreprises fictives et chiffres inventés pour la démonstration "
        "(voir docs/reference-toiles.md)"
    ),
    COMMUNE_CREDIT,
]


# --- eau industrielle T0 -----------------------------------------------------------------------

WATER_YEAR = 2022


def _water_distribution() -> list[FlowSpec]:
    """Drinking water from the boreholes and syndicates to communes and companies."""
    potable = {
        "aep-lillers": [
            ("com-lillers", 560_000),
            ("com-isbergues", 470_000),
            ("ent-legumerie-lys", 60_000),
            ("ent-emballages-lillers", 38_000),
            ("ent-trefilerie-isbergues", 35_000),
        ],
        "aep-hinges": [
            ("com-bethune", 1_420_000),
            ("ent-blanchisserie-artois", 95_000),
            ("ent-cartonnerie-lawe", 80_000),
            ("ent-films-bethunois", 14_000),
        ],
        "aep-houdain": [
            ("com-bruay", 1_180_000),
            ("ent-fonderie-bm", 40_000),
            ("ent-plasturgie-clarence", 25_000),
        ],
        "aep-loos": [
            ("com-lens", 1_830_000),
            ("com-lievin", 1_650_000),
            ("ent-brasserie-gohelle", 28_000),
            ("ent-injection-alouette", 9_000),
            ("ent-datacenter-alouette", 40_000),
            ("ent-resines-bm", 60_000),
        ],
        "aep-vimy": [
            ("ent-surface-gohelle", 55_000),
            ("ent-froid-porte-nord", 30_000),
            ("ext-territoires-voisins", 600_000),
        ],
        "aep-meurchin": [
            ("com-harnes", 670_000),
            ("ent-galva-deule", 20_000),
            ("ent-betons-gohelle", 18_000),
            ("ent-mecanique-af", 120_000),
            ("ent-chimie-af", 90_000),
            ("ent-cellules-af", 420_000),
            ("ext-territoires-voisins", 2_400_000),
        ],
        "synd-eaux-ternois": [
            ("com-saint-pol", 310_000),
            ("com-frevent", 190_000),
            ("ent-conserverie-ternoise", 210_000),
            ("ent-laiterie-canche", 150_000),
        ],
        "synd-eaux-7vallees": [("com-marconnelle", 60_000), ("ent-abattoir-7v", 160_000)],
    }
    partners = {"ent-datacenter-alouette", "ent-surface-gohelle", "ent-cellules-af"}
    flows = []
    imports = {"synd-eaux-7vallees": 120_000}
    for producer, deliveries in potable.items():
        delivered = sum(q for _, q in deliveries)
        withdrawn = round((delivered - imports.get(producer, 0)) * 1.18, -3)
        flows.append(
            volume_flow(
                "ext-nappe-craie",
                producer,
                "prelevement",
                withdrawn,
                notes="Prélèvement en forage, pertes de réseau comprises",
            )
        )
        for target, quantity in deliveries:
            notes = "Vente d'eau en gros" if target.startswith("ext-") else ""
            conf = "partenaires" if target in partners else "public"
            flows.append(
                volume_flow(producer, target, "eau_potable", quantity, conf=conf, notes=notes)
            )
    flows.append(
        volume_flow(
            "ext-territoires-voisins",
            "synd-eaux-7vallees",
            "eau_potable",
            imports["synd-eaux-7vallees"],
            notes="Achat d'eau en gros",
        )
    )
    return flows


def volume_flow(  # noqa: PLR0913
    source: str,
    target: str,
    kind: str,
    m3: float | None,
    *,
    status: str = "existant",
    conf: str = "public",
    notes: str = "",
) -> FlowSpec:
    """A water flow; volumes of a million m3 or more are written in Mm3."""
    if m3 is None:
        return F(source, target, kind, status=status, conf=conf, notes=notes)
    if m3 >= MM3:
        return F(source, target, kind, round(m3 / 1e6, 2), "Mm3", status, conf, notes)
    return F(source, target, kind, float(round(m3)), "m3", status, conf, notes)


def _water_industry() -> list[FlowSpec]:
    v = volume_flow
    nappe, surface, milieu, air = (
        "ext-nappe-craie",
        "ext-eaux-surface",
        "ext-milieu-naturel",
        "ext-atmosphere",
    )
    agence = "ext-agence-eau"
    own = "Rejet après station d'épuration interne"
    return [
        # Parc des industries Artois-Flandres
        v(nappe, "ent-mecanique-af", "prelevement", 180_000),
        v("ent-mecanique-af", "step-piaf", "eaux_usees", 250_000),
        v("ent-cellules-af", "step-piaf", "eaux_usees", 300_000, conf="partenaires"),
        v(
            "ent-cellules-af",
            air,
            "rejet",
            90_000,
            conf="partenaires",
            notes="Évaporation des tours aéroréfrigérantes",
        ),
        v("ent-chimie-af", "step-piaf", "eaux_usees", 75_000),
        v("ent-chimie-af", milieu, "rejet", None, notes="Eaux pluviales du site"),
        # Plateforme chimique de Mazingarbe
        v(surface, "ent-azote-gohelle", "eau_refroidissement", 6_500_000, conf="confidentiel"),
        v(nappe, "ent-azote-gohelle", "prelevement", 1_100_000),
        v("ent-azote-gohelle", milieu, "rejet", 6_300_000, conf="confidentiel", notes=own),
        v("ent-azote-gohelle", air, "rejet", 950_000, notes="Évaporation"),
        F(
            "ent-azote-gohelle",
            agence,
            "service",
            410_000,
            "EUR",
            conf="confidentiel",
            notes="Redevances prélèvement et pollution",
        ),
        v(
            "ent-cogen-mazingarbe",
            "ent-azote-gohelle",
            "eau_industrielle",
            350_000,
            notes="Eau déminéralisée",
        ),
        v(nappe, "ent-syntheses-gohelle", "prelevement", 240_000),
        v("ent-syntheses-gohelle", milieu, "rejet", 205_000, notes=own),
        v("ent-resines-bm", milieu, "rejet", 48_000, notes="Après prétraitement"),
        v(surface, "ent-cogen-mazingarbe", "eau_refroidissement", 2_800_000),
        v("ent-cogen-mazingarbe", air, "rejet", 1_100_000, notes="Évaporation"),
        v("ent-cogen-mazingarbe", milieu, "rejet", 1_350_000),
        # Isbergues
        v(surface, "ent-acieries-lys", "eau_refroidissement", 9_000_000, conf="confidentiel"),
        v(nappe, "ent-acieries-lys", "prelevement", 600_000),
        v("ent-acieries-lys", milieu, "rejet", 8_100_000, conf="confidentiel"),
        v("ent-acieries-lys", air, "rejet", 1_200_000, notes="Évaporation"),
        F(
            "ent-acieries-lys",
            agence,
            "service",
            520_000,
            "EUR",
            conf="partenaires",
            notes="Redevances prélèvement et pollution",
        ),
        v(
            "ent-acieries-lys",
            "ent-serres-lys",
            "eau_refroidissement",
            150_000,
            status="potentiel",
            notes="Eau tiède de refroidissement pour le chauffage des serres",
        ),
        v(nappe, "ent-serres-lys", "prelevement", 45_000, notes="Irrigation"),
        v("ent-trefilerie-isbergues", "step-lillers-isbergues", "eaux_usees", 30_000),
        v("ent-trefilerie-isbergues", milieu, "rejet", None, notes="Eaux pluviales du site"),
        # Lillers
        v(nappe, "ent-legumerie-lys", "prelevement", 950_000),
        v("ent-legumerie-lys", milieu, "rejet", 820_000, notes=own),
        F(
            "ent-legumerie-lys",
            agence,
            "service",
            95_000,
            "EUR",
            conf="partenaires",
            notes="Redevances",
        ),
        F(
            agence,
            "ent-legumerie-lys",
            "service",
            notes="Aide aux économies d'eau (montant non communiqué)",
        ),
        v("ent-emballages-lillers", "step-lillers-isbergues", "eaux_usees", 32_000),
        # Béthune-Est
        v(nappe, "ent-cartonnerie-lawe", "prelevement", 650_000),
        v("ent-cartonnerie-lawe", milieu, "rejet", 840_000, notes=own),
        v("ent-blanchisserie-artois", "step-bethune", "eaux_usees", 85_000),
        v("ent-films-bethunois", "step-bethune", "eaux_usees", 12_000),
        # Ruitz
        v(nappe, "ent-fonderie-bm", "prelevement", 110_000, notes="Refroidissement"),
        v("ent-fonderie-bm", air, "rejet", 60_000, notes="Évaporation"),
        v("ent-fonderie-bm", "step-bruay", "eaux_usees", 72_000),
        v("ent-plasturgie-clarence", "step-bruay", "eaux_usees", 20_000),
        # Porte Nord
        v(
            "ent-surface-gohelle",
            "step-lievin",
            "eaux_usees",
            50_000,
            conf="partenaires",
            notes="Après détoxication",
        ),
        v("ent-froid-porte-nord", air, "rejet", 22_000, notes="Condenseurs évaporatifs"),
        v("ent-froid-porte-nord", "step-lievin", "eaux_usees", 7_000),
        # Alouette
        v(
            "ent-datacenter-alouette",
            air,
            "rejet",
            130_000,
            conf="partenaires",
            notes="Refroidissement adiabatique",
        ),
        v("ent-datacenter-alouette", "step-lievin", "eaux_usees", 25_000, conf="partenaires"),
        v("ent-brasserie-gohelle", "step-lievin", "eaux_usees", 21_000),
        v("ent-injection-alouette", "step-lievin", "eaux_usees", 6_000),
        # Harnes
        v(nappe, "ent-pommes-artois", "prelevement", 1_600_000),
        v("ent-pommes-artois", milieu, "rejet", 1_350_000, notes=own),
        F("ent-pommes-artois", agence, "service", 160_000, "EUR", notes="Redevances"),
        F(
            agence,
            "ent-pommes-artois",
            "service",
            250_000,
            "EUR",
            notes="Aide au recyclage interne des eaux de lavage",
        ),
        v("ent-galva-deule", "step-harnes", "eaux_usees", 15_000, conf="confidentiel"),
        v(surface, "ent-betons-gohelle", "prelevement", 25_000),
        v("ent-betons-gohelle", air, "rejet", None, notes="Eau incorporée et évaporée"),
        # Ternois
        v(nappe, "ent-salaisons-ternois", "prelevement", 820_000),
        v(
            "ent-salaisons-ternois",
            "step-saint-pol",
            "eaux_usees",
            700_000,
            notes="Après prétraitement",
        ),
        F("ent-salaisons-ternois", agence, "service", 85_000, "EUR", notes="Redevances"),
        v(nappe, "ent-conserverie-ternoise", "prelevement", 300_000),
        v("ent-conserverie-ternoise", "step-saint-pol", "eaux_usees", 420_000),
        v(nappe, "ent-coop-ternois", "prelevement", 380_000, notes="Irrigation"),
        v(
            "ent-sucrerie-2v",
            "ent-coop-ternois",
            "eau_industrielle",
            200_000,
            notes="Eaux de condensation des betteraves, pour l'irrigation",
        ),
        v(surface, "ent-sucrerie-2v", "prelevement", 1_200_000),
        v("ent-sucrerie-2v", milieu, "rejet", 1_700_000, notes=own),
        F("ent-sucrerie-2v", agence, "service", 110_000, "EUR", notes="Redevances"),
        v(nappe, "ent-laiterie-canche", "prelevement", 420_000),
        v("ent-laiterie-canche", "step-frevent", "eaux_usees", 480_000),
        # Sept Vallées
        v("ent-abattoir-7v", "step-marconnelle", "eaux_usees", 140_000),
        v(surface, "ent-papeterie-canche", "prelevement", 2_600_000),
        v(nappe, "ent-papeterie-canche", "prelevement", 400_000),
        v("ent-papeterie-canche", milieu, "rejet", 2_700_000, notes=own),
        v("ent-papeterie-canche", air, "rejet", 150_000, notes="Évaporation au séchage"),
        F(
            "ent-papeterie-canche",
            agence,
            "service",
            230_000,
            "EUR",
            conf="confidentiel",
            notes="Redevances",
        ),
        # Public bodies and the Agence de l'eau
        F(
            agence,
            "epci-cabbalr",
            "service",
            1.2,
            "MEUR",
            notes="Aides aux travaux d'assainissement",
        ),
        F(agence, "epci-call", "service", 0.95, "MEUR", notes="Aides aux travaux d'assainissement"),
        F(
            agence,
            "synd-eaux-ternois",
            "service",
            300,
            "kEUR",
            notes="Aide à la protection des captages",
        ),
        F("epci-cabbalr", agence, "service", 0.8, "MEUR", notes="Redevances prélèvement"),
        F("epci-call", agence, "service", 0.7, "MEUR", notes="Redevances prélèvement"),
        F(
            "epci-ternois",
            "synd-eaux-ternois",
            "service",
            notes="Convention de gestion (montant non communiqué)",
        ),
        F(
            "epci-7vallees",
            "synd-eaux-7vallees",
            "service",
            notes="Convention de gestion (montant non communiqué)",
        ),
    ]


WATER_REUSE = [
    (
        "step-bethune",
        "ent-cartonnerie-lawe",
        250_000,
        "existant",
        "Eaux usées traitées (affinage) pour le circuit de fabrication",
    ),
    (
        "step-lievin",
        "ent-datacenter-alouette",
        120_000,
        "existant",
        "Eaux usées traitées pour le refroidissement",
    ),
    (
        "step-lens",
        "ent-azote-gohelle",
        600_000,
        "potentiel",
        "Étude d'opportunité : appoint des tours de refroidissement",
    ),
    ("step-harnes", "ent-betons-gohelle", 40_000, "potentiel", "Eau de fabrication du béton"),
    ("step-saint-pol", "ent-coop-ternois", 150_000, "potentiel", "Irrigation des cultures"),
    (
        "step-lillers-isbergues",
        "ent-acieries-lys",
        800_000,
        "potentiel",
        "Appoint des circuits de refroidissement",
    ),
]

#: Communes and the station that treats their wastewater (85 % of their drinking water).
WATER_SEWERS = {
    "com-bethune": "step-bethune",
    "com-bruay": "step-bruay",
    "com-lillers": "step-lillers-isbergues",
    "com-isbergues": "step-lillers-isbergues",
    "com-lens": "step-lens",
    "com-lievin": "step-lievin",
    "com-harnes": "step-harnes",
    "com-saint-pol": "step-saint-pol",
    "com-frevent": "step-frevent",
    "com-marconnelle": "step-marconnelle",
}


def _m3(flow: FlowSpec) -> float:
    factor = {"m3": 1.0, "Mm3": 1e6}
    return 0.0 if flow.quantity is None or flow.unit is None else flow.quantity * factor[flow.unit]


def water_flows() -> list[FlowSpec]:
    """Every flow of the water toile; the stations' discharges balance their inflows."""
    flows = _water_distribution()
    delivered = {f.target: _m3(f) for f in flows if f.kind == "eau_potable"}
    flows += [
        volume_flow(commune, station, "eaux_usees", round(delivered[commune] * 0.85, -3))
        for commune, station in WATER_SEWERS.items()
    ]
    flows += _water_industry()
    for station, user, m3, status, notes in WATER_REUSE:
        conf = "partenaires" if user == "ent-datacenter-alouette" else "public"
        flows.append(
            volume_flow(station, user, "reutilisation", m3, status=status, conf=conf, notes=notes)
        )
    stations = sorted(set(WATER_SEWERS.values()) | {"step-piaf"})
    for station in stations:
        inflow = sum(_m3(f) for f in flows if f.target == station and f.kind == "eaux_usees")
        reused = sum(
            _m3(f)
            for f in flows
            if f.source == station and f.kind == "reutilisation" and f.status == "existant"
        )
        flows.append(
            volume_flow(
                station,
                "ext-milieu-naturel",
                "rejet",
                round(inflow * 1.12 - reused, -3),
                notes="Eaux traitées, eaux claires parasites comprises",
            )
        )
    return finish_flows(flows, WATER_YEAR)


def water_toile() -> ToileFiles:
    """The ``eau_industrielle`` T0 toile of the Artois."""
    flows = water_flows()
    actors = artois_actors(flows, extra=("epci-ternois", "epci-7vallees"))
    description = (
        "Toile de l'eau industrielle de l'Artois : prélèvements dans la nappe de la craie et "
        "les eaux de surface, production et distribution d'eau potable, usages industriels "
        "(agroalimentaire, chimie, papier, métallurgie, plasturgie, énergie), eaux de "
        "refroidissement, stations d'épuration, rejets, réutilisation des eaux usées traitées "
        "(existante et potentielle), redevances et aides de l'Agence de l'eau Artois-Picardie. "
        + ILLUSTRATIVE_WARNING
    )
    return ToileFiles(
        "artois-eau-industrielle-T0",
        info(
            "artois-eau-industrielle",
            "Eau industrielle de l'Artois",
            "eau_industrielle",
            "T0",
            description,
            ARTOIS_SOURCES,
            UPDATED_T0,
        ),
        [actor_row(a) for a in actors],
        [flow_row(f) for f in flows],
    )


# --- énergie T0 and T1 -------------------------------------------------------------------------

ENERGY_YEAR = 2022
ENERGY_YEAR_T1 = 2023


def _energy_electricity() -> list[FlowSpec]:
    e = "electricite"
    return [
        F("ext-reseau-national-elec", "rte", e, 3900, "GWh", notes="Soutirage net"),
        F("rte", "enedis", e, 3100, "GWh"),
        F(
            "rte",
            "ent-acieries-lys",
            e,
            420,
            "GWh",
            conf="confidentiel",
            notes="Raccordement haute tension",
        ),
        F("rte", "ent-cellules-af", e, 180, "GWh", conf="partenaires", notes="Montée en cadence"),
        F("rte", "ent-azote-gohelle", e, 95, "GWh", conf="confidentiel"),
        F("ent-cogen-mazingarbe", "rte", e, 70, "GWh"),
        F("ent-cogen-mazingarbe", "ent-azote-gohelle", e, 40, "GWh"),
        F("ent-eolien-ternoise", "enedis", e, 53, "GWh"),
        F("ent-eolien-canche", "enedis", e, 41, "GWh"),
        F("ent-eolien-lys", "enedis", e, 28, "GWh"),
        F("ent-pv-terrils", "enedis", e, 9.5, "GWh"),
        F("ent-pv-haillicourt", "enedis", e, 6.2, "GWh"),
        F("ent-uve-bethunois", "enedis", e, 38, "GWh"),
        F("ent-methanisation-7v", "enedis", e, 8.4, "GWh", notes="Cogénération biogaz"),
        F(
            "enedis",
            "epci-cabbalr",
            e,
            1250,
            "GWh",
            notes="Consommation résidentielle et tertiaire diffuse du territoire",
        ),
        F(
            "enedis",
            "epci-call",
            e,
            1080,
            "GWh",
            notes="Consommation résidentielle et tertiaire diffuse du territoire",
        ),
        F(
            "enedis",
            "epci-ternois",
            e,
            190,
            "GWh",
            notes="Consommation résidentielle et tertiaire diffuse du territoire",
        ),
        F(
            "enedis",
            "epci-7vallees",
            e,
            160,
            "GWh",
            notes="Consommation résidentielle et tertiaire diffuse du territoire",
        ),
        F("enedis", "com-bethune", e, 11, "GWh", notes="Patrimoine et éclairage communaux"),
        F("enedis", "com-lievin", e, 12, "GWh", notes="Patrimoine et éclairage communaux"),
        F("enedis", "ent-mecanique-af", e, 140, "GWh"),
        F("enedis", "ent-chimie-af", e, 20, "GWh"),
        F("enedis", "ent-syntheses-gohelle", e, 14, "GWh"),
        F("enedis", "ent-resines-bm", e, 11, "GWh"),
        F("enedis", "ent-serres-lys", e, 9, "GWh", notes="Éclairage horticole"),
        F("enedis", "ent-legumerie-lys", e, 38, "GWh"),
        F("enedis", "ent-emballages-lillers", e, 17, "GWh"),
        F("enedis", "ent-cartonnerie-lawe", e, 35, "GWh"),
        F("enedis", "ent-films-bethunois", e, 18, "GWh"),
        F("enedis", "ent-blanchisserie-artois", e, 5, "GWh"),
        F("enedis", "ent-fonderie-bm", e, 48, "GWh"),
        F("enedis", "ent-plasturgie-clarence", e, 22, "GWh"),
        F("enedis", "ent-froid-porte-nord", e, 26, "GWh"),
        F("enedis", "ent-imprimerie-porte-nord", e, 6, "GWh"),
        F("enedis", "ent-datacenter-alouette", e, 70, "GWh", conf="partenaires"),
        F("enedis", "ent-laverie-lievin", e, 3, "GWh"),
        F("enedis", "ent-pommes-artois", e, 55, "GWh"),
        F("enedis", "ent-galva-deule", e, 8, "GWh"),
        F("enedis", "ent-salaisons-ternois", e, 42, "GWh"),
        F("enedis", "ent-laiterie-canche", e, 30, "GWh"),
        F("enedis", "ent-abattoir-7v", e, 14, "GWh"),
        F("enedis", "ent-sucrerie-2v", e, 25, "GWh"),
        F("enedis", "ent-papeterie-canche", e, 60, "GWh"),
        F("enedis", "ent-gaz-mine", e, 4.5, "GWh", notes="Compression et traitement du gaz"),
    ]


def _energy_gas() -> list[FlowSpec]:
    g = "gaz_naturel"
    return [
        F("ext-reseau-national-gaz", "grtgaz", g, 3200, "GWh"),
        F("ent-gaz-mine", "grtgaz", g, 180, "GWh", notes="Gaz de mine injecté"),
        F("grtgaz", "grdf", g, 1900, "GWh"),
        F("grtgaz", "ent-cogen-mazingarbe", g, 520, "GWh", conf="confidentiel"),
        F(
            "grtgaz",
            "ent-azote-gohelle",
            g,
            850,
            "GWh",
            conf="confidentiel",
            notes="Combustible et matière première",
        ),
        F("grtgaz", "ent-acieries-lys", g, 160, "GWh", conf="confidentiel"),
        F("grtgaz", "ent-sucrerie-2v", g, 180, "GWh"),
        F("grtgaz", "ent-papeterie-canche", g, 140, "GWh"),
        F(
            "grdf",
            "epci-cabbalr",
            g,
            850,
            "GWh",
            notes="Consommation résidentielle et tertiaire diffuse du territoire",
        ),
        F(
            "grdf",
            "epci-call",
            g,
            780,
            "GWh",
            notes="Consommation résidentielle et tertiaire diffuse du territoire",
        ),
        F("grdf", "rcu-bethune", g, 28, "GWh", notes="Chaudières d'appoint"),
        F("grdf", "rcu-lievin", g, 22, "GWh", notes="Chaudières d'appoint"),
        F("grdf", "ent-mecanique-af", g, 60, "GWh"),
        F("grdf", "ent-cellules-af", g, 35, "GWh", conf="partenaires"),
        F("grdf", "ent-chimie-af", g, 25, "GWh"),
        F("grdf", "ent-syntheses-gohelle", g, 30, "GWh"),
        F("grdf", "ent-resines-bm", g, 18, "GWh"),
        F("grdf", "ent-serres-lys", g, 32, "GWh", notes="Chauffage des serres"),
        F("grdf", "ent-legumerie-lys", g, 45, "GWh"),
        F("grdf", "ent-emballages-lillers", g, 12, "GWh"),
        F("grdf", "ent-cartonnerie-lawe", g, 55, "GWh"),
        F("grdf", "ent-blanchisserie-artois", g, 12, "GWh"),
        F("grdf", "ent-fonderie-bm", g, 40, "GWh"),
        F("grdf", "ent-plasturgie-clarence", g, 8, "GWh"),
        F("grdf", "ent-imprimerie-porte-nord", g, 5, "GWh"),
        F("grdf", "ent-laverie-lievin", g, 7, "GWh"),
        F("grdf", "ent-brasserie-gohelle", g, 9, "GWh"),
        F("grdf", "ent-pommes-artois", g, 120, "GWh"),
        F("grdf", "ent-galva-deule", g, 24, "GWh", notes="Chauffage des bains de zinc"),
        F("grdf", "ent-salaisons-ternois", g, 48, "GWh"),
        F("grdf", "ent-conserverie-ternoise", g, 30, "GWh"),
        F("grdf", "ent-laiterie-canche", g, 65, "GWh"),
        F("grdf", "ent-abattoir-7v", g, 12, "GWh"),
        F("grdf", "ent-bailleur-bethunois", g, 15, "GWh", notes="Chaufferies collectives"),
        F("grdf", "ent-bailleur-gohelle", g, 20, "GWh", notes="Chaufferies collectives"),
    ]


def _energy_heat_and_loops() -> list[FlowSpec]:
    return [
        # Réseau de chaleur de Béthune, fed by the energy-from-waste plant (loop 3)
        F("ent-uve-bethunois", "rcu-bethune", "chaleur", 42, "GWh"),
        F(
            "ent-bois-energie-artois",
            "rcu-bethune",
            "biomasse",
            9000,
            "t",
            notes="Plaquettes forestières",
        ),
        F("rcu-bethune", "com-bethune", "chaleur", 14, "GWh"),
        F("rcu-bethune", "ent-bailleur-bethunois", "chaleur", 31, "GWh"),
        F(
            "rcu-bethune",
            "epci-cabbalr",
            "chaleur",
            6,
            "GWh",
            notes="Équipements communautaires raccordés",
        ),
        F("rcu-bethune", "ext-atmosphere", "chaleur", 9, "GWh", notes="Pertes du réseau"),
        F(
            "rcu-bethune",
            "ent-blanchisserie-artois",
            "chaleur",
            5,
            "GWh",
            status="potentiel",
            notes="Extension du réseau vers la zone d'activités",
        ),
        F(
            "epci-cabbalr",
            "ent-uve-bethunois",
            "dechets",
            95_000,
            "t",
            notes="Ordures ménagères résiduelles collectées",
        ),
        F(
            "epci-call",
            "ent-uve-bethunois",
            "dechets",
            30_000,
            "t",
            notes="Ordures ménagères résiduelles (convention)",
            conf="partenaires",
        ),
        F(
            "ent-uve-bethunois",
            "ext-atmosphere",
            "chaleur_fatale",
            40,
            "GWh",
            notes="Chaleur non valorisée l'été",
        ),
        # Réseau de chaleur de Liévin
        F("ext-fournisseurs-biomasse", "rcu-lievin", "biomasse", 7500, "t"),
        F("ent-gaz-mine", "rcu-lievin", "combustible", 15, "GWh", notes="Gaz de mine en chaudière"),
        F("rcu-lievin", "com-lievin", "chaleur", 11, "GWh"),
        F("rcu-lievin", "ent-bailleur-gohelle", "chaleur", 26, "GWh"),
        F("rcu-lievin", "epci-call", "chaleur", 5, "GWh"),
        F("rcu-lievin", "ext-atmosphere", "chaleur", 6, "GWh", notes="Pertes du réseau"),
        F(
            "ent-datacenter-alouette",
            "rcu-lievin",
            "chaleur_fatale",
            12,
            "GWh",
            status="potentiel",
            conf="partenaires",
            notes="Récupération de la chaleur des salles par pompe à chaleur",
        ),
        # Loop 1: Mazingarbe steam against residual gas
        F("ent-cogen-mazingarbe", "ent-azote-gohelle", "vapeur", 310, "GWh"),
        F(
            "ent-azote-gohelle",
            "ent-cogen-mazingarbe",
            "combustible",
            45,
            "GWh",
            notes="Gaz résiduaires riches en hydrogène",
        ),
        F("ent-cogen-mazingarbe", "ent-syntheses-gohelle", "vapeur", 40, "GWh"),
        F("ent-cogen-mazingarbe", "ent-resines-bm", "vapeur", 25, "GWh"),
        # Loop 2: Ternois agro-food by-products against biogas
        F(
            "ent-salaisons-ternois",
            "ent-methanisation-ternois",
            "sous_produit",
            14_000,
            "t",
            notes="Graisses et boues de prétraitement",
        ),
        F(
            "ent-conserverie-ternoise",
            "ent-methanisation-ternois",
            "sous_produit",
            9_000,
            "t",
            notes="Déchets de parage des légumes",
        ),
        F(
            "ent-coop-ternois",
            "ent-methanisation-ternois",
            "biomasse",
            12_000,
            "t",
            notes="Menues pailles et cultures intermédiaires",
        ),
        F(
            "ent-methanisation-ternois",
            "ent-salaisons-ternois",
            "biogaz",
            6,
            "GWh",
            notes="Biogaz en chaudière, par canalisation dédiée",
        ),
        F("ent-methanisation-ternois", "grdf", "biogaz", 18, "GWh", notes="Biométhane injecté"),
        # Loop 4: paper mill sludge and bark against steam
        F(
            "ent-papeterie-canche",
            "ent-chaufferie-canche",
            "combustible",
            21_000,
            "t",
            notes="Boues et refus de pulpeur",
        ),
        F(
            "ent-bois-7v",
            "ent-chaufferie-canche",
            "biomasse",
            26_000,
            "t",
            notes="Écorces et plaquettes",
        ),
        F("ent-chaufferie-canche", "ent-papeterie-canche", "vapeur", 85, "GWh"),
        F(
            "ent-methanisation-7v",
            "ext-atmosphere",
            "chaleur_fatale",
            4,
            "GWh",
            notes="Chaleur du moteur non valorisée",
        ),
        F(
            "ent-bois-7v",
            "ent-bois-energie-artois",
            "biomasse",
            6000,
            "t",
            notes="Plaquettes forestières",
            conf="partenaires",
        ),
    ]


#: Waste heat lost to the atmosphere, and recoveries that could use it.
WASTE_HEAT = [
    ("ent-acieries-lys", 85, "confidentiel", "ent-serres-lys", 18),
    ("ent-fonderie-bm", 22, "public", "ent-plasturgie-clarence", 4),
    ("ent-froid-porte-nord", 9, "public", "ent-imprimerie-porte-nord", 2),
    ("ent-pommes-artois", 28, "public", "ent-galva-deule", 6),
    ("ent-azote-gohelle", 60, "confidentiel", "ent-syntheses-gohelle", 15),
    ("ent-cellules-af", 35, "partenaires", "ent-mecanique-af", 8),
    ("ent-legumerie-lys", 7, "public", "ent-emballages-lillers", None),
    ("ent-datacenter-alouette", 14, "partenaires", None, None),
]


def _energy_waste_heat() -> list[FlowSpec]:
    flows = []
    for emitter, lost, conf, neighbour, recoverable in WASTE_HEAT:
        flows.append(
            F(
                emitter,
                "ext-atmosphere",
                "chaleur_fatale",
                lost,
                "GWh",
                conf=conf,
                notes="Chaleur fatale rejetée (fumées, aéroréfrigérants, condenseurs)",
            )
        )
        if neighbour is not None:
            flows.append(
                F(
                    emitter,
                    neighbour,
                    "chaleur_fatale",
                    recoverable,
                    "GWh" if recoverable else None,
                    status="potentiel",
                    conf=conf,
                    notes="Gisement de récupération identifié dans la même zone",
                )
            )
    return flows


def energy_t0_flows() -> list[FlowSpec]:
    """Every flow of the energy toile, T0 (2022)."""
    flows = [
        *_energy_electricity(),
        *_energy_gas(),
        *_energy_heat_and_loops(),
        *_energy_waste_heat(),
        F(
            "pole-metropolitain",
            "epci-cabbalr",
            "service",
            1,
            "u",
            notes="Schéma directeur des énergies (étude)",
        ),
        F(
            "pole-metropolitain",
            "epci-call",
            "service",
            1,
            "u",
            notes="Schéma directeur des énergies (étude)",
        ),
        F(
            "ent-uve-bethunois",
            "ent-films-bethunois",
            "vapeur",
            status="potentiel",
            notes="Vapeur basse pression pour l'extrusion",
        ),
    ]
    return finish_flows(flows, ENERGY_YEAR)


ENERGY_DESCRIPTION = (
    "Toile de l'énergie de l'Artois : réseaux d'électricité et de gaz, producteurs "
    "(solaire, éolien, méthanisation, gaz de mine, valorisation énergétique des déchets), "
    "réseaux de chaleur de Béthune et de Liévin, grands consommateurs, chaleur fatale des "
    "zones d'activités et ses voisins consommateurs de chaleur, boucles existantes (vapeur "
    "contre gaz résiduaires, sous-produits contre biogaz, déchets contre chaleur, boues "
    "contre vapeur). "
)

#: T1: companies that closed in 2023.
T1_CLOSED = ("ent-films-bethunois", "ent-resines-bm")
#: T1: flows of T0 whose figure was updated for 2023 (by flow key), new quantity.
T1_UPDATES: dict[tuple[str, str, str], float] = {
    ("ext-reseau-national-elec", "rte", "electricite"): 3820,
    ("rte", "enedis", "electricite"): 3050,
    ("rte", "ent-cellules-af", "electricite"): 310,
    ("rte", "ent-acieries-lys", "electricite"): 395,
    ("ent-eolien-ternoise", "enedis", "electricite"): 58,
    ("ent-eolien-canche", "enedis", "electricite"): 44,
    ("ent-pv-terrils", "enedis", "electricite"): 9.9,
    ("enedis", "ent-datacenter-alouette", "electricite"): 78,
    ("ext-reseau-national-gaz", "grtgaz", "gaz_naturel"): 2950,
    ("grtgaz", "grdf", "gaz_naturel"): 1780,
    ("grdf", "epci-cabbalr", "gaz_naturel"): 790,
    ("grdf", "epci-call", "gaz_naturel"): 720,
    ("grdf", "rcu-lievin", "gaz_naturel"): 13,
    ("grdf", "ent-cellules-af", "gaz_naturel"): 52,
    ("ent-uve-bethunois", "rcu-bethune", "chaleur"): 45,
    ("rcu-bethune", "ent-bailleur-bethunois", "chaleur"): 33,
    ("ent-methanisation-ternois", "grdf", "biogaz"): 21,
    ("ent-cogen-mazingarbe", "ent-azote-gohelle", "vapeur"): 295,
    ("ent-datacenter-alouette", "ext-atmosphere", "chaleur_fatale"): 6,
    ("ent-cellules-af", "ext-atmosphere", "chaleur_fatale"): 48,
    ("ent-acieries-lys", "ext-atmosphere", "chaleur_fatale"): 80,
}
#: T1: the potential recovery of T0 that now runs (same flow id), with its 2023 figure.
T1_COMMISSIONED = (("ent-datacenter-alouette", "rcu-lievin", "chaleur_fatale"), 9.0)


def energy_t1_flows(t0: list[FlowSpec]) -> list[FlowSpec]:
    """The energy toile one year on: closures, new actors, updated figures, one recovery."""
    flows: list[FlowSpec] = []
    for flow in t0:
        key = (flow.source, flow.target, flow.kind)
        if flow.source in T1_CLOSED or flow.target in T1_CLOSED:
            continue
        if key in T1_UPDATES:
            flow = replace(flow, quantity=T1_UPDATES[key], year=ENERGY_YEAR_T1)  # noqa: PLW2901
        if key == T1_COMMISSIONED[0]:
            flow = replace(  # noqa: PLW2901
                flow,
                status="existant",
                quantity=T1_COMMISSIONED[1],
                year=ENERGY_YEAR_T1,
                notes="Récupération mise en service en 2023 (pompe à chaleur)",
            )
        flows.append(flow)
    added = [
        F(
            "ent-ombrieres-porte-nord",
            "enedis",
            "electricite",
            3.2,
            "GWh",
            notes="Mise en service en 2023",
        ),
        F("enedis", "ent-hydrogene-plateforme", "electricite", 25, "GWh"),
        F(
            "ent-hydrogene-plateforme",
            "ent-azote-gohelle",
            "hydrogene",
            450,
            "t",
            notes="Hydrogène bas carbone",
        ),
        F(
            "ent-hydrogene-plateforme",
            "ext-atmosphere",
            "chaleur_fatale",
            5,
            "GWh",
            notes="Chaleur de l'électrolyseur non valorisée",
        ),
        F(
            "ent-hydrogene-plateforme",
            "ent-syntheses-gohelle",
            "chaleur_fatale",
            3,
            "GWh",
            status="potentiel",
            notes="Gisement de récupération identifié dans la même zone",
        ),
        F(
            "ent-legumerie-lys",
            "ent-methanisation-lys",
            "sous_produit",
            11_000,
            "t",
            notes="Déchets de parage",
        ),
        F("ent-methanisation-lys", "grdf", "biogaz", 12, "GWh", notes="Biométhane injecté"),
        F(
            "ent-coop-ternois",
            "ent-methanisation-lys",
            "biomasse",
            5_000,
            "t",
            notes="Cultures intermédiaires",
        ),
    ]
    return flows + finish_flows(added, ENERGY_YEAR_T1, first=501)


#: Actors that appear in T1 only.
T1_NEW_ACTORS = [
    company(
        "ent-ombrieres-porte-nord",
        "Ombrières Solaires de la Porte Nord",
        "35.11Z",
        2,
        "62186",
        "zae-porte-nord",
        "energie solaire",
        "Ombrières photovoltaïques sur parkings (mises en service en 2023).",
    ),
    company(
        "ent-hydrogene-plateforme",
        "Hydrogène Bas Carbone de la Plateforme",
        "20.11Z",
        18,
        "62563",
        "zae-mazingarbe",
        "energie hydrogene",
        "Électrolyseur de 10 MW (mis en service en 2023).",
    ),
    company(
        "ent-methanisation-lys",
        "Méthanisation de la Lys",
        "35.21Z",
        5,
        "62391",
        None,
        "energie methanisation",
        "Méthaniseur en injection (mis en service en 2023).",
    ),
]
UNIVERSE.update({a.id: a for a in T1_NEW_ACTORS})


def energy_toiles() -> tuple[ToileFiles, ToileFiles]:
    """The ``energie`` toile, T0 (2022) and T1 (2023)."""
    t0 = energy_t0_flows()
    t1 = energy_t1_flows(t0)
    sources = ARTOIS_SOURCES
    d0 = ENERGY_DESCRIPTION + ILLUSTRATIVE_WARNING
    d1 = (
        ENERGY_DESCRIPTION
        + "Version T1 (2023) : trois installations nouvelles (ombrières solaires, électrolyseur, "
        "méthaniseur), deux fermetures (films plastiques, résines), chiffres actualisés, "
        "récupération de la chaleur du centre de données par le réseau de Liévin mise en "
        "service. " + ILLUSTRATIVE_WARNING
    )
    files0 = ToileFiles(
        "artois-energie-T0",
        info("artois-energie", "Énergie de l'Artois", "energie", "T0", d0, sources, UPDATED_T0),
        [actor_row(a) for a in artois_actors(t0)],
        [flow_row(f) for f in t0],
    )
    files1 = ToileFiles(
        "artois-energie-T1",
        info("artois-energie", "Énergie de l'Artois", "energie", "T1", d1, sources, UPDATED_T1),
        [actor_row(a) for a in artois_actors(t1)],
        [flow_row(f) for f in t1],
    )
    return files0, files1


# --- électromobilité T0 ------------------------------------------------------------------------

MOBILITY_YEAR = 2023

MOBILITY_EXTRA_ACTORS = [
    ActorSpec(
        "asso-campus-electromobilite",
        "Campus de l'Électromobilité de l'Artois",
        "association",
        "62178",
        tags=("fictif", "formation", "electromobilite"),
        provenance=P_FICTIF,
        spread_km=0.6,
        description="Association d'entreprises et d'écoles pour les formations de la filière.",
    ),
]
UNIVERSE.update({a.id: a for a in MOBILITY_EXTRA_ACTORS})


def _mobility_supply_chain() -> list[FlowSpec]:
    imports = "ext-fournisseurs-matieres"
    return [
        F(
            imports,
            "ent-materiaux-actifs",
            "materiaux",
            12_000,
            "t",
            notes="Sulfates de nickel et de manganèse, carbonate de lithium",
        ),
        F(imports, "ent-electrolytes-gohelle", "materiaux", 3_500, "t", notes="Sels et solvants"),
        F(imports, "ent-separateurs-bethunois", "materiaux", 1_800, "t", notes="Polyoléfines"),
        F(
            imports,
            "ent-cellules-af",
            "materiaux",
            9_000,
            "t",
            notes="Graphite, feuillards de cuivre et d'aluminium",
            conf="partenaires",
        ),
        F(imports, "ent-cables-lillers", "materiaux", 2_600, "t", notes="Cuivre"),
        F(imports, "ent-fonderie-bm", "materiaux", 9_000, "t", notes="Lingots d'aluminium"),
        F(
            imports,
            "ent-electronique-artois",
            "composants",
            6.5,
            "MEUR",
            notes="Semi-conducteurs de puissance",
        ),
        F(imports, "ent-bornes-artois", "composants", 1_400, "u", notes="Bornes de recharge"),
        F(imports, "ent-irve-gohelle", "composants", 1_100, "u", notes="Bornes de recharge"),
        F(imports, "ent-elec-ternois", "composants", 160, "u", notes="Bornes de recharge"),
        F(
            "ent-materiaux-actifs",
            "ent-cellules-af",
            "composants",
            8_500,
            "t",
            conf="partenaires",
            notes="Matière active de cathode",
        ),
        F(
            "ent-electrolytes-gohelle",
            "ent-cellules-af",
            "composants",
            2_400,
            "t",
            notes="Électrolyte",
        ),
        F(
            "ent-separateurs-bethunois",
            "ent-cellules-af",
            "composants",
            1_100,
            "t",
            notes="Films séparateurs",
        ),
        F(
            "ent-cellules-af",
            "ent-packs-gohelle",
            "batteries",
            2.5,
            "GWh",
            conf="confidentiel",
            notes="Capacité des cellules livrées",
        ),
        F(
            "ent-cellules-af",
            "ext-constructeurs-auto",
            "batteries",
            3.5,
            "GWh",
            conf="confidentiel",
            notes="Capacité des cellules livrées",
        ),
        F(
            "ent-packs-gohelle",
            "ext-constructeurs-auto",
            "batteries",
            38_000,
            "u",
            notes="Packs de batteries",
        ),
        F("ent-packs-gohelle", "ent-carrosserie-ruitz", "batteries", 420, "u"),
        F("ent-packs-gohelle", "ent-retrofit-gohelle", "batteries", 160, "u"),
        F(
            "ent-packs-gohelle",
            "ent-cycles-lillers",
            "batteries",
            9_800,
            "u",
            notes="Batteries de vélo",
        ),
        F(
            "ent-cables-lillers",
            "ent-packs-gohelle",
            "composants",
            2_100,
            "kEUR",
            notes="Faisceaux haute tension",
        ),
        F("ent-cables-lillers", "ext-constructeurs-auto", "composants", 18, "MEUR"),
        F("ent-cables-lillers", "ent-carrosserie-ruitz", "composants", 350, "kEUR"),
        F(
            "ent-electronique-artois",
            "ent-packs-gohelle",
            "composants",
            45_000,
            "u",
            notes="Systèmes de gestion de batterie (BMS)",
        ),
        F(
            "ent-electronique-artois",
            "ent-carrosserie-ruitz",
            "composants",
            900,
            "u",
            notes="Onduleurs de traction",
        ),
        F(
            "ent-electronique-artois",
            "ent-bornes-artois",
            "composants",
            1_200,
            "u",
            notes="Modules de puissance de bornes",
        ),
        F(
            "ent-electronique-artois",
            "ext-constructeurs-auto",
            "composants",
            11,
            "MEUR",
            conf="partenaires",
            notes="Chargeurs embarqués",
        ),
        F(
            "ent-fonderie-bm",
            "ent-mecanique-af",
            "composants",
            4_800,
            "t",
            notes="Carters de moteurs électriques",
        ),
        F(
            "ent-fonderie-bm",
            "ent-packs-gohelle",
            "composants",
            1_300,
            "t",
            notes="Bacs de batteries en aluminium",
        ),
        F(
            "ent-acieries-lys",
            "ent-mecanique-af",
            "materiaux",
            6_000,
            "t",
            notes="Tôles magnétiques pour stators et rotors",
        ),
        F(
            "ent-usinage-frevent",
            "ent-mecanique-af",
            "composants",
            2.8,
            "MEUR",
            notes="Arbres et pignons usinés",
        ),
        F(
            "ent-injection-alouette",
            "ent-packs-gohelle",
            "composants",
            1.6,
            "MEUR",
            notes="Capots et supports plastiques",
        ),
        F("ent-plasturgie-clarence", "ent-carrosserie-ruitz", "composants", 0.9, "MEUR"),
        F(
            "ent-mecanique-af",
            "ext-constructeurs-auto",
            "composants",
            210_000,
            "u",
            notes="Moteurs électriques et réducteurs",
        ),
        F(
            "ent-carrosserie-ruitz",
            "smt-artois-mobilites",
            "assemblage",
            12,
            "u",
            notes="Bus électriques",
        ),
        F(
            "ent-carrosserie-ruitz",
            "ext-clients-vehicules",
            "assemblage",
            48,
            "u",
            notes="Bus et navettes électriques",
        ),
        F(
            "ent-retrofit-gohelle",
            "epci-call",
            "assemblage",
            14,
            "u",
            notes="Utilitaires convertis",
        ),
        F("ent-retrofit-gohelle", "com-lens", "assemblage", 6, "u", notes="Utilitaires convertis"),
        F("ent-retrofit-gohelle", "ext-clients-vehicules", "assemblage", 55, "u"),
        F(
            "ent-cycles-lillers",
            "ext-clients-vehicules",
            "assemblage",
            9_500,
            "u",
            notes="Vélos à assistance électrique",
        ),
        F(
            "ent-cycles-lillers",
            "epci-cabbalr",
            "assemblage",
            300,
            "u",
            notes="Vélos de location longue durée",
        ),
        F("ent-cycles-lillers", "com-bethune", "assemblage", 40, "u", notes="Vélos de service"),
    ]


def _mobility_recycling() -> list[FlowSpec]:
    return [
        F(
            "ent-cellules-af",
            "ent-recyclage-gohelle",
            "recyclage",
            1_900,
            "t",
            notes="Rebuts de production",
        ),
        F(
            "ent-packs-gohelle",
            "ent-recyclage-gohelle",
            "recyclage",
            240,
            "t",
            notes="Modules déclassés",
        ),
        F(
            "ent-vhu-deule",
            "ent-recyclage-gohelle",
            "recyclage",
            1_300,
            "u",
            notes="Batteries de véhicules hors d'usage",
        ),
        F(
            "ext-collecte-batteries",
            "ent-recyclage-gohelle",
            "recyclage",
            3_200,
            "t",
            notes="Batteries usagées",
        ),
        F("ent-recyclage-gohelle", "ext-affineurs", "recyclage", 2_100, "t", notes="Masse noire"),
        F(
            "ent-recyclage-gohelle",
            "ent-fonderie-bm",
            "materiaux",
            180,
            "t",
            notes="Aluminium des carters",
        ),
        F(
            "ent-recyclage-gohelle",
            "ent-materiaux-actifs",
            "materiaux",
            350,
            "t",
            status="projet",
            notes="Sels de nickel et de cobalt recyclés (projet)",
        ),
        F(
            "ent-recyclage-gohelle",
            "ent-cables-lillers",
            "materiaux",
            90,
            "t",
            status="potentiel",
            notes="Cuivre des faisceaux",
        ),
    ]


def _mobility_knowledge_and_money() -> list[FlowSpec]:
    univ, iut, ecole = "univ-artois-fsa", "iut-bethune", "ent-formation-batteries"
    campus = "asso-campus-electromobilite"
    region, etat = "ext-region-hdf", "ext-etat-france2030"
    return [
        F(
            univ,
            "ent-mecanique-af",
            "recherche",
            420,
            "kEUR",
            notes="Contrat de recherche sur les machines électriques",
        ),
        F(univ, "ent-electronique-artois", "recherche", 180, "kEUR"),
        F(univ, "ent-cellules-af", "recherche", 3, "u", notes="Thèses CIFRE", conf="partenaires"),
        F(univ, "ent-recyclage-gohelle", "recherche", 120, "kEUR"),
        F(univ, "ent-materiaux-actifs", "recherche", 2, "u", notes="Thèses CIFRE"),
        F(univ, "ent-bornes-artois", "recherche", notes="Projet de recherche sur la recharge"),
        F(iut, "ent-bornes-artois", "formation", 24, "u", notes="Alternants"),
        F(iut, "ent-packs-gohelle", "formation", 30, "u", notes="Alternants"),
        F(iut, "ent-mecanique-af", "formation", 40, "u", notes="Alternants"),
        F(iut, "ent-electronique-artois", "formation", 12, "u", notes="Alternants"),
        F(ecole, "ent-cellules-af", "formation", 850, "u", notes="Stagiaires formés"),
        F(ecole, "ent-packs-gohelle", "formation", 220, "u", notes="Stagiaires formés"),
        F(ecole, "ent-recyclage-gohelle", "formation", 45, "u", notes="Stagiaires formés"),
        F(ecole, "ent-materiaux-actifs", "formation", 60, "u", notes="Stagiaires formés"),
        F(campus, "ent-cellules-af", "formation", 120, "u", notes="Apprentis"),
        F(campus, "ent-mecanique-af", "formation", 60, "u", notes="Apprentis"),
        F(campus, "ent-bornes-artois", "formation", 15, "u", notes="Apprentis"),
        F(campus, "ent-irve-gohelle", "formation", 12, "u", notes="Apprentis"),
        F(region, "ent-cellules-af", "financement", 20, "MEUR", conf="partenaires"),
        F(etat, "ent-cellules-af", "financement", 120, "MEUR", conf="partenaires"),
        F(etat, "ent-recyclage-gohelle", "financement", 6, "MEUR"),
        F(etat, "ent-materiaux-actifs", "financement", 15, "MEUR"),
        F(etat, "epci-cabbalr", "financement", 1.1, "MEUR", notes="Aide au déploiement IRVE"),
        F(etat, "epci-call", "financement", 1.3, "MEUR", notes="Aide au déploiement IRVE"),
        F(region, ecole, "financement", 1.8, "MEUR"),
        F(region, univ, "financement", 0.9, "MEUR"),
        F(
            region,
            "smt-artois-mobilites",
            "financement",
            3.5,
            "MEUR",
            notes="Acquisition de bus électriques",
        ),
        F(region, campus, "financement", 250, "kEUR"),
        F("ext-investisseurs", "ent-packs-gohelle", "financement", 25, "MEUR", conf="confidentiel"),
        F(
            "ext-investisseurs",
            "ent-materiaux-actifs",
            "financement",
            40,
            "MEUR",
            conf="confidentiel",
        ),
        F(
            "ext-investisseurs",
            "ent-recyclage-gohelle",
            "financement",
            conf="confidentiel",
            notes="Levée de fonds (montant non communiqué)",
        ),
        F("epci-cabbalr", ecole, "financement", 400, "kEUR"),
        F("epci-call", "ent-recyclage-gohelle", "financement", 300, "kEUR"),
        F("epci-cabbalr", campus, "financement", 80, "kEUR"),
        F("pole-metropolitain", campus, "financement", 150, "kEUR"),
        F("pole-metropolitain", univ, "financement", 80, "kEUR", notes="Étude de filière"),
        F(
            "pole-metropolitain",
            "epci-cabbalr",
            "service",
            1,
            "u",
            notes="Schéma directeur des IRVE (étude)",
        ),
        F(
            "pole-metropolitain",
            "epci-call",
            "service",
            1,
            "u",
            notes="Schéma directeur des IRVE (étude)",
        ),
        F(
            "pole-metropolitain",
            "epci-ternois",
            "service",
            1,
            "u",
            notes="Schéma directeur des IRVE (étude)",
        ),
        F(
            "pole-metropolitain",
            "epci-7vallees",
            "service",
            1,
            "u",
            notes="Schéma directeur des IRVE (étude)",
        ),
    ]


#: Charging points installed in 2023: installer -> host (count of points).
IRVE_INSTALLS = {
    "ent-bornes-artois": [
        ("epci-cabbalr", 64),
        ("com-bethune", 18),
        ("com-bruay", 12),
        ("com-lillers", 8),
        ("com-isbergues", 6),
        ("ent-hub-recharge", 12),
        ("ent-mecanique-af", 40),
    ],
    "ent-irve-gohelle": [
        ("epci-call", 80),
        ("com-lens", 22),
        ("com-lievin", 16),
        ("com-harnes", 10),
        ("smt-artois-mobilites", 30),
        ("ent-cellules-af", 60),
        ("ent-packs-gohelle", 24),
        ("ent-froid-porte-nord", 10),
    ],
    "ent-elec-ternois": [
        ("epci-ternois", 14),
        ("epci-7vallees", 12),
        ("com-saint-pol", 6),
        ("com-frevent", 4),
        ("com-marconnelle", 3),
    ],
}
#: Energy delivered in 2023 by the charging operator on each host's public points (MWh).
IRVE_ENERGY = [
    ("epci-cabbalr", 1450),
    ("epci-call", 1600),
    ("epci-ternois", 120),
    ("epci-7vallees", 95),
    ("com-bethune", 320),
    ("com-lens", 380),
    ("com-lievin", 260),
    ("com-bruay", 190),
    ("com-lillers", 85),
    ("com-isbergues", 40),
    ("com-harnes", 110),
    ("com-saint-pol", 60),
    ("com-frevent", 25),
    ("com-marconnelle", 12),
    ("smt-artois-mobilites", 2900),
]


def _mobility_charging() -> list[FlowSpec]:
    operator = "ent-operateur-recharge"
    flows = [
        F(installer, host, "service", points, "u", notes="Points de recharge installés")
        for installer, hosts in IRVE_INSTALLS.items()
        for host, points in hosts
    ]
    flows += [
        F(
            operator,
            host,
            "recharge",
            mwh,
            "MWh",
            notes="Énergie délivrée sur les points exploités pour cet aménageur",
        )
        for host, mwh in IRVE_ENERGY
    ]
    flows += [
        F("ent-hub-recharge", "ext-usagers-transit", "recharge", 2300, "MWh"),
        F(
            "ent-hub-recharge",
            "ent-operateur-recharge",
            "service",
            notes="Itinérance : accès des abonnés de l'opérateur",
        ),
        F("epci-cabbalr", operator, "service", 380, "kEUR", notes="Contrat d'exploitation"),
        F("epci-call", operator, "service", 420, "kEUR", notes="Contrat d'exploitation"),
        F(
            "epci-ternois",
            operator,
            "service",
            45,
            "kEUR",
            conf="partenaires",
            notes="Contrat d'exploitation",
        ),
        F("enedis", "ent-hub-recharge", "service", 1, "u", notes="Raccordement HTA"),
        F("enedis", "epci-cabbalr", "service", 35, "u", notes="Raccordements de bornes"),
        F("enedis", "epci-call", "service", 42, "u", notes="Raccordements de bornes"),
        F("enedis", "epci-ternois", "service", 9, "u", notes="Raccordements de bornes"),
        F(
            "ent-bornes-artois",
            "com-bethune",
            "service",
            28,
            "kEUR",
            status="potentiel",
            notes="Maintenance des bornes existantes (appel d'offres en cours)",
        ),
        F(
            "ent-operateur-recharge",
            "ent-mecanique-af",
            "recharge",
            260,
            "MWh",
            notes="Recharge des véhicules de salariés",
        ),
        F("ent-operateur-recharge", "ent-cellules-af", "recharge", 340, "MWh", conf="partenaires"),
        F(
            "ent-operateur-recharge",
            "ent-froid-porte-nord",
            "recharge",
            150,
            "MWh",
            notes="Groupes frigorifiques électriques des camions à quai",
        ),
        F(
            "ent-irve-gohelle",
            "com-lens",
            "service",
            20,
            "u",
            status="projet",
            notes="Points de recharge prévus en 2024",
        ),
        F(
            "ent-bornes-artois",
            "com-lillers",
            "service",
            10,
            "u",
            status="projet",
            notes="Points de recharge prévus en 2024",
        ),
    ]
    return flows


def mobility_toile() -> ToileFiles:
    """The ``electromobilite`` T0 toile of the Artois."""
    flows = finish_flows(
        [
            *_mobility_supply_chain(),
            *_mobility_recycling(),
            *_mobility_knowledge_and_money(),
            *_mobility_charging(),
        ],
        MOBILITY_YEAR,
    )
    description = (
        "Toile de l'électromobilité de l'Artois : matériaux et composants, fabrication de "
        "cellules et de packs de batteries, moteurs et électronique de puissance, "
        "assemblage de véhicules, recyclage des batteries, aménageurs, opérateurs et "
        "installateurs de bornes de recharge (IRVE), recherche, formation et financements. "
        + ILLUSTRATIVE_WARNING
    )
    return ToileFiles(
        "artois-electromobilite-T0",
        info(
            "artois-electromobilite",
            "Électromobilité de l'Artois",
            "electromobilite",
            "T0",
            description,
            ARTOIS_SOURCES,
            UPDATED_T0,
        ),
        [actor_row(a) for a in artois_actors(flows)],
        [flow_row(f) for f in flows],
    )


# --- Kalundborg --------------------------------------------------------------------------------

FIKSEL = (
    "Fiksel, J. (2009). Design for Environment: A Guide to Sustainable Product Development, "
    "2e éd., McGraw-Hill, chap. 8, p. 163 (encadré Kalundborg)"
)
IISD = (
    "IISD, Business and Sustainable Development: A Global Guide, étude de cas « Kalundborg » "
    "(http://www.iisd.org/business/viewcasestudy.aspx?id=77)"
)
SAIKKU = (
    "Saikku, L. (2006). Eco-Industrial Parks: A Background Report for the Eco-Industrial Park "
    "Project at Rantasalmi. Publications of Regional Council of Etelä-Savo, Mikkeli"
)
CHRISTENSEN = (
    "Christensen, J. (1994), in B. R. Allenby et D. J. Richards (dir.), The Greening of "
    "Industrial Ecosystems, Washington DC, National Academy Press"
)
UNEP = (
    "PNUE (UNEP), Environmental Management for Industrial Estates: Information and Training "
    "Resources, étude de cas « The Industrial Symbiosis in Kalundborg, Denmark » (citant "
    "Christensen 1999)"
)
KALUNDBORG_SOURCES = [FIKSEL, IISD, SAIKKU, CHRISTENSEN, UNEP]
# Short citations for each flow's provenance; the full references are the toile's sources.
FIKSEL_S = "Fiksel (2009), Design for Environment, 2e éd., McGraw-Hill, p. 163"
IISD_S = "IISD, étude de cas « Kalundborg » (Business and Sustainable Development)"
SAIKKU_S = "Saikku (2006), Eco-Industrial Parks, Regional Council of Etelä-Savo"
CHRISTENSEN_S = (
    "Christensen (1994), in The Greening of Industrial Ecosystems, National Academy Press"
)
UNEP_S = "PNUE, Environmental Management for Industrial Estates, cas Kalundborg"
#: Year of the situation the 1990s literature describes (IISD gives its figures for 1995).
KAL_YEAR = 1995

_KAL_POINT = "Coordonnées approximatives (à 1 ou 2 km près)"


def _kal_actor(  # noqa: PLR0913, PLR0917
    aid: str,
    name: str,
    kind: str,
    point: tuple[float, float] | None,
    description: str,
    provenance: str,
    tags: str = "reel",
) -> dict[str, object]:
    return {
        "id": aid,
        "name": name,
        "kind": kind,
        "lat": None if point is None else point[0],
        "lon": None if point is None else point[1],
        "tags": "|".join(tags.split()),
        "description": description,
        "confidentiality": "public",
        "provenance": provenance,
    }


def kalundborg_actors() -> list[dict[str, object]]:
    """The partners of the Kalundborg symbiosis as the 1990s literature describes them."""
    a = _kal_actor
    return [
        a(
            "kal-asnaes",
            "Centrale électrique d'Asnæs",
            "entreprise",
            (55.6640, 11.0830),
            "Centrale au charbon d'environ 1 500 MW, cœur de la symbiose. " + _KAL_POINT + ".",
            f"{CHRISTENSEN_S} ; {FIKSEL_S}",
        ),
        a(
            "kal-statoil",
            "Raffinerie Statoil de Kalundborg",
            "entreprise",
            (55.6700, 11.0950),
            "Raffinerie d'environ 3 Mt de brut par an. " + _KAL_POINT + ".",
            f"{CHRISTENSEN_S} ; {IISD_S}",
        ),
        a(
            "kal-novo-nordisk",
            "Novo Nordisk (usine de Kalundborg)",
            "entreprise",
            (55.6640, 11.1230),
            "Production d'insuline et d'enzymes industrielles. " + _KAL_POINT + ".",
            f"{FIKSEL_S} ; {IISD_S}",
        ),
        a(
            "kal-gyproc",
            "Gyproc (plaques de plâtre)",
            "entreprise",
            (55.6720, 11.1030),
            "Environ 14 millions de m² de plaques de plâtre par an. " + _KAL_POINT + ".",
            f"{CHRISTENSEN_S} ; {IISD_S}",
        ),
        a(
            "kal-kommune",
            "Kalundborg Kommune (eau et chauffage urbain)",
            "commune",
            (55.6795, 11.0886),
            "Municipalité : distribution d'eau et réseau de chaleur urbain. Point : centre-ville.",
            f"{IISD_S} ; {UNEP_S}",
        ),
        a(
            "kal-pisciculture",
            "Pisciculture d'Asnæs",
            "entreprise",
            (55.6610, 11.0780),
            "Élevage de poissons en eau tiède. " + _KAL_POINT + ".",
            IISD_S,
        ),
        a(
            "kal-agriculteurs",
            "Exploitations agricoles des environs",
            "entreprise",
            (55.6500, 11.1800),
            "Agrégat des exploitations qui reçoivent engrais et aliments. "
            "Point de représentation (campagne à l'est de Kalundborg).",
            FIKSEL_S,
            tags="reel agregat",
        ),
        a(
            "kal-cimentier",
            "Cimentier (client des cendres volantes)",
            "entreprise",
            None,
            "Cimenterie qui utilise les cendres volantes d'Asnæs ; les sources citées ne la "
            "localisent pas, d'où l'absence de coordonnées.",
            FIKSEL_S,
        ),
        a(
            "ext-lac-tisso",
            "Lac Tissø",
            "exterieur",
            None,
            "Ressource en eau de surface de la symbiose.",
            UNEP_S,
            tags="exterieur",
        ),
        a(
            "ext-reseau-electrique",
            "Réseau électrique danois",
            "exterieur",
            None,
            "Destination de l'électricité d'Asnæs.",
            P_EXTERIEUR,
            tags="exterieur",
        ),
        a(
            "ext-marche-petrole",
            "Approvisionnement en pétrole brut",
            "exterieur",
            None,
            "Origine du brut raffiné à Kalundborg.",
            P_EXTERIEUR,
            tags="exterieur",
        ),
        a(
            "ext-marche-construction",
            "Marché de la construction",
            "exterieur",
            None,
            "Destination des plaques de plâtre.",
            P_EXTERIEUR,
            tags="exterieur",
        ),
    ]


def _kal(  # noqa: PLR0913, PLR0917
    fid: str,
    source: str,
    target: str,
    kind: str,
    quantity: float | None,
    unit: str | None,
    provenance: str,
    confidence: str,
    notes: str,
    year: int = KAL_YEAR,
) -> FlowSpec:
    return FlowSpec(
        source,
        target,
        kind,
        quantity,
        unit,
        "existant",
        "public",
        notes,
        year,
        provenance,
        confidence,
        fid,
    )


def kalundborg_flows() -> list[FlowSpec]:
    """The exchanges of the symbiosis, with the published figures only."""
    k = _kal
    return [
        k(
            "kal-01",
            "ext-lac-tisso",
            "kal-kommune",
            "prelevement",
            None,
            None,
            f"{UNEP_S} ; {SAIKKU_S}",
            "haute",
            "Eau de surface du lac Tissø ; canalisation construite par la ville, financée par la "
            "raffinerie. Quantité non publiée dans les sources citées.",
        ),
        k(
            "kal-02",
            "kal-kommune",
            "kal-statoil",
            "eau_industrielle",
            None,
            None,
            f"{UNEP_S} ; {SAIKKU_S}",
            "haute",
            "Échange commencé en 1961 (Saikku 2006) : le premier de la symbiose.",
        ),
        k(
            "kal-03",
            "kal-statoil",
            "kal-gyproc",
            "combustible",
            None,
            None,
            SAIKKU_S,
            "haute",
            "Gaz de raffinerie. Échange commencé en 1972 (Saikku 2006).",
        ),
        k(
            "kal-04",
            "kal-statoil",
            "kal-asnaes",
            "combustible",
            None,
            None,
            FIKSEL_S,
            "haute",
            "Gaz de raffinerie brûlé à la centrale (boucle avec la vapeur kal-06).",
        ),
        k(
            "kal-05",
            "kal-statoil",
            "kal-asnaes",
            "reutilisation",
            None,
            None,
            f"{IISD_S} ; {SAIKKU_S}",
            "haute",
            "Eaux usées traitées de la raffinerie, utilisées comme eau de refroidissement. "
            "Échange commencé en 1995 (Saikku 2006).",
        ),
        k(
            "kal-06",
            "kal-asnaes",
            "kal-statoil",
            "vapeur",
            None,
            None,
            f"{FIKSEL_S} ; {IISD_S}",
            "haute",
            "Vapeur de procédé. Échange commencé en 1982 (Saikku 2006). Quantité "
            "annuelle non publiée dans les sources citées.",
        ),
        k(
            "kal-07",
            "kal-asnaes",
            "kal-novo-nordisk",
            "vapeur",
            None,
            None,
            f"{FIKSEL_S} ; {IISD_S}",
            "haute",
            "Vapeur de procédé. Échange commencé en 1982 (Saikku 2006).",
        ),
        k(
            "kal-08",
            "kal-asnaes",
            "kal-kommune",
            "chaleur",
            None,
            None,
            f"{IISD_S} ; {CHRISTENSEN_S}",
            "haute",
            "Chaleur pour le réseau de chauffage urbain de la ville.",
        ),
        k(
            "kal-09",
            "kal-asnaes",
            "kal-pisciculture",
            "eau_refroidissement",
            None,
            None,
            IISD_S,
            "haute",
            "Eau de refroidissement tiède (chaleur excédentaire) pour la pisciculture.",
        ),
        k(
            "kal-10",
            "kal-asnaes",
            "kal-cimentier",
            "sous_produit",
            135_000,
            "t",
            FIKSEL_S,
            "moyenne",
            "Cendres volantes. IISD donne 170 000 t/an (ciment et routes). Échange commencé en "
            "1979 (Saikku 2006).",
        ),
        k(
            "kal-11",
            "kal-asnaes",
            "kal-gyproc",
            "sous_produit",
            200_000,
            "t",
            FIKSEL_S,
            "moyenne",
            "Gypse de désulfuration des fumées. IISD donne 80 000 t/an, soit près des deux tiers "
            "des besoins de Gyproc. Échange commencé en 1993 (Saikku 2006).",
        ),
        k(
            "kal-12",
            "kal-novo-nordisk",
            "kal-agriculteurs",
            "sous_produit",
            1,
            "Mt",
            FIKSEL_S,
            "moyenne",
            "Boues de fermentation épandues comme engrais (« environ un million de tonnes par "
            "an »). Échange commencé en 1976 : biomasse (Saikku 2006).",
        ),
        k(
            "kal-13",
            "kal-novo-nordisk",
            "kal-agriculteurs",
            "sous_produit",
            5_000,
            "t",
            FIKSEL_S,
            "moyenne",
            "Levure excédentaire de la production d'insuline, pour l'alimentation des porcs.",
        ),
        k(
            "kal-14",
            "kal-asnaes",
            "ext-reseau-electrique",
            "electricite",
            1_500,
            "MW",
            f"{CHRISTENSEN_S} ; {FIKSEL_S}",
            "haute",
            "Puissance installée d'environ 1 500 MW (une capacité, pas un flux annuel).",
            1994,
        ),
        k(
            "kal-15",
            "ext-marche-petrole",
            "kal-statoil",
            "combustible",
            3,
            "Mt",
            CHRISTENSEN_S,
            "moyenne",
            "Pétrole brut raffiné : environ 3 Mt par an.",
            1994,
        ),
        k(
            "kal-16",
            "kal-gyproc",
            "ext-marche-construction",
            "materiaux",
            None,
            None,
            CHRISTENSEN_S,
            "moyenne",
            "Environ 14 millions de m² de plaques de plâtre par an : une surface, unité que les "
            "toiles ne prennent pas en charge, d'où la quantité vide.",
            1994,
        ),
    ]


def kalundborg_toile() -> ToileFiles:
    """The Kalundborg industrial symbiosis (Denmark), from published figures."""
    description = (
        "La symbiose industrielle de Kalundborg (Danemark), cas d'école de l'écologie "
        "industrielle, telle que la décrit la littérature des années 1990 : vapeur et chaleur "
        "de la centrale d'Asnæs vers la raffinerie, Novo Nordisk et le chauffage urbain ; gaz "
        "de raffinerie et eaux usées traitées en retour vers la centrale (une boucle) ; "
        "cendres volantes, gypse, boues et levures valorisés. Chaque flux cite sa source ; "
        "les quantités ne figurent que lorsqu'elles sont publiées. Thème « energie » : la "
        "symbiose s'organise autour des échanges de vapeur, de chaleur et de combustibles de "
        "la centrale ; les sous-produits utilisent des types de flux communs à tous les thèmes."
    )
    return ToileFiles(
        "kalundborg-T0",
        info(
            "kalundborg",
            "Symbiose industrielle de Kalundborg",
            "energie",
            "T0",
            description,
            KALUNDBORG_SOURCES,
            UPDATED_T0,
            illustrative=False,
            territory={"name": "Kalundborg (Danemark)", "epci": []},
        ),
        kalundborg_actors(),
        [flow_row(f) for f in kalundborg_flows()],
    )


# --- main --------------------------------------------------------------------------------------


def build() -> list[ToileFiles]:
    """Every reference toile, in folder order."""
    energy_t0, energy_t1 = energy_toiles()
    return [water_toile(), mobility_toile(), energy_t0, energy_t1, kalundborg_toile()]


def main() -> None:
    """Write the reference toiles and print their counts."""
    for toile in build():
        path = toile.write(OUTPUT)
        print(f"{path.relative_to(ROOT)}: {len(toile.actors)} actors, {len(toile.flows)} flows")


if __name__ == "__main__":
    main()
