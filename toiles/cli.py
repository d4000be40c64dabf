"""The ``toiles`` command line: thin wrappers that parse, call the library and print (in French)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from toiles.errors import StoreError, ToilesError, ValidationError
from toiles.graph_db import is_neo4j_url, open_store, redacted_url
from toiles.loaders import load_toile, validate_toile
from toiles.models.history import load_record
from toiles.models.vocab import UnitFamily, label
from toiles.settings import get_settings
from toiles.text import format_number

if TYPE_CHECKING:
    from toiles.graph_db.base import Store, ToileStore
    from toiles.models.history import EditRecord
    from toiles.models.toile import Toile

app = typer.Typer(
    name="toiles",
    help="Modéliser, analyser et dessiner les toiles d'un territoire (acteurs et flux).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

_state: dict[str, bool] = {"debug": False}

StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="Base : sqlite:///chemin.db (défaut) ou neo4j://hôte:7687."),
]
VersionOption = Annotated[
    str | None, typer.Option("--version", "-v", help="Version de la toile (défaut : la dernière).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Sortie JSON complète.")]


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear error sentence and exit non-zero."""
    err_console.print(f"[bold red]Erreur :[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def print_json(data: object) -> None:
    """Print JSON to standard output, untouched by rich's markup."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Afficher la trace complète des erreurs.")
    ] = False,
) -> None:
    _state["debug"] = debug


def _store(url: str | None) -> Store:
    return open_store(url)


def resolve_toile(ref: str, store_url: str | None, version: str | None = None) -> Toile:
    """Return a toile named by a folder or JSON path, or by the id of a stored toile."""
    path = Path(ref)
    if path.exists():
        return load_toile(path, overrides={"version": version} if version else None)
    return _store(store_url).get_toile(ref, version)


def _print_problems(problems: list[Any]) -> None:
    for problem in problems:
        style = "red" if problem.severity == "error" else "yellow"
        console.print(f"[{style}]{escape(str(problem))}[/]", highlight=False, soft_wrap=True)


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="Dossier de toile ou fichier JSON.")],
) -> None:
    """Vérifier une toile et lister tous ses problèmes (code de sortie 1 s'il y a une erreur)."""
    report = validate_toile(path)
    _print_problems(report.problems)
    n_err, n_warn = len(report.errors), len(report.warnings)
    if n_err:
        console.print(
            f"[bold red]{n_err} erreur(s)[/], {n_warn} avertissement(s) : toile non valide."
        )
        raise typer.Exit(1)
    toile = report.toile
    assert toile is not None  # noqa: S101  # ok report carries the toile
    console.print(
        f"[bold green]Toile valide[/] : {toile.id} {toile.version}, {len(toile.actors)} acteurs, "
        f"{len(toile.flows)} flux ({n_warn} avertissement(s))."
    )


@app.command()
def load(
    path: Annotated[Path, typer.Argument(help="Dossier de toile ou fichier JSON.")],
    store: StoreOption = None,
    version: Annotated[
        str | None,
        typer.Option(
            "--version", "-v", help="Version à enregistrer (remplace celle de toile.yaml)."
        ),
    ] = None,
    expect_revision: Annotated[
        int | None,
        typer.Option(
            "--expect-revision",
            min=0,
            help="Révision attendue de la version en base (0 : elle ne doit pas exister) ; "
            "refus si quelqu'un l'a modifiée entre-temps.",
        ),
    ] = None,
) -> None:
    """Valider puis enregistrer une toile dans la base (tout ou rien)."""
    with console.status("Validation…"):
        report = validate_toile(path, overrides={"version": version} if version else None)
    if not report.ok or report.toile is None:
        _print_problems(report.problems)
        fail(f"{len(report.errors)} erreur(s) : rien n'a été enregistré.")
    toile = report.toile
    target = _store(store)
    record = load_record(
        toile.id, toile.version, who=_who(), actors=len(toile.actors), flows=len(toile.flows)
    )
    try:
        report_cleaned(target)
        with console.status(
            f"Enregistrement de {len(toile.actors)} acteurs et {len(toile.flows)} flux…"
        ):
            revision = target.save_toile(toile, expected_revision=expect_revision, edit=record)
    finally:
        target.close()
    url = redacted_url(store or get_settings().store)
    console.print(
        f"[bold green]Chargée[/] : {toile.id} {toile.version} (révision {revision}) — "
        f"{len(toile.actors)} acteurs, {len(toile.flows)} flux, "
        f"{len(report.warnings)} avertissement(s) → {escape(url)}"
    )


def _who() -> str:
    """The author of an edit made from this command line: the system user's name."""
    import getpass  # noqa: PLC0415

    try:
        return f"{getpass.getuser()} (ligne de commande)"
    except (KeyError, OSError):
        return "ligne de commande"


def _cli_record(toile: Toile) -> EditRecord:
    """The history's record of a version saved from this command line (not « inconnu »)."""
    return load_record(
        toile.id, toile.version, who=_who(), actors=len(toile.actors), flows=len(toile.flows)
    )


def report_cleaned(target: ToileStore) -> None:
    """Delete what interrupted loads left behind, and say so."""
    for load_ in target.clean_interrupted_loads():
        started = (
            "" if load_.started_at is None else f", commencé le {load_.started_at:%d/%m/%Y %H:%M}"
        )
        console.print(
            f"[yellow]Nettoyé[/] : chargement interrompu de {escape(load_.toile_id)} "
            f"{escape(load_.version)}{started}, jamais visible, supprimé."
        )


@app.command("list")
def list_(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Lister les toiles enregistrées, une ligne par version."""
    summaries = _store(store).list_toiles()
    if as_json:
        print_json(
            [
                {
                    "id": s.id,
                    "name": s.name,
                    "theme": s.theme.value,
                    "version": s.version,
                    "actors": s.actors,
                    "flows": s.flows,
                    "illustrative": s.illustrative,
                }
                for s in summaries
            ]
        )
        return
    if not summaries:
        console.print(
            "Aucune toile enregistrée. "
            "Essayez [bold]toiles demo[/] ou [bold]toiles load DOSSIER[/]."
        )
        return
    table = Table(
        "Toile", "Version", "Thème", "Nom", "Acteurs", "Flux", title="Toiles enregistrées"
    )
    for s in summaries:
        table.add_row(
            escape(s.id),
            escape(s.version),
            label(s.theme),
            escape(s.name),
            str(s.actors),
            str(s.flows),
        )
    console.print(table)


def _fmt(value: float) -> str:
    return format_number(value, digits=1)


@app.command()
def show(
    toile: Annotated[str, typer.Argument(help="Identifiant d'une toile enregistrée, ou dossier.")],
    store: StoreOption = None,
    version: VersionOption = None,
    as_json: JsonOption = False,
) -> None:
    """Résumer une toile : acteurs par type, flux par type, totaux par famille d'unités."""
    from toiles.analysis.summary import toile_summary  # noqa: PLC0415

    data = toile_summary(resolve_toile(toile, store, version)).model_dump(mode="json")
    if as_json:
        print_json(data)
        return
    mention = " — [italic]données illustratives[/]" if data["illustrative"] else ""
    console.print(
        f"[bold]{escape(data['name'])}[/] ({escape(data['id'])} {escape(data['version'])}){mention}"
    )
    console.print(
        f"{data['actors']} acteurs, {data['flows']} flux "
        f"({data['flows_without_quantity']} sans quantité)"
    )
    actors = Table("Type d'acteur", "Nombre", title="Acteurs")
    for kind, n in data["actors_by_kind"].items():
        actors.add_row(label_of("actor", kind), str(n))
    flows = Table("Type de flux", "Nombre", title="Flux")
    for kind, n in data["flows_by_kind"].items():
        flows.add_row(label_of("flow", kind), str(n))
    totals = Table("Famille", "Total", "Unité", title="Totaux (quantités converties)")
    for family, total in data["totals"].items():
        totals.add_row(label(UnitFamily(family)), _fmt(total["value"]), total["unit"])
    console.print(actors, flows, totals)


def label_of(vocabulary: str, value: str) -> str:
    """French label of an actor-kind or flow-kind value."""
    from toiles.models.vocab import ActorKind, FlowKind  # noqa: PLC0415

    enum = ActorKind if vocabulary == "actor" else FlowKind
    return label(enum(value))


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Dossier des fichiers produits.")] = Path(
        "out"
    ),
    store: StoreOption = None,
) -> None:
    """Charger les toiles de référence, lancer les analyses et produire les visuels."""
    from toiles.demo import run_demo  # noqa: PLC0415

    run_demo(open_store(store), out, console=console)


def _analysis_options(
    values: dict[str, object], extra: list[str], allowed: set[str]
) -> dict[str, object]:
    """The options given on the command line, checked against the report's options."""
    options = {k: v for k, v in values.items() if v not in (None, [], False)}
    for item in extra:
        key, sep, value = item.partition("=")
        if not sep:
            fail(f"option attendue sous la forme nom=valeur : {item}")
        options[key.strip().replace("-", "_")] = value.strip()
    unknown = sorted(set(options) - allowed)
    if unknown:
        names = ", ".join("--" + u.replace("_", "-") for u in unknown)
        possible = ", ".join("--" + a.replace("_", "-") for a in sorted(allowed)) or "aucune"
        fail(f"option(s) sans effet pour ce rapport : {names} (options possibles : {possible})")
    return options


@app.command()
def analyse(  # one branch per kind of option
    toile: Annotated[str, typer.Argument(help="Identifiant d'une toile enregistrée, ou dossier.")],
    report: Annotated[
        str,
        typer.Option(
            "--report",
            "-r",
            help="centrality, loops, cycling, candidates, impact, communities, gaps ou diff.",
        ),
    ],
    store: StoreOption = None,
    version: VersionOption = None,
    as_json: JsonOption = False,
    top: Annotated[int | None, typer.Option(help="Nombre de lignes classées.")] = None,
    family: Annotated[
        str | None, typer.Option(help="Famille d'unités : energy, volume, mass, count…")
    ] = None,
    theme: Annotated[str | None, typer.Option(help="Thème des flux retenus.")] = None,
    max_length: Annotated[
        int | None, typer.Option("--max-length", help="Longueur maximale des boucles.")
    ] = None,
    radius_km: Annotated[
        float | None, typer.Option("--radius-km", help="Rayon de recherche (km).")
    ] = None,
    max_distance_km: Annotated[
        float | None,
        typer.Option("--max-distance-km", help="Distance maximale d'une piste (km)."),
    ] = None,
    heat_price: Annotated[
        float | None,
        typer.Option("--heat-price", help="Prix actuel de la chaleur du preneur (€/MWh)."),
    ] = None,
    discount_rate: Annotated[
        float | None,
        typer.Option("--discount-rate", help="Taux d'actualisation (0,04 pour 4 %)."),
    ] = None,
    view: Annotated[
        str | None,
        typer.Option(
            "--view", help="Acteurs clés : all (tous) ou companies (les seules entreprises)."
        ),
    ] = None,
    actor: Annotated[
        list[str] | None, typer.Option("--actor", help="Acteur fermé (répétable).")
    ] = None,
    threshold: Annotated[
        float | None, typer.Option(help="Seuil de défaillance (part perdue).")
    ] = None,
    resolution: Annotated[float | None, typer.Option(help="Résolution des communautés.")] = None,
    seed: Annotated[int | None, typer.Option(help="Graine (résultats reproductibles).")] = None,
    against: Annotated[
        str | None, typer.Option("--against", help="Version de référence (diff).")
    ] = None,
    apply: Annotated[
        str | None,
        typer.Option("--apply", help="Écrire les pistes en flux potentiels dans cette version."),
    ] = None,
    public: Annotated[
        bool, typer.Option("--public", help="Analyser les seules données publiques.")
    ] = False,
    option: Annotated[
        list[str] | None, typer.Option("--option", "-o", help="Autre option : nom=valeur.")
    ] = None,
) -> None:
    """Analyser une toile : acteurs clés, boucles, cyclage, pistes, fermetures, communautés."""
    from toiles.access import redact  # noqa: PLC0415
    from toiles.analysis import REPORTS, apply_candidates, report_table, run_report  # noqa: PLC0415
    from toiles.graph import graph_from_toile  # noqa: PLC0415
    from toiles.models.vocab import Confidentiality  # noqa: PLC0415

    spec = REPORTS.get(report)
    if spec is None:
        fail(f"rapport inconnu : {report} (possibles : {', '.join(REPORTS)})")
    values: dict[str, object] = {
        "top": top,
        "family": family,
        "theme": theme,
        "max_length": max_length,
        "radius_km": radius_km,
        "max_distance_km": max_distance_km,
        "heat_price": heat_price,
        "discount_rate": discount_rate,
        "view": view,
        "actors": actor or [],
        "threshold": threshold,
        "resolution": resolution,
        "seed": seed,
    }
    options = _analysis_options(values, option or [], set(spec.options.model_fields))
    data = resolve_toile(toile, store, version)
    if public:
        data = redact(data, Confidentiality.PUBLIC)
    other = None
    if spec.needs_other:
        if against is None:
            fail("le rapport diff compare deux versions : indiquer --against VERSION (ou dossier)")
        reference = (
            resolve_toile(against, store)
            if Path(against).exists()
            else (resolve_toile(toile, store, against))
        )
        other = graph_from_toile(redact(reference, Confidentiality.PUBLIC) if public else reference)
    elif against is not None:
        fail("--against ne sert qu'au rapport diff")
    with console.status(f"Analyse « {spec.title} »…"):
        result = run_report(report, graph_from_toile(data), options, other=other)
    if apply is not None:
        if report != "candidates":
            fail("--apply ne sert qu'au rapport candidates")
        candidates = getattr(result, "candidates", [])
        new = apply_candidates(data, candidates, version=apply)
        _store(store).save_toile(new, edit=_cli_record(new))
        console.print(
            f"[bold green]Version {escape(apply)} enregistrée[/] avec {len(candidates)} "
            "flux potentiels ajoutés."
        )
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    tables = report_table(result)
    for table in tables if isinstance(tables, list) else [tables]:
        console.print(table)


PublicOption = Annotated[
    bool, typer.Option("--public", help="Ne garder que les données publiques.")
]


def _default_out(toile: Toile, suffix: str) -> Path:
    return Path(f"{toile.id}-{toile.version}{suffix}")


@app.command("render")
def render_(
    toile: Annotated[str, typer.Argument(help="Identifiant d'une toile enregistrée, ou dossier.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="html, png, svg, pdf, sankey ou geojson.")
    ] = "html",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Fichier produit.")] = None,
    store: StoreOption = None,
    version: VersionOption = None,
    lang: Annotated[str, typer.Option("--lang", help="fr ou en.")] = "fr",
    size_by: Annotated[
        str, typer.Option("--size-by", help="employees, centrality ou throughflow.")
    ] = "throughflow",
    group_by: Annotated[
        str | None, typer.Option("--group-by", help="epci, commune, zae, kind ou naf.")
    ] = None,
    highlight: Annotated[
        str | None,
        typer.Option(help="key-actors, loops, candidates, impact:ACTEUR ou community."),
    ] = None,
    public: PublicOption = False,
    paper: Annotated[str, typer.Option("--paper", help="A4 à A0 (posters).")] = "A3",
    dpi: Annotated[int | None, typer.Option(help="Résolution des PNG.")] = None,
    layout: Annotated[
        str, typer.Option(help="auto (structurée, par défaut), spring, fr ou geo.")
    ] = "auto",
    seed: Annotated[int, typer.Option(help="Graine de la mise en page.")] = 0,
    embed: Annotated[
        bool, typer.Option("--embed", help="Page compacte à intégrer (iframe), format html.")
    ] = False,
) -> None:
    """Dessiner une toile : page interactive, poster, Sankey ou carte GeoJSON."""
    from toiles.viz import RENDER_FORMATS, render  # noqa: PLC0415

    if fmt not in RENDER_FORMATS:
        fail(f"format inconnu : {fmt} (possibles : {', '.join(RENDER_FORMATS)})")
    if lang not in {"fr", "en"}:
        fail(f"langue inconnue : {lang} (fr ou en)")
    data = resolve_toile(toile, store, version)
    suffixes = {"html": ".html", "sankey": "-sankey.html", "geojson": ".geojson"}
    target = out or _default_out(data, suffixes.get(fmt, f".{fmt}"))
    with console.status("Dessin…"):
        written = render(
            data,
            fmt,
            target,
            lang=lang,
            size_by=size_by,
            group_by=group_by,
            highlight=highlight,
            public=public,
            paper=paper,
            dpi=dpi,
            layout=layout,
            seed=seed,
            embed=embed,
        )
    console.print(f"[bold green]Écrit[/] : {escape(str(written))}")


@app.command("export")
def export_(
    toile: Annotated[str, typer.Argument(help="Identifiant d'une toile enregistrée, ou dossier.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="gexf, graphml, json, csv, xlsx, geojson, cypher ou neo4j-admin.",
        ),
    ],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Fichier ou dossier.")] = None,
    store: StoreOption = None,
    version: VersionOption = None,
    public: PublicOption = False,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV pour Excel français (; BOM, virgules).")
    ] = False,
) -> None:
    """Exporter une toile pour Gephi, QGIS, Excel, Neo4j ou un autre outil."""
    from toiles.io import EXPORT_FORMATS, SUFFIXES, export_toile  # noqa: PLC0415

    data = resolve_toile(toile, store, version)
    if fmt == "neo4j-admin":
        from toiles.io.neo4j_admin import export_neo4j_admin  # noqa: PLC0415

        folder = out or _default_out(data, "-neo4j-admin")
        files = export_neo4j_admin(data, folder, public=public)
        console.print(f"[bold green]Écrit[/] : {len(files)} fichiers dans {escape(str(folder))}")
        console.print(
            "Commande d'import : voir docs/graph-model.md (neo4j-admin database import full)."
        )
        return
    if fmt not in EXPORT_FORMATS:
        formats = ", ".join((*EXPORT_FORMATS, "neo4j-admin"))
        fail(f"format inconnu : {fmt} (possibles : {formats})")
    target = out or _default_out(data, SUFFIXES.get(fmt, f".{fmt}"))
    written = export_toile(data, fmt, target, public=public, excel=excel)
    console.print(f"[bold green]Écrit[/] : {escape(str(written))}")


@app.command("import")
def import_(  # one option per importer setting
    source: Annotated[
        str,
        typer.Argument(help="irve, bnpe, registre-electricite, sirene ou reseaux-chaleur."),
    ],
    file: Annotated[Path, typer.Argument(help="Fichier Open Data national.")],
    territory: Annotated[
        str,
        typer.Option(
            "--territory",
            "-t",
            help="Codes INSEE, code de département (62, 85) ou EPCI de France (SIREN ou nom).",
        ),
    ],
    out: Annotated[Path | None, typer.Option("--out", help="Dossier de toile à écrire.")] = None,
    theme: Annotated[str | None, typer.Option(help="Thème de la toile produite.")] = None,
    year: Annotated[int | None, typer.Option(help="Année (bnpe, reseaux-chaleur).")] = None,
    min_kw: Annotated[
        float | None, typer.Option("--min-kw", help="Puissance minimale (registre).")
    ] = None,
    naf: Annotated[
        str | None, typer.Option(help="Préfixes NAF séparés par des virgules (sirene).")
    ] = None,
    min_employees: Annotated[
        int | None, typer.Option("--min-employees", help="Effectif minimal (sirene).")
    ] = None,
    legal_units: Annotated[
        Path | None,
        typer.Option(
            "--unites-legales",
            help="Fichier StockUniteLegale (zip tel que distribué, ou CSV) pour nommer les "
            "établissements d'après leur entreprise (sirene).",
        ),
    ] = None,
    allow_empty: Annotated[
        bool,
        typer.Option("--allow-empty", help="Écrire la toile même si aucun acteur n'est gardé."),
    ] = False,
) -> None:
    """Construire un dossier de toile T0 à partir d'un jeu de données ouvert (tout ou rien).

    Le fichier national est lu tel qu'il est publié : CSV, zip (StockEtablissement_utf8.zip),
    JSON ou JSON lines des API. Un import qui ne garde aucun acteur est une erreur (code 1)
    qui dit pourquoi (territoire, année, filtres), sauf avec --allow-empty.
    """
    from toiles.errors import Problem  # noqa: PLC0415
    from toiles.loaders.opendata import IMPORTERS, import_source  # noqa: PLC0415

    if source not in IMPORTERS:
        fail(f"source inconnue : {source} (possibles : {', '.join(IMPORTERS)})")
    slug = "".join(c if c.isalnum() else "-" for c in territory.lower()).strip("-")[:40]
    target = out or Path(f"{source}-{slug}")
    problems: list[Problem] = []
    with console.status(f"Lecture de {escape(str(file))}…"):
        written = import_source(
            source,
            file,
            territory=territory,
            out=target,
            theme=theme,
            report=problems,
            allow_empty=allow_empty,
            year=year,
            min_kw=min_kw,
            naf=naf,
            min_employees=min_employees,
            legal_units=legal_units,
        )
    _print_problems(problems)
    toile = load_toile(written)
    console.print(
        f"[bold green]Toile écrite[/] dans {escape(str(written))} : {len(toile.actors)} acteurs, "
        f"{len(toile.flows)} flux, à compléter puis vérifier avec [bold]toiles validate[/]."
    )


@app.command()
def enrich(
    toile: Annotated[str, typer.Argument(help="Dossier de toile, ou identifiant enregistré.")],
    sirene: Annotated[
        Path,
        typer.Option(
            "--sirene", help="Fichier StockEtablissement (zip tel que distribué, ou CSV)."
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Dossier écrit (défaut : DOSSIER-enrichie).")
    ] = None,
    store: StoreOption = None,
    version: VersionOption = None,
) -> None:
    """Compléter les champs vides des acteurs depuis SIRENE (par SIRET), sans rien écraser."""
    from toiles.loaders.opendata import enrich_toile, enrich_toile_folder  # noqa: PLC0415

    path = Path(toile)
    if path.exists():
        written, report = enrich_toile_folder(path, sirene, out=out or Path(f"{path}-enrichie"))
        where = str(written)
    else:
        target = _store(store)
        enriched, report = enrich_toile(target.get_toile(toile, version), sirene)
        target.save_toile(enriched, edit=_cli_record(enriched))
        where = f"{enriched.id} {enriched.version} (base)"
    for line in report.lines():
        console.print(escape(line), highlight=False)
    console.print(f"[bold green]Toile enrichie[/] : {escape(where)}")


@app.command()
def cypher(
    query: Annotated[str, typer.Argument(help="Requête Cypher en lecture (MATCH … RETURN …).")],
    store: StoreOption = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="Paramètre nom=valeur (JSON si possible), répétable."),
    ] = None,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Sortie CSV.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="Nombre maximal de lignes.")] = 1000,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Secondes avant interruption.")
    ] = None,
) -> None:
    """Lancer une requête Cypher en lecture seule sur la base Neo4j (toute écriture est refusée)."""
    from toiles.graph_db.neo4j import (  # noqa: PLC0415  # the driver only when asked
        cell_text,
        parse_params,
        run_read_query,
        write_csv,
    )

    target = store or get_settings().store
    if not is_neo4j_url(target):
        fail("toiles cypher interroge une base Neo4j : indiquer --store neo4j://hôte:7687")
    result = run_read_query(target, query, parse_params(param or []), limit=limit, timeout=timeout)
    if as_json:
        print_json(result.records())
    elif as_csv:
        write_csv(result, sys.stdout)
    else:
        table = Table(*(escape(c) for c in result.columns))
        for row in result.rows:
            table.add_row(*(escape(cell_text(v)) for v in row))
        console.print(table)
    if result.truncated:
        err_console.print(f"[yellow]Résultat tronqué à {limit} lignes (option --limit).[/]")


apikey_app = typer.Typer(
    help="Gérer les clés d'API (affichées une seule fois).", no_args_is_help=True
)
app.add_typer(apikey_app, name="apikey")


@apikey_app.command("create")
def apikey_create(
    role: Annotated[str, typer.Option("--role", help="partenaire, editeur ou admin.")],
    name: Annotated[str, typer.Option("--name", help="À qui est donnée la clé.")],
    store: StoreOption = None,
) -> None:
    """Créer une clé : elle n'est affichée qu'une fois, seule son empreinte est gardée."""
    from toiles.access import key_role  # noqa: PLC0415
    from toiles.api.security import create_api_key  # noqa: PLC0415

    parsed = key_role(role)
    key, record = create_api_key(_store(store), role=parsed, name=name)
    console.print(
        f"Clé créée pour [bold]{escape(record.name)}[/] "
        f"(rôle {record.role.value}, id {record.id}) :"
    )
    sys.stdout.write(key + "\n")
    console.print("[yellow]Notez-la maintenant : elle ne sera plus jamais affichée.[/]")


@apikey_app.command("list")
def apikey_list(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Lister les clés (sans les clés elles-mêmes)."""
    records = _store(store).list_api_keys()
    if as_json:
        print_json([r.model_dump(mode="json", exclude={"key_hash"}) for r in records])
        return
    table = Table("Id", "Nom", "Rôle", "Créée le", "État", title="Clés d'API")
    for r in records:
        table.add_row(
            escape(r.id),
            escape(r.name),
            r.role.value,
            f"{r.created:%Y-%m-%d}",
            "révoquée" if r.revoked else "active",
        )
    console.print(table)


@apikey_app.command("revoke")
def apikey_revoke(
    key_id: Annotated[str, typer.Argument(help="Id de la clé.")], store: StoreOption = None
) -> None:
    """Révoquer une clé : elle cesse de fonctionner aussitôt."""
    _store(store).revoke_api_key(key_id)
    console.print(f"Clé {escape(key_id)} révoquée.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Adresse d'écoute.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    store: StoreOption = None,
    workers: Annotated[int, typer.Option(help="Processus de service.")] = 1,
) -> None:
    """Lancer l'application web (/) et l'API HTTP (documentation sur /api/v1/docs)."""
    import os  # noqa: PLC0415

    import uvicorn  # noqa: PLC0415

    if store:
        os.environ["TOILES_STORE"] = store
        get_settings.cache_clear()
    target = _store(store)
    try:
        report_cleaned(target)
    except StoreError as exc:  # the API starts anyway and answers 503 until the base is back
        err_console.print(f"[yellow]Base injoignable au démarrage[/] : {escape(str(exc))}")
    finally:
        target.close()
    console.print(
        f"Application web sur http://{host}:{port}/ — API documentée sur "
        f"http://{host}:{port}/api/v1/docs — base {redacted_url(get_settings().store)}"
    )
    uvicorn.run(
        "toiles.api.app:app_from_settings",
        host=host,
        port=port,
        workers=workers,
        factory=True,
        log_level="warning",
        # SIGTERM stops the server: requests still running get this long, then are cut.
        timeout_graceful_shutdown=get_settings().api_shutdown_timeout_s,
    )


@app.command()
def history(
    ref: Annotated[str, typer.Argument(help="Id de la toile enregistrée.")],
    store: StoreOption = None,
    version: VersionOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Nombre de modifications.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Lister les modifications d'une toile (qui, quand, quoi), les plus récentes d'abord."""
    target = _store(store)
    edits = target.list_edits(ref, version, limit=limit)
    if as_json:
        print_json([e.model_dump(mode="json") for e in edits])
        return
    if not edits:
        console.print(f"Aucune modification enregistrée pour {escape(ref)}.")
        return
    table = Table("Révision", "Version", "Quand", "Qui", "Action", "Objet")
    for e in edits:
        when = "" if e.at is None else f"{e.at:%d/%m/%Y %H:%M:%S}"
        table.add_row(
            str(e.revision),
            escape(e.version),
            when,
            escape(e.who),
            e.action.value.replace("_", " "),
            escape(e.target or ""),
        )
    console.print(table)


@app.command()
def backup(
    dest: Annotated[Path, typer.Argument(help="Fichier de sauvegarde à écrire.")],
    store: StoreOption = None,
) -> None:
    """Sauvegarder toute la base (SQLite : copie en ligne ; Neo4j : export logique)."""
    target = _store(store)
    with console.status("Sauvegarde…"):
        target.backup_to(dest)
    size = f"{dest.stat().st_size / 1e6:.1f}".replace(".", ",")
    console.print(
        f"[bold green]Sauvegardée[/] : {len(target.list_toiles())} version(s) de toiles → "
        f"{escape(str(dest))} ({size} Mo)"
    )


@app.command()
def restore(
    src: Annotated[Path, typer.Argument(help="Fichier de sauvegarde à restaurer.")],
    store: StoreOption = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Ne pas demander de confirmation.")
    ] = False,
) -> None:
    """Remplacer toute la base par une sauvegarde (toiles, clés d'API, historique)."""
    url = redacted_url(store or get_settings().store)
    if not yes and not typer.confirm(
        f"Remplacer tout le contenu de {url} par {src} ?", default=False
    ):
        fail("restauration annulée : rien n'a été modifié.")
    target = _store(store)
    with console.status("Restauration…"):
        target.restore_from(src)
    console.print(
        f"[bold green]Restaurée[/] : {len(target.list_toiles())} version(s) de toiles "
        f"depuis {escape(str(src))} → {escape(url)}"
    )


class _RichProgress:
    """Show the steps of a long piece of work as rich progress bars."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def start(self, description: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.progress.tasks[-1].total)
        self.task = self.progress.add_task(description, total=max(total, 1))

    def advance(self, amount: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, amount)


def _progress_bars() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    )


@app.command()
def merge(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Dossiers de toile, fichiers JSON, tableurs de contacts (.xlsx, .csv) "
            "ou identifiants de toiles enregistrées."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Dossier de la toile fusionnée.")],
    toile_id: Annotated[
        str | None, typer.Option("--id", help="Identifiant de la toile fusionnée.")
    ] = None,
    theme: Annotated[str | None, typer.Option(help="Thème de la toile fusionnée.")] = None,
    human: Annotated[
        list[str] | None,
        typer.Option("--humain", help="Source saisie par une personne (répétable)."),
    ] = None,
    confirmations: Annotated[
        Path | None,
        typer.Option(
            "--confirmations", help="Fichier des rapprochements à confirmer (défaut : dans --out)."
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Fusionner les toiles d'un territoire : un même acteur trouvé deux fois n'en fait qu'un."""
    from toiles.errors import Problem  # noqa: PLC0415
    from toiles.loaders.merge import (  # noqa: PLC0415
        CONFIRM_FILE,
        REPORT_FILE,
        MergeSource,
        load_merge_source,
        merge_toiles,
        read_confirmations,
        read_previous_ids,
        write_merge,
    )
    from toiles.models.vocab import Theme, parse_enum  # noqa: PLC0415

    chosen_theme = None
    if theme is not None:
        try:
            chosen_theme = parse_enum(Theme, theme)
        except ValueError as exc:
            fail(f"thème {theme} : {exc}")
    forced = set(human or [])
    loaded: list[MergeSource] = []
    warnings: list[Problem] = []
    for ref in sources:
        is_human = True if ref in forced else None
        if Path(ref).exists():
            loaded.append(load_merge_source(ref, human=is_human, report=warnings))
        else:
            stored = _store(store).get_toile(ref, None)
            loaded.append(MergeSource.of(stored, origin=ref, human=is_human))
    answers_path = confirmations or out / CONFIRM_FILE
    answers = read_confirmations(answers_path) if answers_path.is_file() else {}
    previous = read_previous_ids(out / REPORT_FILE) if (out / REPORT_FILE).is_file() else {}
    with _progress_bars() as bars:
        result = merge_toiles(
            loaded,
            confirmations=answers,
            previous_ids=previous,
            toile_id=toile_id,
            theme=chosen_theme,
            progress=_RichProgress(bars),
        )
        written = write_merge(result, out)
    _print_problems([*warnings, *result.problems])
    counts = result.counts()
    for source in loaded:
        kind = "saisie humaine" if source.human else "Open Data"
        console.print(
            f"  {escape(source.label)} ({kind}) : {len(source.toile.actors)} acteurs, "
            f"{len(source.toile.flows)} flux",
            highlight=False,
        )
    console.print(
        f"[bold green]Toile fusionnée[/] dans {escape(str(written))} : {counts['actors']} acteurs "
        f"(sur {counts['rows']} lignes, dont {counts['merged_rows']} rapprochées), "
        f"{counts['flows']} flux. Rapprochements expliqués dans {REPORT_FILE} ; "
        f"{counts['to_confirm']} à confirmer à la main dans {CONFIRM_FILE} "
        "(colonne « confirmer » : oui ou non), relu au prochain lancement.",
        highlight=False,
    )


fiches_app = typer.Typer(
    help="Fiches acteurs : envoyer T0 aux acteurs, lire leurs réponses, écrire T1.",
    no_args_is_help=True,
)
app.add_typer(fiches_app, name="fiches")


@fiches_app.command("write")
def fiches_write(
    toile: Annotated[str, typer.Argument(help="Dossier de toile, ou identifiant enregistré.")],
    out: Annotated[Path, typer.Option("--out", help="Dossier des fiches (XLSX et PDF).")],
    store: StoreOption = None,
    version: VersionOption = None,
    actor: Annotated[
        list[str] | None, typer.Option("--actor", help="Acteur (répétable ; défaut : tous).")
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="Type d'acteur retenu (répétable : entreprise, epci…)."),
    ] = None,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Sans les PDF imprimables.")] = False,
) -> None:
    """Écrire une fiche par acteur (Excel, et PDF à imprimer) : ce que dit la toile, à vérifier."""
    from toiles.io.fiches import write_fiches  # noqa: PLC0415
    from toiles.models.vocab import ActorKind, parse_enum  # noqa: PLC0415

    kinds: set[ActorKind] = set()
    for text in kind or []:
        try:
            kinds.add(parse_enum(ActorKind, text))
        except ValueError as exc:
            fail(f"type d'acteur {text} : {exc}")
    data = resolve_toile(toile, store, version)
    chosen = actor or [
        a.id for a in data.actors if not a.is_outside and (not kinds or a.kind in kinds)
    ]
    if not chosen:
        fail("aucun acteur ne correspond : rien n'a été écrit")
    unknown = sorted(set(chosen) - {a.id for a in data.actors})
    if unknown:
        fail(f"acteur(s) inconnu(s) dans la toile {data.id} : {', '.join(unknown)}")
    with _progress_bars() as bars:
        task = bars.add_task("Fiches acteurs", total=len(chosen))
        files = write_fiches(
            data,
            out,
            actors=chosen,
            pdf=not no_pdf,
            on_written=lambda _stem: bars.advance(task),
        )
    console.print(
        f"[bold green]{len(chosen)} fiche(s) écrite(s)[/] dans {escape(str(out))} "
        f"({len(files)} fichiers). Une fois revenues : "
        f"[bold]toiles fiches read {escape(toile)} {escape(str(out))} --version T1[/]",
        highlight=False,
    )


@fiches_app.command("read")
def fiches_read(
    toile: Annotated[str, typer.Argument(help="La toile d'où viennent les fiches (T0).")],
    folder: Annotated[Path, typer.Argument(help="Dossier des fiches revenues (fiche-*.xlsx).")],
    new_version: Annotated[str, typer.Option("--version", help="Nom de la nouvelle version (T1).")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Dossier de la nouvelle version (défaut : la base, ou ID-VERSION ici si "
            "la toile est un dossier).",
        ),
    ] = None,
    store: StoreOption = None,
    from_version: Annotated[
        str | None, typer.Option("--from", help="Version d'origine (défaut : la dernière).")
    ] = None,
) -> None:
    """Lire les fiches revenues et écrire la nouvelle version (T1), puis ses changements."""
    from toiles.analysis import report_table  # noqa: PLC0415
    from toiles.analysis.diff import toile_diff  # noqa: PLC0415
    from toiles.graph import graph_from_toile  # noqa: PLC0415
    from toiles.io.fiches import read_fiches  # noqa: PLC0415
    from toiles.loaders.opendata import write_toile_folder  # noqa: PLC0415

    before = resolve_toile(toile, store, from_version)
    with console.status("Lecture des fiches…"):
        after, answers = read_fiches(before, folder, version=new_version)
    if out is not None:
        where = str(write_toile_folder(after, out))
    elif Path(toile).exists():
        where = str(write_toile_folder(after, _default_out(after, "")))
    else:
        _store(store).save_toile(after, edit=_cli_record(after))
        where = f"{after.id} {after.version} (base)"
    console.print(
        f"[bold green]{escape(new_version)} écrite[/] : {escape(where)} — {answers.files} "
        "fiche(s) lue(s).",
        highlight=False,
    )
    result = toile_diff(graph_from_toile(before), graph_from_toile(after))
    if not (
        result.actors_added
        or result.actors_removed
        or result.actors_changed
        or result.flows_added
        or result.flows_removed
        or result.flows_changed
    ):
        console.print(f"Aucun changement de {before.version} à {after.version}.")
        return
    tables = report_table(result)
    for table in tables if isinstance(tables, list) else [tables]:
        console.print(table)


def main() -> None:
    """Run the command line; errors become one sentence (a traceback with ``--debug``)."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except ValidationError as exc:
        if _state["debug"]:
            raise
        _print_problems(exc.problems)
        n_errors = len(exc.errors)
        err_console.print(f"[bold red]Erreur :[/] {n_errors} erreur(s), rien n'a été écrit.")
        sys.exit(1)
    except ToilesError as exc:
        if _state["debug"]:
            raise
        err_console.print(f"[bold red]Erreur :[/] {escape(str(exc))}", highlight=False)
        sys.exit(1)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("Interrompu.")
        sys.exit(130)
    except Exception as exc:  # the last guard: one sentence, not a traceback
        import click  # noqa: PLC0415

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if _state["debug"]:
            raise
        err_console.print(
            f"[bold red]Erreur inattendue :[/] {type(exc).__name__}: {exc} "
            "(relancer avec --debug pour la trace)",
            highlight=False,
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
