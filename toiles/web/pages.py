"""Pages to browse: home (toile cards and search), toile page, picture, actor sheet, downloads.

Every read goes through the store at the visitor's level (``role.visibility``), as the
API's routes do; downloads call the API's own render and export code with the visitor's
role, so a page never offers what the API would refuse.
"""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from toiles.access import Role
from toiles.analysis import REPORTS, CandidatesResult, CentralityResult, LoopsResult
from toiles.api.deps import StoreDep
from toiles.api.errors import ApiError
from toiles.api.routes.actors import actor_detail
from toiles.api.routes.analysis import stored_report
from toiles.api.routes.toiles import visible_summary
from toiles.api.routes.visuals import ExportFormat, export_toile_route
from toiles.errors import ActorNotFound, AnalysisError, OverBudget
from toiles.graph_db.base import ActorQuery, ToileStore, version_sort_key
from toiles.models.actor import Actor
from toiles.models.toile import ToileSummary
from toiles.models.vocab import Confidentiality, fold, label
from toiles.naf import naf_label
from toiles.territory import communes
from toiles.web.analyses import PANEL, highlight_of, panel_of
from toiles.web.deps import VisitorDep
from toiles.web.i18n import LANG_COOKIE, lang_of, translator
from toiles.web.pictures import toile_fingerprint
from toiles.web.render import HtmlRoute, page

if TYPE_CHECKING:
    from pydantic import BaseModel

    from toiles.models.flow import Flow

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

Version = Annotated[str | None, Query(max_length=40)]
ActorIds = Annotated[list[str] | None, Query(max_length=200)]
PAPERS = ("A4", "A3", "A2", "A1", "A0")
POSTER_FORMATS = ("png", "svg", "pdf")
SIZE_BY = ("throughflow", "centrality", "employees")
GROUP_BY = ("epci", "commune", "zae", "kind", "naf")


@dataclass(frozen=True)
class Card:
    """A toile as the home page shows it: its latest version the visitor may see."""

    summary: ToileSummary
    versions: list[str]


def _latest(summaries: list[ToileSummary]) -> ToileSummary:
    return max(summaries, key=lambda s: version_sort_key(s.version))


def toile_cards(store: ToileStore, role: Role) -> list[Card]:
    """One card per toile, with the counts of its latest version the role may see."""
    by_id: dict[str, list[ToileSummary]] = {}
    for summary in store.list_toiles():
        by_id.setdefault(summary.id, []).append(summary)
    return [
        Card(
            visible_summary(store, _latest(versions), role),
            sorted((s.version for s in versions), key=version_sort_key),
        )
        for _, versions in sorted(by_id.items())
    ]


def _matches(card: Card, words: str) -> bool:
    s = card.summary
    text = fold(" ".join([s.id, s.name, s.theme.value, s.territory.name, s.description or ""]))
    return all(word in text for word in fold(words).split())


@router.get("/", name="web_home")
def home(
    request: Request,
    store: StoreDep,
    visitor: VisitorDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The toiles the visitor may see, as cards; with ``q``, the toiles and actors found."""
    cards = toile_cards(store, visitor.role)
    found_actors: list[tuple[ToileSummary, Actor]] = []
    if q and q.strip():
        query = ActorQuery(q=q.strip(), visibility=visitor.role.visibility, limit=20)
        for card in cards:
            page_ = store.query_actors(card.summary.id, query, version=card.summary.version)
            found_actors.extend((card.summary, actor) for actor in page_.items)
        cards_shown = [c for c in cards if _matches(c, q)]
    else:
        cards_shown = cards
    return page(
        request,
        visitor,
        "home.html",
        {"cards": cards_shown, "q": q or "", "found_actors": found_actors},
    )


def _panel_options(
    name: str, actors: list[str] | None, threshold: float | None
) -> dict[str, object]:
    if name == "impact":
        return {"actors": actors or [], "threshold": 0.5 if threshold is None else threshold}
    return {}


@router.get("/toiles/{toile_id}", name="web_toile")
def toile_page(  # one parameter per control of the page
    request: Request,
    toile_id: str,
    store: StoreDep,
    visitor: VisitorDep,
    version: Version = None,
    analysis: Annotated[str | None, Query(max_length=20)] = None,
    actors: ActorIds = None,
    threshold: Annotated[float | None, Query(gt=0, le=1)] = None,
    against: Version = None,
    size_by: Annotated[str, Query(max_length=20)] = "throughflow",
    group_by: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """A toile: its picture, display options, analyses panel, downloads and versions."""
    role = visitor.role
    summary = visible_summary(store, store.get_summary(toile_id, version), role)
    versions = [s.version for s in store.list_versions(toile_id)]
    others = [v for v in versions if v != summary.version]
    if analysis == "diff" and against is None and others:
        earlier = [v for v in others if version_sort_key(v) < version_sort_key(summary.version)]
        against = (earlier or others)[-1]
    panel = None
    error = None
    if analysis in PANEL and not (analysis == "impact" and not actors):
        if analysis == "diff" and not others:
            error = translator(lang_of(request))("diff_none")
        else:
            try:
                result = stored_report(
                    request.app.state.analyses,
                    store,
                    role.visibility,
                    analysis,
                    toile_id,
                    summary.version,
                    _panel_options(analysis, actors, threshold),
                    against if analysis == "diff" else None,
                )
                panel = panel_of(analysis, result, lang=lang_of(request))
            # a toile the analysis does not suit, or one too long for the budget: say why
            except (AnalysisError, OverBudget) as exc:
                error = str(exc)
    picture = {
        "version": summary.version,
        "analysis": analysis if panel else None,
        "actors": ",".join(actors or []) or None,
        "threshold": threshold,
        "against": against if analysis == "diff" else None,
        "size_by": size_by if size_by in SIZE_BY else None,
        "group_by": group_by if group_by in GROUP_BY else None,
    }
    return page(
        request,
        visitor,
        "toile.html",
        {
            "s": summary,
            "versions": versions,
            "others": others,
            "panel": panel,
            "panel_names": list(PANEL),
            "titles": {name: REPORTS[name].title for name in PANEL},
            "analysis": analysis,
            "actors": ",".join(actors or []),
            "threshold": threshold if threshold is not None else 0.5,
            "against": against,
            "panel_error": error,
            "picture": picture,
            "size_by": size_by,
            "actor_choices": store.query_actors(
                toile_id, ActorQuery(visibility=role.visibility, limit=500), version=summary.version
            ).items,
            "group_by": group_by or "",
            "size_choices": SIZE_BY,
            "group_choices": GROUP_BY,
            "papers": PAPERS,
            "poster_formats": POSTER_FORMATS,
            "export_formats": [f.value for f in ExportFormat],
            "base": str(request.base_url).rstrip("/"),
        },
    )


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@router.get("/toiles/{toile_id}/toile.html", name="web_picture")
def picture(  # the options of the picture, as the toile page passes them
    request: Request,
    toile_id: str,
    store: StoreDep,
    visitor: VisitorDep,
    version: Version = None,
    analysis: Annotated[str | None, Query(max_length=20)] = None,
    actors: Annotated[str | None, Query(max_length=2000)] = None,
    threshold: Annotated[float | None, Query(gt=0, le=1)] = None,
    against: Version = None,
    size_by: Annotated[str, Query(max_length=20)] = "throughflow",
    group_by: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The interactive picture of :mod:`toiles.viz` for the visitor, framed by the toile page."""
    from toiles.viz import render  # noqa: PLC0415  # drawing code loads only when drawing

    role = visitor.role
    lang = lang_of(request)
    toile = store.get_toile(toile_id, version, visibility=role.visibility)
    highlight = None
    name = analysis if analysis in PANEL else None
    other = against if name == "diff" and against else None
    if name is not None and (
        PANEL[name] is not None or other is not None or (name == "impact" and _split(actors))
    ):
        try:
            # the toile page ran the same report a moment ago: a kept result, not a rerun;
            # otherwise the API's child process runs it, within the analyses' budget
            result = stored_report(
                request.app.state.analyses,
                store,
                role.visibility,
                name,
                toile_id,
                toile.version,
                _panel_options(name, _split(actors), threshold),
                other,
            )
        except (AnalysisError, OverBudget):
            result = None  # the panel says why; the picture is drawn without the overlay
        flows = ((f.source, f.target, f.id) for f in toile.flows)
        highlight = highlight_of(name, result, lang=lang, flows=flows)
    size = size_by if size_by in SIZE_BY else "throughflow"
    group = group_by if group_by in GROUP_BY else None
    public = role is Role.ANONYME

    def draw() -> bytes:
        with tempfile.TemporaryDirectory(prefix="toiles-web-") as tmp:
            path = render(
                toile,
                "html",
                Path(tmp) / "toile.html",
                lang=lang,
                public=public,
                highlight=highlight,
                size_by=size,
                group_by=group,
                # the page around the frame already says what the side panel would (title,
                # sources, mentions): the compact page gives the picture the whole frame,
                # and its « ☰ » button still opens the panel (legend, loops, details)
                embed=True,
            )
            return path.read_bytes()

    key = toile_fingerprint(toile) + repr((lang, public, highlight, size, group, "embed"))
    content = request.app.state.web_pictures.get_or_draw(key, draw)
    headers = {
        "Content-Security-Policy": "frame-ancestors 'self'",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    return Response(content, media_type="text/html; charset=utf-8", headers=headers)


@router.get("/toiles/{toile_id}/acteurs/{actor_id}", name="web_actor")
def actor_page(
    request: Request,
    toile_id: str,
    actor_id: str,
    store: StoreDep,
    visitor: VisitorDep,
    version: Version = None,
) -> Response:
    """An actor's sheet: identity, flows with partners, and what the analyses say of it.

    The analyses run as the panel's do (:func:`stored_report`: a kept result, or the API's
    child process within the analyses' budget); out of budget, the sheet says so.
    """
    role = visitor.role
    summary = visible_summary(store, store.get_summary(toile_id, version), role)
    detail = actor_detail(store, toile_id, actor_id, summary.version, role)
    names = _partner_names(store, toile_id, summary.version, role, detail.incoming, detail.outgoing)
    failed: list[str] = []

    def report(name: str, options: dict[str, object]) -> BaseModel | None:
        try:
            return stored_report(
                request.app.state.analyses,
                store,
                role.visibility,
                name,
                toile_id,
                summary.version,
                options,
            )
        except (AnalysisError, OverBudget) as exc:
            failed.append(str(exc))
            return None

    centrality = report("centrality", {})
    found_loops = report("loops", {})
    candidates = report("candidates", {"top": None})
    impact = report("impact", _panel_options("impact", [actor_id], None))
    rank = (
        next((r.rank for r in centrality.ranking if r.actor == actor_id), None)
        if isinstance(centrality, CentralityResult)
        else None
    )
    loops = (
        [" → ".join(loop.names) for loop in found_loops.loops if actor_id in loop.actors]
        if isinstance(found_loops, LoopsResult)
        else []
    )
    leads = (
        [c.reason for c in candidates.candidates if actor_id in {c.source, c.target}]
        if isinstance(candidates, CandidatesResult)
        else []
    )
    actor = detail.actor
    commune = communes().get(actor.commune_insee or "")
    zae_label = actor.zae
    if actor.zae:  # the business park by its name, as on the picture, not its bare id
        with contextlib.suppress(ActorNotFound):
            park = store.get_actor(
                toile_id, actor.zae, version=summary.version, visibility=role.visibility
            )
            zae_label = f"{park.name} ({park.id})"
    return page(
        request,
        visitor,
        "actor.html",
        {
            "s": summary,
            "a": actor,
            "kind_label": label(actor.kind, lang_of(request)),
            "naf_label": naf_label(actor.naf),
            "zae_label": zae_label,
            "commune_label": f"{commune.name} ({commune.insee})"
            if commune
            else actor.commune_insee,
            "incoming": detail.incoming,
            "outgoing": detail.outgoing,
            "names": names,
            "rank": rank,
            "loops": loops,
            "leads": leads,
            "impact": str(getattr(impact, "explanation", "")),
            "analyses_error": failed[0] if failed else None,  # the first says why; others alike
        },
    )


def _partner_names(  # the flows' other ends, read one by one
    store: ToileStore,
    toile_id: str,
    version: str,
    role: Role,
    incoming: list[Flow],
    outgoing: list[Flow],
) -> dict[str, str]:
    """Names of the actors at the other end of an actor's flows (no whole-graph read)."""
    names: dict[str, str] = {}
    for other in {f.source for f in incoming} | {f.target for f in outgoing}:
        with contextlib.suppress(ActorNotFound):
            actor = store.get_actor(toile_id, other, version=version, visibility=role.visibility)
            names[other] = actor.name
    return names


def _download(content: bytes, media: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/toiles/{toile_id}/affiche.{fmt}", name="web_poster")
def poster(  # the poster's options
    request: Request,
    toile_id: str,
    fmt: str,
    store: StoreDep,
    visitor: VisitorDep,
    version: Version = None,
    paper: Annotated[str, Query(max_length=2)] = "A3",
    full: bool = False,  # a query flag
) -> Response:
    """A poster, public or (for a signed-in visitor) everything their role may see."""
    from toiles.viz import render  # noqa: PLC0415

    if fmt not in POSTER_FORMATS or paper not in PAPERS:
        raise ApiError(status.HTTP_404_NOT_FOUND, "affiche introuvable (png, svg ou pdf ; A4 à A0)")
    if full and visitor.role is Role.ANONYME:
        raise ApiError(status.HTTP_401_UNAUTHORIZED, "connectez-vous pour l'affiche complète")
    level = visitor.role.visibility if full else Confidentiality.PUBLIC
    toile = store.get_toile(toile_id, version, visibility=level)
    with tempfile.TemporaryDirectory(prefix="toiles-web-") as tmp:
        path = render(
            toile,
            fmt,
            Path(tmp) / f"affiche.{fmt}",
            lang=lang_of(request),
            public=not full,
            paper=paper,
            dpi=120,
        )
        content = path.read_bytes()
    media = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}[fmt]
    kind = "complete" if full else "publique"
    return _download(content, media, f"{toile.id}-{toile.version}-{paper}-{kind}.{fmt}")


@router.get("/toiles/{toile_id}/sankey.html", name="web_sankey")
def sankey(
    request: Request, toile_id: str, store: StoreDep, visitor: VisitorDep, version: Version = None
) -> Response:
    """The Sankey diagram of what the visitor may see (an offline HTML page)."""
    from toiles.viz import render  # noqa: PLC0415

    toile = store.get_toile(toile_id, version, visibility=visitor.role.visibility)
    with tempfile.TemporaryDirectory(prefix="toiles-web-") as tmp:
        path = render(
            toile,
            "sankey",
            Path(tmp) / "sankey.html",
            lang=lang_of(request),
            public=visitor.role is Role.ANONYME,
        )
        content = path.read_bytes()
    return _download(content, "text/html; charset=utf-8", f"{toile.id}-{toile.version}-sankey.html")


@router.get("/toiles/{toile_id}/export.{fmt}", name="web_export")
def export(
    toile_id: str,
    fmt: ExportFormat,
    store: StoreDep,
    visitor: VisitorDep,
    version: Version = None,
    excel: bool = False,  # a query flag
) -> Response:
    """Every export format of the API, for the visitor's role (the API's own code)."""
    return export_toile_route(toile_id, fmt, store, visitor.role, version, excel)


@router.get("/langue/{lang}", name="web_lang")
def switch_lang(
    lang: str, next_: Annotated[str, Query(alias="next", max_length=2000)] = "/"
) -> Response:
    """Switch the language of the pages (French or English) and go back to the page."""
    target = next_ if next_.startswith("/") and not next_.startswith("//") else "/"
    response = RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        LANG_COOKIE, "en" if lang == "en" else "fr", samesite="strict", httponly=True, path="/"
    )
    return response
