"""The one place where domain exceptions become HTTP status codes and JSON error bodies."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pydantic
from fastapi import Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from toiles.edit import EditConflict
from toiles.errors import (
    AnalysisError,
    InvalidCypher,
    OverBudget,
    RevisionConflict,
    StoreError,
    StoreUnavailable,
    ToilesError,
    TooLarge,
    UnitError,
    ValidationError,
    WriteRefused,
)
from toiles.loaders.validate import problems_from_pydantic, pydantic_message

if TYPE_CHECKING:
    from fastapi import FastAPI

_log = logging.getLogger("toiles.api")

# Most specific first: the first match decides.
_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (EditConflict, status.HTTP_409_CONFLICT),
    (RevisionConflict, status.HTTP_409_CONFLICT),
    (WriteRefused, status.HTTP_403_FORBIDDEN),
    (InvalidCypher, status.HTTP_400_BAD_REQUEST),
    (TooLarge, status.HTTP_413_CONTENT_TOO_LARGE),
    (KeyError, status.HTTP_404_NOT_FOUND),  # ToileNotFound, ActorNotFound, FlowNotFound...
    (ValidationError, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (AnalysisError, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (UnitError, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (OverBudget, status.HTTP_503_SERVICE_UNAVAILABLE),
    (StoreUnavailable, status.HTTP_503_SERVICE_UNAVAILABLE),
    (StoreError, status.HTTP_503_SERVICE_UNAVAILABLE),
    (ValueError, status.HTTP_422_UNPROCESSABLE_CONTENT),
)


class ApiError(ToilesError):
    """An error decided by a route itself (permission, conflict), with its status code."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code


def status_of(exc: Exception) -> int:
    """The HTTP status code of a domain exception."""
    if isinstance(exc, ApiError):
        return exc.status_code
    for kind, code in _STATUS:
        if isinstance(exc, kind):
            return code
    return status.HTTP_500_INTERNAL_SERVER_ERROR


def _toiles_error(_request: Request, exc: Exception) -> JSONResponse:
    body: dict[str, object] = {"detail": str(exc)}
    if isinstance(exc, ValidationError) and len(exc.errors) == 1:
        only = exc.errors[0]
        body["detail"] = f"{only.column} : {only.message}" if only.column else only.message
    if isinstance(exc, ValidationError):
        body["problems"] = [
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "message": p.message,
                "value": p.value,
                "severity": p.severity,
            }
            for p in exc.problems
        ]
    code = status_of(exc)
    if isinstance(exc, StoreError) and code == status.HTTP_503_SERVICE_UNAVAILABLE:
        # The store's own message names its address or file: for the server's log only.
        _log.warning("base indisponible : %s", exc)
        body["detail"] = "base indisponible : réessayez dans quelques secondes"
    retry = isinstance(exc, StoreError | OverBudget) and code == status.HTTP_503_SERVICE_UNAVAILABLE
    headers = {"Retry-After": "5"} if retry else None
    return JSONResponse(body, status_code=code, headers=headers)


def _request_validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101  # registered for this type only
    problems = [
        {
            "column": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]),
            "message": pydantic_message(e),
        }
        for e in exc.errors()
    ]
    first = problems[0] if problems else {"column": "", "message": ""}
    detail = f"requête invalide : {first['column']} : {first['message']}"
    return JSONResponse(
        {"detail": detail, "problems": problems},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    messages = {404: "ressource introuvable", 405: "méthode non permise"}
    detail = exc.detail if isinstance(exc.detail, str) and exc.status_code not in messages else None
    return JSONResponse(
        {"detail": detail or messages.get(exc.status_code, str(exc.detail))},
        status_code=exc.status_code,
        headers=exc.headers,
    )


def _model_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, pydantic.ValidationError)  # noqa: S101  # registered for this type only
    problems = problems_from_pydantic(exc, "requête")
    return _toiles_error(request, ValidationError(problems, source="la requête"))


def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        {"detail": f"erreur interne du serveur ({type(exc).__name__})"},
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers: every error answers JSON with a clear ``detail``."""
    app.add_exception_handler(ToilesError, _toiles_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(pydantic.ValidationError, _model_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
