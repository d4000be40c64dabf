"""Pages of the web application: the Jinja2 environment, the page helper, HTML errors.

Templates are autoescaped: everything that comes from data (names, ids, messages) is
escaped when it reaches HTML. Routes of the web application use :class:`HtmlRoute`, so
that a domain error (a toile not found, a form the models refuse) answers a French page
with the status code the API would give (:func:`toiles.api.errors.status_of`), not JSON.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

from toiles.api.errors import status_of
from toiles.errors import ToilesError, ValidationError
from toiles.models.vocab import label
from toiles.web.i18n import lang_of, translator
from toiles.web.session import CSRF_COOKIE, csrf_token, set_cookie

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from toiles.web.session import Visitor

_HERE = Path(__file__).resolve().parent
TEMPLATES = _HERE / "templates"
STATIC = _HERE / "static"

#: Headers of every page: no framing by other sites, no sniffing, no referrer sent out.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
        "object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _url(path: str, **params: object) -> str:
    """A local URL with its query string; ``None`` parameters are left out."""
    kept = {k: str(v) for k, v in params.items() if v is not None and v != ""}
    return path + ("?" + urlencode(kept) if kept else "")


@functools.cache
def environment() -> jinja2.Environment:
    """The templates' environment, built once (autoescape on, undefined names are errors)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["url"] = _url
    env.filters["q"] = lambda text: quote(str(text), safe="")
    return env


def page(
    request: Request,
    visitor: Visitor,
    template: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page for a visitor: their language, role and form token come along."""
    lang = lang_of(request)
    token = csrf_token(request, visitor)
    body = (
        environment()
        .get_template(template)
        .render(
            request_path=request.url.path,
            request_query=request.url.query,
            lang=lang,
            t=translator(lang),
            visitor=visitor,
            role=visitor.role.value,
            csrf=token,
            lbl=lambda value: label(value, lang),
            **context,
        )
    )
    response = HTMLResponse(body, status_code=status_code, headers=PAGE_HEADERS)
    if visitor.csrf is None and request.cookies.get(CSRF_COOKIE) != token:
        set_cookie(request, response, CSRF_COOKIE, token)  # the double-submit token
    return response


def error_page(request: Request, exc: Exception) -> HTMLResponse:
    """A domain error as a French (or English) page with the API's status code."""
    from toiles.web.deps import visitor_of  # noqa: PLC0415  # deps imports this module

    problems = [str(p) for p in exc.problems] if isinstance(exc, ValidationError) else []
    visitor = visitor_of(request)
    return page(
        request,
        visitor,
        "error.html",
        {"message": str(exc), "problems": problems},
        status_code=status_of(exc),
    )


class HtmlRoute(APIRoute):
    """A route whose domain errors become an HTML page instead of the API's JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap FastAPI's handler: catch toiles errors and answer a page."""
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except ToilesError as exc:
                return error_page(request, exc)

        return route


def escape(text: object) -> str:
    """Escape a value for HTML built outside templates."""
    return html.escape(str(text))
