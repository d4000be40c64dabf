"""The web application: browse, analyse, edit and download toiles in the browser.

:func:`install_web` adds it to the API's FastAPI app (``toiles serve``): pages at ``/``,
their assets under ``/static/web/``, and the API's documentation pages served offline.
Pages use the same roles and confidentiality rules as the API (:mod:`toiles.access`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI


def install_web(app: FastAPI, *, api_prefix: str = "/api/v1") -> None:
    """Mount the web application and the offline API documentation on ``app``."""
    from fastapi.staticfiles import StaticFiles  # noqa: PLC0415

    from toiles.web import admin, auth, edit, neo4j_guide, pages  # noqa: PLC0415
    from toiles.web.docs import install_docs  # noqa: PLC0415
    from toiles.web.pictures import PictureCache  # noqa: PLC0415
    from toiles.web.render import STATIC  # noqa: PLC0415
    from toiles.web.session import SessionStore  # noqa: PLC0415

    app.state.web_sessions = SessionStore()
    app.state.web_pictures = PictureCache()
    install_docs(app, api_prefix)
    app.mount("/static/web", StaticFiles(directory=STATIC), name="web-static")
    for module in (auth, pages, edit, admin, neo4j_guide):
        app.include_router(module.router)
