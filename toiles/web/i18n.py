"""The words of the web application, in French (default) and English.

The language is the visitor's choice, kept in a cookie (``toiles_lang``); French when unset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable

    from fastapi import Request

Lang = Literal["fr", "en"]
LANG_COOKIE = "toiles_lang"

#: Every text of the pages: key -> (French, English).
TEXTS: dict[str, tuple[str, str]] = {
    "app_name": ("Toiles du territoire", "Territorial toiles"),
    "skip": ("Aller au contenu", "Skip to content"),
    "nav_home": ("Toiles", "Toiles"),
    "nav_history": ("Historique", "History"),
    "nav_import": ("Importer", "Import"),
    "nav_keys": ("Clés d'API", "API keys"),
    "nav_api": ("API", "API"),
    "sign_in": ("Se connecter", "Sign in"),
    "sign_out": ("Se déconnecter", "Sign out"),
    "signed_in_as": ("Connecté : ", "Signed in: "),
    "role": ("rôle", "role"),
    "role_anonyme": ("anonyme", "anonymous"),
    "role_partenaire": ("partenaire", "partner"),
    "role_editeur": ("éditeur", "editor"),
    "role_admin": ("administrateur", "administrator"),
    "switch_lang": ("English", "Français"),
    "switch_lang_label": ("Switch to English", "Passer en français"),
    "public_version": ("Version publique", "Public version"),
    "public_note": (
        "Vous voyez les données publiques. Connectez-vous avec une clé pour voir davantage.",
        "You see the public data. Sign in with a key to see more.",
    ),
    "home_title": ("Les toiles du territoire", "The toiles of the territory"),
    "home_intro": (
        (
            "Les acteurs d'un territoire et les flux qui les relient (eau, énergie, matières, "
            "services), une toile par thème."
        ),
        (
            "The actors of a territory and the flows between them (water, energy, materials, "
            "services), one toile per theme."
        ),
    ),
    "search": ("Rechercher", "Search"),
    "search_label": ("Chercher une toile ou un acteur", "Search a toile or an actor"),
    "search_placeholder": ("nom, thème, acteur…", "name, theme, actor…"),
    "search_results": ("Résultats pour", "Results for"),
    "no_result": ("Aucun résultat.", "No result."),
    "toiles_found": ("Toiles", "Toiles"),
    "actors_found": ("Acteurs", "Actors"),
    "no_toile": ("Aucune toile à afficher.", "No toile to show."),
    "theme": ("Thème", "Theme"),
    "version": ("Version", "Version"),
    "versions": ("Versions", "Versions"),
    "actors": ("acteurs", "actors"),
    "flows": ("flux", "flows"),
    "data_date": ("Données du", "Data of"),
    "illustrative": ("Illustrative", "Illustrative"),
    "illustrative_note": (
        "Toile illustrative : entreprises fictives, chiffres inventés.",
        "Illustrative toile: fictitious companies, invented figures.",
    ),
    "public": ("Publique", "Public"),
    "open": ("Ouvrir", "Open"),
    "picture": ("La toile", "The toile"),
    "picture_title": ("Toile interactive", "Interactive toile"),
    "options": ("Affichage", "Display"),
    "size_by": ("Taille des acteurs", "Size of actors"),
    "size_throughflow": ("flux traversant", "throughflow"),
    "size_centrality": ("centralité", "centrality"),
    "size_employees": ("effectifs", "employees"),
    "group_by": ("Regrouper par", "Group by"),
    "group_none": ("aucun regroupement", "no grouping"),
    "apply": ("Appliquer", "Apply"),
    "analyses": ("Analyses", "Analyses"),
    "analysis_intro": (
        (
            "Choisissez une analyse : son explication, son tableau et sa mise en évidence sur la "
            "toile."
        ),
        "Pick an analysis: its explanation, its table and its highlight on the toile.",
    ),
    "a_centrality": ("Acteurs clés", "Key actors"),
    "a_loops": ("Boucles", "Loops"),
    "a_cycling": ("Cyclage", "Cycling"),
    "a_candidates": ("Pistes", "Leads"),
    "a_impact": ("Impact d'une fermeture", "Closure impact"),
    "a_communities": ("Communautés", "Communities"),
    "a_gaps": ("Manques", "Gaps"),
    "a_diff": ("Évolution", "Changes"),
    "impact_actors": ("Acteurs fermés", "Closed actors"),
    "impact_threshold": ("Seuil de défaillance (part perdue, 0 à 1)", "Failure threshold (0 to 1)"),
    "impact_run": ("Simuler", "Simulate"),
    "diff_against": ("Comparer à la version", "Compare with version"),
    "diff_none": ("Une seule version : rien à comparer.", "A single version: nothing to compare."),
    "rows_more": ("lignes de plus non affichées", "more rows not shown"),
    "downloads": ("Téléchargements", "Downloads"),
    "poster": ("Affiche", "Poster"),
    "poster_public": ("publique", "public"),
    "poster_full": ("complète", "full"),
    "sankey": ("Diagramme de Sankey", "Sankey diagram"),
    "map": ("Carte (GeoJSON)", "Map (GeoJSON)"),
    "exports": ("Exports", "Exports"),
    "embed": ("Intégrer dans un site", "Embed in a website"),
    "embed_label": ("Code à copier", "Code to copy"),
    "copy": ("Copier", "Copy"),
    "copied": ("Copié", "Copied"),
    "edit": ("Modifier", "Edit"),
    "delete": ("Supprimer", "Delete"),
    "add_actor": ("Ajouter un acteur", "Add an actor"),
    "add_flow": ("Ajouter un flux", "Add a flow"),
    "import_version": ("Importer une version", "Import a version"),
    "actor": ("Acteur", "Actor"),
    "flow": ("Flux", "Flow"),
    "identity": ("Identité", "Identity"),
    "kind": ("Type", "Kind"),
    "name": ("Nom", "Name"),
    "siret": ("SIRET", "SIRET"),
    "naf": ("Code NAF", "NAF code"),
    "commune": ("Commune (INSEE)", "Municipality (INSEE)"),
    "epci": ("EPCI", "EPCI"),
    "zae": ("ZAE", "Business park"),
    "employees": ("Effectifs", "Employees"),
    "lat": ("Latitude", "Latitude"),
    "lon": ("Longitude", "Longitude"),
    "description": ("Description", "Description"),
    "confidentiality": ("Confidentialité", "Confidentiality"),
    "provenance": ("Provenance", "Provenance"),
    "confidence": ("Confiance", "Confidence"),
    "status": ("Statut", "Status"),
    "quantity": ("Quantité", "Quantity"),
    "unit": ("Unité", "Unit"),
    "year": ("Année", "Year"),
    "notes": ("Notes", "Notes"),
    "source": ("Source", "Source"),
    "target": ("Destination", "Target"),
    "partner": ("Partenaire", "Partner"),
    "flows_in": ("Flux entrants", "Incoming flows"),
    "flows_out": ("Flux sortants", "Outgoing flows"),
    "no_flow": ("Aucun flux.", "No flow."),
    "what_analyses_say": ("Ce qu'en disent les analyses", "What the analyses say"),
    "rank": ("Rang parmi les acteurs clés", "Rank among key actors"),
    "not_ranked": ("hors des 20 premiers", "not in the first 20"),
    "in_loops": ("Boucles où il figure", "Loops it is in"),
    "leads": ("Pistes qui le concernent", "Leads that concern it"),
    "closure": ("Si cet acteur fermait", "If this actor closed"),
    "none": ("aucune", "none"),
    "back_to_toile": ("Retour à la toile", "Back to the toile"),
    "save": ("Enregistrer", "Save"),
    "cancel": ("Annuler", "Cancel"),
    "new_version": ("Enregistrer comme nouvelle version (facultatif)", "Save as a new version"),
    "new_version_help": (
        "Laissez vide pour modifier cette version ; un nom (ex. T1) crée une nouvelle version.",
        "Leave empty to change this version; a label (e.g. T1) creates a new version.",
    ),
    "cascade": ("Supprimer aussi ses flux", "Delete its flows too"),
    "confirm_delete": ("Confirmer la suppression", "Confirm deletion"),
    "id": ("Identifiant", "Id"),
    "tags": ("Étiquettes (séparées par des virgules)", "Tags (comma-separated)"),
    "upload_warnings": (
        "avertissement(s), qui n'empêchent pas l'import",
        "warning(s), which do not stop the import",
    ),
    "errors_found": (
        "Problèmes trouvés : rien n'a été enregistré.",
        "Problems found: nothing stored.",
    ),
    "conflict": ("Conflit de modification", "Edit conflict"),
    "saved": ("Modification enregistrée.", "Change saved."),
    "upload_title": ("Importer une toile", "Import a toile"),
    "upload_help": (
        (
            "Un zip du dossier de la toile (toile.yaml, actors.csv, flows.csv) ou les fichiers "
            "eux-mêmes (CSV ou Excel), ou un seul classeur Excel avec les feuilles « acteurs » et "
            "« flux ». Tout est vérifié avant d'enregistrer : en cas d'erreur, "
            "rien n'est enregistré."
        ),
        (
            "A zip of the toile's folder (toile.yaml, actors.csv, flows.csv) or the files "
            "themselves (CSV or Excel), or one Excel workbook with « acteurs » and « flux » "
            "sheets. Everything is checked first: on error nothing is stored."
        ),
    ),
    "upload_toile_id": ("Identifiant de la toile", "Toile id"),
    "upload_version": ("Version (facultatif)", "Version (optional)"),
    "upload_files": ("Fichiers", "Files"),
    "upload_send": ("Vérifier et importer", "Check and import"),
    "upload_done": ("Version importée", "Version imported"),
    "history_title": ("Historique des modifications", "History of changes"),
    "history_empty": ("Aucune modification enregistrée.", "No change recorded."),
    "revision": ("Révision", "Revision"),
    "when": ("Quand", "When"),
    "who": ("Qui", "Who"),
    "what": ("Quoi", "What"),
    "keys_title": ("Clés d'API", "API keys"),
    "key_name": ("Nom de la clé", "Key name"),
    "key_role": ("Rôle", "Role"),
    "key_create": ("Créer la clé", "Create the key"),
    "key_created": (
        "Clé créée. Copiez-la maintenant : elle ne sera plus jamais affichée.",
        "Key created. Copy it now: it will never be shown again.",
    ),
    "key_revoke": ("Révoquer", "Revoke"),
    "key_revoked": ("révoquée", "revoked"),
    "key_active": ("active", "active"),
    "key_state": ("État", "State"),
    "created": ("Créée le", "Created"),
    "signin_title": ("Connexion", "Sign in"),
    "signin_help": (
        (
            "Collez votre clé d'API une fois : le serveur garde une session, la clé ne passe "
            "jamais dans une adresse."
        ),
        "Paste your API key once: the server keeps a session; the key never goes in a URL.",
    ),
    "api_key": ("Clé d'API", "API key"),
    "signin_bad": ("Clé inconnue ou révoquée.", "Unknown or revoked key."),
    "error": ("Erreur", "Error"),
    "actions": ("Actions", "Actions"),
    "explanation": ("Explication", "Explanation"),
    "footer": (
        "Toiles© : concept de l'AGUR (Dunkerque). Moteur libre toiles.",
        "Toiles©: a concept by AGUR (Dunkerque). Open-source toiles engine.",
    ),
}


def lang_of(request: Request) -> Lang:
    """The visitor's language: English only when chosen, French otherwise."""
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "fr"


def translator(lang: Lang) -> Callable[[str], str]:
    """A function giving the text of a key in ``lang`` (a missing key is an error)."""
    index = 1 if lang == "en" else 0

    def t(key: str) -> str:
        return TEXTS[key][index]

    return t
