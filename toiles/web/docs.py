"""The API's documentation pages (Swagger UI and ReDoc) with their assets served locally.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, so they stay blank on a machine
without internet. The assets here come from the ``fastapi-offline`` package on PyPI
(MIT licence), which ships Swagger UI 5 (``swagger-ui-bundle.js``, ``swagger-ui.css``) and
ReDoc 2 (``redoc.standalone.js``) in its wheel: they are served under
``/api/v1/docs-assets/`` and the pages point at those local URLs only (ReDoc's Google
fonts and Swagger UI's online validator are turned off).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.staticfiles import StaticFiles

if TYPE_CHECKING:
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse


def docs_assets() -> Path:
    """The folder of the Swagger UI and ReDoc files shipped by ``fastapi-offline``."""
    import fastapi_offline  # noqa: PLC0415  # only its static folder is used

    return Path(fastapi_offline.__file__).resolve().parent / "static"


def install_docs(app: FastAPI, prefix: str) -> None:
    """Serve ``{prefix}/docs`` and ``{prefix}/redoc`` from local assets."""
    assets = f"{prefix}/docs-assets"
    app.mount(assets, StaticFiles(directory=docs_assets()), name="docs-assets")
    openapi_url = app.openapi_url or f"{prefix}/openapi.json"
    title = f"{app.title} — API"

    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=title,
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None},
        )

    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=title,
            redoc_js_url=f"{assets}/redoc.standalone.js",
            redoc_favicon_url=f"{assets}/favicon.png",
            with_google_fonts=False,
        )

    app.add_api_route(f"{prefix}/docs", swagger, include_in_schema=False, methods=["GET"])
    app.add_api_route(f"{prefix}/redoc", redoc, include_in_schema=False, methods=["GET"])
