"""The demonstration: load the reference toiles, analyse them, draw them, summarise in French."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from toiles.loaders import load_toile
from toiles.models.vocab import label
from toiles.reference import reference_dirs

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from toiles.graph_db.base import ToileStore
    from toiles.models.toile import Toile


def load_reference_toiles(store: ToileStore) -> list[Toile]:
    """Validate and store every bundled reference toile version; return them."""
    toiles = [load_toile(folder) for folder in reference_dirs()]
    for toile in toiles:
        store.save_toile(toile)
    return toiles


def run_demo(store: ToileStore, out: Path, *, console: Console) -> None:
    """Run the whole demonstration into ``out`` and print what it did, in French."""
    out.mkdir(parents=True, exist_ok=True)
    with console.status("Chargement des toiles de référence…"):
        toiles = load_reference_toiles(store)
    table = Table(
        "Toile", "Version", "Thème", "Acteurs", "Flux", "Données", title="Toiles chargées"
    )
    for toile in toiles:
        nature = "illustratives" if toile.illustrative else "publiées"
        table.add_row(
            toile.id,
            toile.version,
            label(toile.theme),
            str(len(toile.actors)),
            str(len(toile.flows)),
            nature,
        )
    console.print(table)
    console.print(
        "[italic]Les toiles de l'Artois sont illustratives : acteurs privés fictifs, chiffres "
        "inventés pour la démonstration (voir docs/reference-toiles.md).[/]"
    )
    console.print(f"Fichiers produits dans [bold]{out}[/].")
