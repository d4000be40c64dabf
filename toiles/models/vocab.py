"""Controlled vocabularies of toiles: themes, actor kinds, flow kinds, statuses.

Every value is a French slug (the users' own terms) and carries a French and an English
label, so that the visuals speak French by default and English on request.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar


class Theme(StrEnum):
    """Theme of a toile: what its flows are about."""

    EAU_INDUSTRIELLE = "eau_industrielle"
    ENERGIE = "energie"
    ELECTROMOBILITE = "electromobilite"
    AUTRE = "autre"


class ActorKind(StrEnum):
    """Kind of an actor of a toile."""

    ENTREPRISE = "entreprise"
    COLLECTIVITE = "collectivite"
    EPCI = "epci"
    COMMUNE = "commune"
    ETABLISSEMENT_PUBLIC = "etablissement_public"
    SYNDICAT = "syndicat"
    GESTIONNAIRE_RESEAU = "gestionnaire_reseau"
    ASSOCIATION = "association"
    ZAE = "zae"
    EQUIPEMENT = "equipement"
    EXTERIEUR = "exterieur"


class FlowKind(StrEnum):
    """Kind of a flow; each belongs to one theme, or to any theme."""

    # water
    PRELEVEMENT = "prelevement"
    EAU_POTABLE = "eau_potable"
    EAU_INDUSTRIELLE = "eau_industrielle"
    EAU_REFROIDISSEMENT = "eau_refroidissement"
    REJET = "rejet"
    EAUX_USEES = "eaux_usees"
    REUTILISATION = "reutilisation"
    # energy
    ELECTRICITE = "electricite"
    GAZ_NATUREL = "gaz_naturel"
    BIOGAZ = "biogaz"
    CHALEUR = "chaleur"
    VAPEUR = "vapeur"
    CHALEUR_FATALE = "chaleur_fatale"
    FROID = "froid"
    HYDROGENE = "hydrogene"
    BIOMASSE = "biomasse"
    COMBUSTIBLE = "combustible"
    # electromobility
    COMPOSANTS = "composants"
    BATTERIES = "batteries"
    ASSEMBLAGE = "assemblage"
    RECHARGE = "recharge"
    RECYCLAGE = "recyclage"
    RECHERCHE = "recherche"
    FORMATION = "formation"
    FINANCEMENT = "financement"
    # any theme
    MATERIAUX = "materiaux"
    SOUS_PRODUIT = "sous_produit"
    DECHETS = "dechets"
    SERVICE = "service"


class Status(StrEnum):
    """Whether a flow exists, could exist, or is planned."""

    EXISTANT = "existant"
    POTENTIEL = "potentiel"
    PROJET = "projet"


class Confidentiality(StrEnum):
    """Who may see an actor, a flow or a field (ordered from the most open)."""

    PUBLIC = "public"
    PARTENAIRES = "partenaires"
    CONFIDENTIEL = "confidentiel"

    @property
    def rank(self) -> int:
        """Order of openness: 0 for public, 2 for confidential."""
        return _CONFIDENTIALITY_ORDER.index(self)


_CONFIDENTIALITY_ORDER = (
    Confidentiality.PUBLIC,
    Confidentiality.PARTENAIRES,
    Confidentiality.CONFIDENTIEL,
)


class Confidence(StrEnum):
    """How much a figure can be trusted."""

    HAUTE = "haute"
    MOYENNE = "moyenne"
    FAIBLE = "faible"


class UnitFamily(StrEnum):
    """Physical family of a quantity; quantities of different families never add up."""

    ENERGY = "energy"
    VOLUME = "volume"
    MASS = "mass"
    POWER = "power"
    COUNT = "count"
    MONEY = "money"


@dataclass(frozen=True)
class Term:
    """Labels and rules of one vocabulary value."""

    fr: str
    en: str


@dataclass(frozen=True)
class FlowKindInfo(Term):
    """Labels of a flow kind, the theme it belongs to and the unit families it accepts."""

    theme: Theme | None
    families: tuple[UnitFamily, ...]


_E, _V, _M, _P, _C, _EUR = (
    UnitFamily.ENERGY,
    UnitFamily.VOLUME,
    UnitFamily.MASS,
    UnitFamily.POWER,
    UnitFamily.COUNT,
    UnitFamily.MONEY,
)
_W, _EN, _EM = Theme.EAU_INDUSTRIELLE, Theme.ENERGIE, Theme.ELECTROMOBILITE

FLOW_KINDS: dict[FlowKind, FlowKindInfo] = {
    FlowKind.PRELEVEMENT: FlowKindInfo("Prélèvement", "Withdrawal", _W, (_V,)),
    FlowKind.EAU_POTABLE: FlowKindInfo("Eau potable", "Drinking water", _W, (_V,)),
    FlowKind.EAU_INDUSTRIELLE: FlowKindInfo("Eau industrielle", "Industrial water", _W, (_V,)),
    FlowKind.EAU_REFROIDISSEMENT: FlowKindInfo(
        "Eau de refroidissement", "Cooling water", _W, (_V,)
    ),
    FlowKind.REJET: FlowKindInfo("Rejet", "Discharge", _W, (_V,)),
    FlowKind.EAUX_USEES: FlowKindInfo("Eaux usées", "Wastewater", _W, (_V,)),
    FlowKind.REUTILISATION: FlowKindInfo("Réutilisation", "Water reuse", _W, (_V,)),
    FlowKind.ELECTRICITE: FlowKindInfo("Électricité", "Electricity", _EN, (_E, _P)),
    FlowKind.GAZ_NATUREL: FlowKindInfo("Gaz naturel", "Natural gas", _EN, (_E, _V)),
    FlowKind.BIOGAZ: FlowKindInfo("Biogaz", "Biogas", _EN, (_E, _V)),
    FlowKind.CHALEUR: FlowKindInfo("Chaleur", "Heat", _EN, (_E, _P)),
    FlowKind.VAPEUR: FlowKindInfo("Vapeur", "Steam", _EN, (_E, _M, _P)),
    FlowKind.CHALEUR_FATALE: FlowKindInfo("Chaleur fatale", "Waste heat", _EN, (_E, _P)),
    FlowKind.FROID: FlowKindInfo("Froid", "Cooling", _EN, (_E, _P)),
    FlowKind.HYDROGENE: FlowKindInfo("Hydrogène", "Hydrogen", _EN, (_E, _M)),
    FlowKind.BIOMASSE: FlowKindInfo("Biomasse", "Biomass", _EN, (_E, _M, _V)),
    FlowKind.COMBUSTIBLE: FlowKindInfo("Combustible", "Fuel", _EN, (_E, _M, _V)),
    FlowKind.COMPOSANTS: FlowKindInfo("Composants", "Components", _EM, (_C, _M, _EUR)),
    FlowKind.BATTERIES: FlowKindInfo("Batteries", "Batteries", _EM, (_C, _M, _E, _EUR)),
    FlowKind.ASSEMBLAGE: FlowKindInfo("Assemblage", "Assembly", _EM, (_C, _EUR)),
    FlowKind.RECHARGE: FlowKindInfo("Recharge", "Charging", _EM, (_E, _P, _C)),
    FlowKind.RECYCLAGE: FlowKindInfo("Recyclage", "Recycling", _EM, (_M, _C)),
    FlowKind.RECHERCHE: FlowKindInfo("Recherche", "Research", _EM, (_C, _EUR)),
    FlowKind.FORMATION: FlowKindInfo("Formation", "Training", _EM, (_C, _EUR)),
    FlowKind.FINANCEMENT: FlowKindInfo("Financement", "Funding", _EM, (_EUR,)),
    FlowKind.MATERIAUX: FlowKindInfo("Matériaux", "Materials", None, (_M, _V, _C)),
    FlowKind.SOUS_PRODUIT: FlowKindInfo("Sous-produit", "By-product", None, (_M, _V, _E)),
    FlowKind.DECHETS: FlowKindInfo("Déchets", "Waste", None, (_M, _V)),
    FlowKind.SERVICE: FlowKindInfo("Service", "Service", None, (_C, _EUR, _E, _P)),
}

THEMES: dict[Theme, Term] = {
    Theme.EAU_INDUSTRIELLE: Term("Eau industrielle", "Industrial water"),
    Theme.ENERGIE: Term("Énergie", "Energy"),
    Theme.ELECTROMOBILITE: Term("Électromobilité", "Electromobility"),
    Theme.AUTRE: Term("Autre", "Other"),
}

ACTOR_KINDS: dict[ActorKind, Term] = {
    ActorKind.ENTREPRISE: Term("Entreprise", "Company"),
    ActorKind.COLLECTIVITE: Term("Collectivité", "Local authority"),
    ActorKind.EPCI: Term("EPCI", "Inter-municipality (EPCI)"),
    ActorKind.COMMUNE: Term("Commune", "Municipality"),
    ActorKind.ETABLISSEMENT_PUBLIC: Term("Établissement public", "Public body"),
    ActorKind.SYNDICAT: Term("Syndicat", "Joint authority"),
    ActorKind.GESTIONNAIRE_RESEAU: Term("Gestionnaire de réseau", "Network operator"),
    ActorKind.ASSOCIATION: Term("Association", "Association"),
    ActorKind.ZAE: Term("Zone d'activités", "Business park"),
    ActorKind.EQUIPEMENT: Term("Équipement", "Facility"),
    ActorKind.EXTERIEUR: Term("Extérieur du territoire", "Outside the territory"),
}

STATUSES: dict[Status, Term] = {
    Status.EXISTANT: Term("Existant", "Existing"),
    Status.POTENTIEL: Term("Potentiel", "Potential"),
    Status.PROJET: Term("Projet", "Planned"),
}

CONFIDENTIALITIES: dict[Confidentiality, Term] = {
    Confidentiality.PUBLIC: Term("Public", "Public"),
    Confidentiality.PARTENAIRES: Term("Partenaires", "Partners"),
    Confidentiality.CONFIDENTIEL: Term("Confidentiel", "Confidential"),
}

CONFIDENCES: dict[Confidence, Term] = {
    Confidence.HAUTE: Term("Haute", "High"),
    Confidence.MOYENNE: Term("Moyenne", "Medium"),
    Confidence.FAIBLE: Term("Faible", "Low"),
}

E = TypeVar("E", bound=StrEnum)

UNIT_FAMILIES: dict[UnitFamily, Term] = {
    UnitFamily.ENERGY: Term("Énergie", "Energy"),
    UnitFamily.VOLUME: Term("Volume", "Volume"),
    UnitFamily.MASS: Term("Masse", "Mass"),
    UnitFamily.POWER: Term("Puissance", "Power"),
    UnitFamily.COUNT: Term("Nombre", "Count"),
    UnitFamily.MONEY: Term("Montant", "Amount"),
}

_TERMS: dict[tuple[type[StrEnum], str], Term] = {
    (type(member), member.value): term
    for table in (
        FLOW_KINDS,
        THEMES,
        ACTOR_KINDS,
        STATUSES,
        CONFIDENTIALITIES,
        CONFIDENCES,
        UNIT_FAMILIES,
    )
    for member, term in table.items()
}


def fold(text: str) -> str:
    """Fold a label for matching: lower case, no accents, no surrounding space.

    Examples
    --------
    >>> fold("  Quantité ")
    'quantite'
    """
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def label(value: StrEnum, lang: str = "fr") -> str:
    """Return the French (default) or English label of a vocabulary value.

    Examples
    --------
    >>> label(FlowKind.CHALEUR_FATALE)
    'Chaleur fatale'
    >>> label(FlowKind.CHALEUR_FATALE, "en")
    'Waste heat'
    """
    term = _TERMS.get((type(value), value.value))
    if term is None:
        return str(value)
    return term.en if lang == "en" else term.fr


def closest(value: str, choices: list[str]) -> str | None:
    """Suggest the valid value closest to a misspelt one, or ``None`` when nothing is close.

    Examples
    --------
    >>> closest("electricité", ["electricite", "chaleur"])
    'electricite'
    """
    folded = {fold(c): c for c in choices}
    match = difflib.get_close_matches(fold(value), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def parse_enum(enum: type[E], raw: str) -> E:
    """Read a vocabulary value written as a person would (case, accents, spaces, dashes).

    Raises
    ------
    ValueError
        With a French message that names the closest valid value.

    Examples
    --------
    >>> parse_enum(FlowKind, "Chaleur fatale")
    <FlowKind.CHALEUR_FATALE: 'chaleur_fatale'>
    """
    if raw in enum._value2member_map_:  # the slug itself, as files written by toiles hold
        return enum(raw)
    key = fold(raw).replace(" ", "_").replace("-", "_").replace("'", "_")
    for member in enum:
        if key == member.value:
            return member
    # French labels are accepted too ("Gestionnaire de réseau").
    for member in enum:
        if fold(label(member)) == fold(raw):
            return member
    valid = [m.value for m in enum]
    hint = closest(raw, valid)
    msg = "valeur inconnue"
    msg += (
        f" (vouliez-vous dire « {hint} » ?)"
        if hint
        else f" (valeurs possibles : {', '.join(valid)})"
    )
    raise ValueError(msg)
