"""Words and numbers the reader sees, for the whole package: one place, one way to write them.

Every user-facing word of the visuals (page, posters, Sankey, map), the labels of the
vocabularies and the French ways of writing numbers, quantities, shares and dates live here,
so that the CLI, the analyses' tables and the visuals write ``12 345,6 MWh`` the same way.
French is the default; ``lang="en"`` gives English.

The public API is small: :func:`format_number`, :func:`format_quantity`,
:func:`format_percent`, :func:`format_date`, :func:`plural`, :func:`ui_text` (and
:func:`ui_texts`), :func:`field_labels`, :func:`vocab_label` (and :func:`vocab_labels`).
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING, Literal

from toiles.models.vocab import (
    ACTOR_KINDS,
    CONFIDENCES,
    CONFIDENTIALITIES,
    FLOW_KINDS,
    STATUSES,
    THEMES,
    UNIT_FAMILIES,
    Term,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

Lang = Literal["fr", "en"]

#: Narrow no-break space: the French thousands separator (and before « % » or a unit).
NNBSP = "\u202f"

#: Node kind given to the groups of an aggregated view (see :mod:`toiles.viz.aggregate`).
GROUP_KIND = "groupe"

_UI: dict[str, tuple[str, str]] = {
    "actors": ("Acteurs", "Actors"),
    "flows": ("Flux", "Flows"),
    "actor_kinds": ("Types d'acteurs", "Actor kinds"),
    "shapes": ("Formes", "Shapes"),
    "flow_kinds": ("Types de flux", "Flow kinds"),
    "statuses": ("Statut des flux", "Flow status"),
    "themes": ("Thèmes", "Themes"),
    "width": (
        "Épaisseur : quantité (échelle logarithmique, par famille d'unités)",
        "Width: quantity (log scale, within a unit family)",
    ),
    "size_employees": ("Taille : effectif salarié", "Size: employees"),
    "size_centrality": ("Taille : centralité (PageRank)", "Size: centrality (PageRank)"),
    "size_throughflow": (
        "Taille : volume échangé (famille d'unités principale)",
        "Size: throughflow (main unit family)",
    ),
    "legend": ("Légende", "Legend"),
    "search": ("Rechercher un acteur", "Find an actor"),
    "search_placeholder": ("Nom de l'acteur…", "Actor name…"),
    "no_match": ("Aucun acteur trouvé", "No actor found"),
    "focus": ("Voisinage", "Neighbourhood"),
    "focus_steps": ("Pas", "Steps"),
    "focus_apply": ("Centrer sur l'acteur choisi", "Focus on the selected actor"),
    "show_all": ("Tout afficher", "Show everything"),
    "filters": ("Filtres", "Filters"),
    "all": ("Tous", "All"),
    "none": ("Aucun", "None"),
    "any_theme": ("Tous thèmes", "Any theme"),
    "highlight": ("Mise en évidence", "Highlight"),
    "highlight_show": ("Afficher la mise en évidence", "Show the highlight"),
    "details": ("Détails", "Details"),
    "click_hint": (
        "Cliquer sur un acteur ou un flux pour voir le détail.",
        "Click an actor or a flow to see its details.",
    ),
    "version": ("Version", "Version"),
    "updated": ("Mise à jour", "Updated"),
    "theme": ("Thème", "Theme"),
    "sources": ("Sources", "Sources"),
    "territory": ("Territoire", "Territory"),
    "illustrative": (
        "Données illustratives : acteurs et chiffres fictifs, à ne pas citer",
        "Illustrative data: fictitious actors and figures, not to be quoted",
    ),
    "public_version": (
        "Version publique : acteurs et flux non publics retirés",
        "Public version: non-public actors and flows left out",
    ),
    "concept": (
        "Toiles© : démarche de l'AGUR (agence d'urbanisme Flandre-Dunkerque)",
        "Toiles©: an approach of AGUR (Flandre-Dunkerque urban-planning agency)",
    ),
    "made_with": ("réalisé avec toiles", "made with toiles"),
    "drawn_on": ("édité le", "drawn on"),
    "large_note": (
        "Grande toile : disposition calculée à l'avance, physique désactivée.",
        "Large toile: layout computed beforehand, physics off.",
    ),
    "grouped_by": ("Vue agrégée par", "Aggregated by"),
    "group_members": ("Acteurs du groupe", "Actors in the group"),
    "groups": ("Groupes", "Groups"),
    "group_one": ("groupe", "group"),
    "group_many": ("groupes", "groups"),
    "internal_one": ("flux interne", "internal flow"),
    "internal_many": ("flux internes", "internal flows"),
    "member_one": ("acteur", "actor"),
    "member_many": ("acteurs", "actors"),
    "by_epci": ("EPCI", "EPCI"),
    "by_commune": ("commune", "municipality"),
    "by_zae": ("zone d'activités", "business park"),
    "by_kind": ("type d'acteur", "actor kind"),
    "by_naf": ("secteur d'activité (NAF)", "sector (NAF)"),
    "no_epci": ("EPCI non renseigné", "EPCI not given"),
    "no_commune": ("Commune non renseignée", "Municipality not given"),
    "no_zae": ("Hors zone d'activités", "Outside business parks"),
    "no_naf": ("Sans code NAF", "No NAF code"),
    "flow_count": ("Nombre de flux", "Number of flows"),
    "no_quantity": ("quantité inconnue", "unknown quantity"),
    "visible": ("affichés", "shown"),
    "sankey_title": ("Diagramme de Sankey des flux", "Sankey diagram of the flows"),
    "sankey_sources": ("Émetteurs", "Senders"),
    "sankey_kinds": ("Types de flux", "Flow kinds"),
    "sankey_targets": ("Destinataires", "Receivers"),
    "sankey_others": ("Autres", "Others"),
    "sankey_missing": (
        "flux sans quantité non représentés",
        "flows without quantity not shown",
    ),
    "sankey_dashed": (
        "Bandes hachurées : flux potentiels ou en projet",
        "Hatched bands: potential or planned flows",
    ),
    "sankey_empty": (
        "Aucun flux quantifié dans cette toile.",
        "No flow with a quantity in this toile.",
    ),
    "sankey_once": (
        (
            "Total, chaque unité comptée une fois : {supply} {unit} entrés dans le territoire"
            " ou produits sur place = {consumed} {unit} livrés aux destinataires finaux"
            " (consommés, transformés ou perdus) + {left} {unit} sortis du territoire."
        ),
        (
            "Total, each unit counted once: {supply} {unit} entered the territory or produced"
            " in it = {consumed} {unit} delivered to final receivers (used, converted or lost)"
            " + {left} {unit} leaving the territory."
        ),
    ),
    "sankey_origin": (
        "Dont {entered} {unit} entrés et {produced} {unit} produits sur place.",
        "Of which {entered} {unit} entered and {produced} {unit} produced inside.",
    ),
    "sankey_origin_undescribed": (
        (
            "Dont {entered} {unit} entrés, {produced} {unit} produits sur place et"
            " {undescribed} {unit} fournis par les réseaux au-delà de leurs apports décrits."
        ),
        (
            "Of which {entered} {unit} entered, {produced} {unit} produced inside and"
            " {undescribed} {unit} supplied by networks beyond their described inputs."
        ),
    ),
    "sankey_hops": (
        (
            "Les bandes comptent chaque étape (par exemple réseau national, transport,"
            " distribution, consommateur) : leur somme, {hops} {unit}, comprend {transit} {unit}"
            " de transit, reçus puis transmis par des acteurs du territoire."
        ),
        (
            "The bands count every step (for instance national grid, transmission,"
            " distribution, user): their sum, {hops} {unit}, includes {transit} {unit} in"
            " transit, received then passed on by actors of the territory."
        ),
    ),
    "sankey_hops_only": (
        "Somme des flux, y compris transit (chaque étape comptée) : {hops} {unit}.",
        "Sum of the flows, transit included (every step counted): {hops} {unit}.",
    ),
    "sankey_planned": (
        "Flux potentiels ou en projet, hors total : {planned} {unit}.",
        "Potential or planned flows, not in the total: {planned} {unit}.",
    ),
    "unit_family": ("Famille d'unités", "Unit family"),
    "total": ("Total", "Total"),
    "unknown": ("non renseigné", "not given"),
    "size_share": (
        (
            "Taille : volume échangé, en part du plus gros acteur de sa famille d'unités "
            "(MWh, m³, t, nombre…) : les pôles de chaque famille se lisent comme des pôles"
        ),
        (
            "Size: throughflow as a share of the largest actor of its unit family "
            "(MWh, m³, t, counts…): the hubs of every family read as hubs"
        ),
    ),
    "delivered": ("livrés aux destinataires finaux", "delivered to final receivers"),
    "loops_word": ("Boucles", "Loops"),
    "leads_word": ("pistes de synergie", "synergy leads"),
    "headline": ("Chiffres clés", "Key figures"),
    "band_outside": ("Extérieur du territoire", "Outside the territory"),
    "band_networks": ("Réseaux et équipements", "Networks and facilities"),
    "band_public": ("Acteurs publics et associations", "Public bodies and associations"),
    "section_other": ("Autres acteurs", "Other actors"),
    "naf_A": ("Agriculture", "Agriculture"),
    "naf_B": ("Industries extractives", "Mining"),
    "naf_C": ("Industrie manufacturière", "Manufacturing"),
    "naf_D": ("Production d'énergie", "Energy supply"),
    "naf_E": ("Eau, assainissement, déchets", "Water, sewerage, waste"),
    "naf_F": ("Construction", "Construction"),
    "naf_G": ("Commerce", "Trade"),
    "naf_H": ("Transports et entreposage", "Transport and storage"),
    "naf_I": ("Hébergement et restauration", "Accommodation and food"),
    "naf_J": ("Information et communication", "Information and communication"),
    "naf_K": ("Finance et assurance", "Finance and insurance"),
    "naf_L": ("Immobilier", "Real estate"),
    "naf_M": ("Activités scientifiques et techniques", "Professional and technical"),
    "naf_N": ("Services administratifs et de soutien", "Support services"),
    "naf_O": ("Administration publique", "Public administration"),
    "naf_P": ("Enseignement", "Education"),
    "naf_Q": ("Santé et action sociale", "Health and social work"),
    "naf_R": ("Arts, spectacles et loisirs", "Arts and recreation"),
    "naf_S": ("Autres services", "Other services"),
    "naf_T": ("Ménages employeurs", "Households as employers"),
    "naf_U": ("Organisations extraterritoriales", "Extraterritorial bodies"),
    "unnamed": ("acteurs non nommés faute de place", "actors left unnamed for lack of room"),
    "unnamed_groups": ("groupes non nommés faute de place", "groups left unnamed for lack of room"),
    "all_named": ("Tous les acteurs sont nommés", "Every actor is named"),
    "rearrange": ("Réorganiser", "Rearrange"),
    "rearrange_hint": (
        "Laisse les acteurs se répartir quelques secondes, puis fige la vue",
        "Lets the actors spread for a few seconds, then freezes the view",
    ),
    "flows_out": ("Flux sortants", "Outgoing flows"),
    "flows_in": ("Flux entrants", "Incoming flows"),
    "no_flow": ("aucun", "none"),
    "isolate": ("Isoler", "Isolate"),
    "impact_ramp": ("Part de l'approvisionnement perdue", "Share of supply lost"),
    "proposals": (
        "Propositions (pointillés, quantité valorisable)",
        "Proposals (dashed, quantity)",
    ),
    "rank_ring": ("Anneau : rang de l'acteur clé", "Ring: rank of the key actor"),
    "zae_area": ("Zone d'activités (ZAE)", "Business park (ZAE)"),
    "open_full": ("Ouvrir la toile complète", "Open the full toile"),
}

#: Labels of actor and flow fields in tooltips and detail panels.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "id": ("Identifiant", "Identifier"),
    "name": ("Nom", "Name"),
    "kind": ("Type", "Kind"),
    "siret": ("SIRET", "SIRET"),
    "siren": ("SIREN", "SIREN"),
    "naf": ("Code NAF", "NAF code"),
    "employees": ("Effectif", "Employees"),
    "commune_insee": ("Commune", "Municipality"),
    "epci": ("EPCI", "EPCI"),
    "zae": ("Zone d'activités", "Business park"),
    "tags": ("Étiquettes", "Tags"),
    "description": ("Description", "Description"),
    "confidentiality": ("Confidentialité", "Confidentiality"),
    "provenance": ("Provenance", "Provenance"),
    "source": ("De", "From"),
    "target": ("Vers", "To"),
    "quantity": ("Quantité", "Quantity"),
    "year": ("Année", "Year"),
    "status": ("Statut", "Status"),
    "confidence": ("Fiabilité", "Confidence"),
    "notes": ("Notes", "Notes"),
    "temperature": ("Température (°C)", "Temperature (°C)"),
    "members": ("Acteurs", "Actors"),
    "count": ("Nombre de flux", "Number of flows"),
    "lat": ("Latitude", "Latitude"),
    "lon": ("Longitude", "Longitude"),
}

_GROUP_TERM = Term("Groupe d'acteurs", "Group of actors")


def ui_text(key: str, lang: Lang = "fr") -> str:
    """Return a word of the visuals' interface in French (default) or English.

    Examples
    --------
    >>> ui_text("legend"), ui_text("legend", "en")
    ('Légende', 'Legend')
    """
    fr, en = _UI[key]
    return en if lang == "en" else fr


def ui_texts(lang: Lang = "fr") -> dict[str, str]:
    """Return every interface word in one language (for the pages' scripts)."""
    return {key: ui_text(key, lang) for key in _UI}


def field_labels(lang: Lang = "fr") -> dict[str, str]:
    """Return the labels of actor and flow fields in one language."""
    return {key: (en if lang == "en" else fr) for key, (fr, en) in FIELD_LABELS.items()}


_VOCABS: dict[str, Mapping[str, Term]] = {
    "actor_kind": {k.value: t for k, t in ACTOR_KINDS.items()} | {GROUP_KIND: _GROUP_TERM},
    "flow_kind": {k.value: t for k, t in FLOW_KINDS.items()},
    "status": {k.value: t for k, t in STATUSES.items()},
    "confidentiality": {k.value: t for k, t in CONFIDENTIALITIES.items()},
    "confidence": {k.value: t for k, t in CONFIDENCES.items()},
    "theme": {k.value: t for k, t in THEMES.items()},
    "family": {k.value: t for k, t in UNIT_FAMILIES.items()},
}


def vocab_label(vocabulary: str, value: str | None, lang: Lang = "fr") -> str:
    """Return the label of a vocabulary value given as plain text (as on graph attributes).

    ``vocabulary`` is one of ``actor_kind``, ``flow_kind``, ``status``, ``confidentiality``,
    ``confidence``, ``theme``, ``family``; an unknown value comes back as it is.

    Examples
    --------
    >>> vocab_label("flow_kind", "chaleur_fatale"), vocab_label("status", "projet", "en")
    ('Chaleur fatale', 'Planned')
    """
    if value is None:
        return ""
    term = _VOCABS[vocabulary].get(str(value))
    if term is None:
        return str(value)
    return term.en if lang == "en" else term.fr


def vocab_labels(lang: Lang = "fr") -> dict[str, dict[str, str]]:
    """Return every vocabulary's labels in one language (for the pages' scripts)."""
    return {
        name: {value: (t.en if lang == "en" else t.fr) for value, t in table.items()}
        for name, table in _VOCABS.items()
    }


def format_date(iso: str, lang: Lang = "fr") -> str:
    """Write an ISO date the reader's way (``31/01/2025`` in French).

    Examples
    --------
    >>> format_date("2025-01-31"), format_date("2025-01-31", "en")
    ('31/01/2025', '2025-01-31')
    """
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()


def format_number(value: float, lang: Lang = "fr", *, digits: int | None = None) -> str:
    r"""Write a number for reading: French separators, 4 significant digits or fixed decimals.

    With ``digits`` left out, at most 4 significant digits are kept (``1234.5`` reads
    ``1 234``, ``0.0123`` reads ``0,0123``); with ``digits``, exactly that many decimals.
    French text uses a narrow no-break space between thousands and a decimal comma.

    Examples
    --------
    >>> format_number(1234.5), format_number(0.0123), format_number(20000.0, "en")
    ('1\u202f234', '0,0123', '20,000')
    >>> format_number(25200.5, digits=1), format_number(-3.0)
    ('25\u202f200,5', '-3')
    """
    if not math.isfinite(value):
        return str(value)
    if digits is None:
        if value == 0:
            return "0"
        places = max(0, 3 - math.floor(math.log10(abs(value))))
        text = f"{round(value, places):,.{places}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{digits}f}"
    if text in {"-0", "-0.0"} or (text.startswith("-") and float(text.replace(",", "")) == 0):
        text = text[1:]
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def format_quantity(
    value: float | None, unit: str | None, lang: Lang = "fr", *, digits: int | None = None
) -> str:
    r"""Write a quantity with its unit (``8 397 MWh``); an unknown quantity says so.

    Examples
    --------
    >>> format_quantity(8397.2, "MWh"), format_quantity(None, "m3")
    ('8\u202f397 MWh', 'quantité inconnue')
    """
    if value is None or not math.isfinite(value):
        return ui_text("no_quantity", lang)
    number = format_number(value, lang, digits=digits)
    return f"{number} {unit}" if unit else number


def format_percent(share: float, lang: Lang = "fr", *, digits: int = 1) -> str:
    r"""Write a share (0.114) as a percentage (``11,4 %`` with a narrow no-break space).

    Examples
    --------
    >>> format_percent(0.11409), format_percent(1.0, "en", digits=0)
    ('11,4\u202f%', '100%')
    """
    number = format_number(100.0 * share, lang, digits=digits)
    return f"{number}{NNBSP}%" if lang == "fr" else f"{number}%"


def plural(count: int, singular: str, plural_form: str, lang: Lang = "fr") -> str:
    r"""Write a count with the right form of its noun (French: 0 and 1 are singular).

    Examples
    --------
    >>> plural(1, "acteur", "acteurs"), plural(1200, "flux", "flux")
    ('1 acteur', '1\u202f200 flux')
    >>> plural(0, "loop", "loops", "en")
    '0 loops'
    """
    one = count <= 1 if lang == "fr" else count == 1
    return f"{format_number(count, lang, digits=0)} {singular if one else plural_form}"
