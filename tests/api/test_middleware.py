"""What the API checks before routes run: the key before the body, body caps, headers, CORS."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from toiles.access import Role
from toiles.api.app import create_app
from toiles.api.deps import get_store
from toiles.api.security import create_api_key
from toiles.graph_db.sqlite import SQLiteStore
from toiles.settings import Settings

MB = 1_000_000
API = "/api/v1"


def _post_counting(app: Any, headers: dict[str, str], chunks: int) -> tuple[int, int]:
    """POST ``chunks`` chunks of 1 MB straight to the ASGI app; return (status, chunks read)."""
    read = 0
    answer: dict[str, int] = {}
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    raw.append((b"content-type", b"multipart/form-data; boundary=x"))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"{API}/toiles/petite/import",
        "raw_path": f"{API}/toiles/petite/import".encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }

    head = b'--x\r\nContent-Disposition: form-data; name="files"; filename="t.zip"\r\n\r\n'

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        body = (head if read == 1 else b"") + b"0" * MB
        return {"type": "http.request", "body": body, "more_body": read < chunks}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]

    async def main() -> None:
        await app(scope, receive, send)

    anyio.run(main)
    return answer["status"], read


@pytest.fixture
def small_cap_app(api_store: SQLiteStore, tmp_path: Path) -> Any:
    settings = Settings(store=f"sqlite:///{tmp_path / 'unused.db'}", api_max_upload_mb=2)
    app = create_app(settings)
    app.dependency_overrides[get_store] = lambda: api_store
    return app


@pytest.mark.parametrize(
    ("role", "status"), [(Role.ANONYME, 401), (Role.PARTENAIRE, 403), ("inconnue", 401)]
)
def test_body_is_not_read_before_the_key_is_checked(
    small_cap_app: Any,
    keys: dict[Role, dict[str, str]],
    role: Role | str,
    status: int,
) -> None:
    headers = keys[role] if isinstance(role, Role) else {"Authorization": "Bearer tk_faux"}
    answer, read = _post_counting(small_cap_app, headers, chunks=300)
    assert answer == status
    assert read == 0  # 300 MB announced, not one byte read


def test_body_over_the_cap_is_413_after_the_cap_only(
    small_cap_app: Any,
    keys: dict[Role, dict[str, str]],
) -> None:
    answer, read = _post_counting(small_cap_app, keys[Role.EDITEUR], chunks=300)
    assert answer == 413
    assert read <= 3  # stopped at the first megabyte past the 2 MB cap


def test_declared_length_over_the_cap_is_413_at_once(
    small_cap_app: Any,
    keys: dict[Role, dict[str, str]],
) -> None:
    headers = {**keys[Role.EDITEUR], "Content-Length": str(300 * MB)}
    answer, read = _post_counting(small_cap_app, headers, chunks=300)
    assert answer == 413
    assert read == 0


def test_zip_bomb_upload_is_413(client: TestClient, keys: dict[Role, dict[str, str]]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("actors.csv", b"0" * (60 * MB))  # over the default 50 MB cap
    response = client.post(
        f"{API}/toiles/petite/import",
        files={"files": ("t.zip", buffer.getvalue())},
        headers=keys[Role.EDITEUR],
    )
    assert response.status_code == 413
    assert "décompresse" in response.json()["detail"]


def test_yaml_bomb_upload_is_422(client: TestClient, keys: dict[Role, dict[str, str]]) -> None:
    from tests.loaders.test_yaml import BOMB

    response = client.post(
        f"{API}/toiles/petite/import",
        files={"files": ("toile.yaml", BOMB.encode())},
        headers=keys[Role.EDITEUR],
    )
    assert response.status_code == 422
    assert "ancre YAML" in response.json()["detail"]


def test_every_html_answer_has_the_frame_headers(client: TestClient) -> None:
    response = client.get(f"{API}/toiles/petite/render.html")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers["x-content-type-options"] == "nosniff"
    docs = client.get(f"{API}/docs")
    assert docs.headers["x-frame-options"] == "SAMEORIGIN"
    assert client.get("/healthz").headers["x-content-type-options"] == "nosniff"


def test_allowed_origins_from_a_plain_list_frame_and_cors(
    api_store: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "TOILES_API_ALLOWED_ORIGINS", "https://www.cabbalr.fr, https://agglo-lenslievin.fr/"
    )
    monkeypatch.setenv("TOILES_STORE", f"sqlite:///{tmp_path / 'unused.db'}")
    settings = Settings()
    assert settings.api_allowed_origins == ["https://www.cabbalr.fr", "https://agglo-lenslievin.fr"]
    app = create_app(settings)
    app.dependency_overrides[get_store] = lambda: api_store
    client = TestClient(app)
    origin = {"Origin": "https://www.cabbalr.fr"}
    response = client.get(f"{API}/toiles", headers=origin)
    assert response.headers["access-control-allow-origin"] == "https://www.cabbalr.fr"
    other = client.get(f"{API}/toiles", headers={"Origin": "https://ailleurs.example"})
    assert "access-control-allow-origin" not in other.headers
    page = client.get(f"{API}/toiles/petite/render.html")
    assert page.headers["content-security-policy"] == (
        "frame-ancestors 'self' https://www.cabbalr.fr https://agglo-lenslievin.fr"
    )
    assert "x-frame-options" not in page.headers


def test_allowed_origins_json_list_still_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOILES_API_ALLOWED_ORIGINS", '["https://a.fr"]')
    assert Settings().api_allowed_origins == ["https://a.fr"]


def test_key_with_role_anonyme_is_refused(
    client: TestClient, keys: dict[Role, dict[str, str]], api_store: SQLiteStore
) -> None:
    response = client.post(
        f"{API}/keys", json={"role": "anonyme", "name": "x"}, headers=keys[Role.ADMIN]
    )
    assert response.status_code == 422
    assert "rôle anonyme" in response.json()["detail"]
    with pytest.raises(ValueError, match="rôle anonyme"):
        create_api_key(api_store, role=Role.ANONYME, name="x")


@pytest.mark.parametrize(
    "params",
    [
        {"offset": "9223372036854775808"},
        {"offset": "1000000001"},
        {"q": "\x00\x00\x00"},
        {"q": "a" * 201},
    ],
)
@pytest.mark.parametrize("resource", ["actors", "flows"])
def test_odd_paging_and_text_are_422(
    client: TestClient, params: dict[str, str], resource: str
) -> None:
    if resource == "flows" and "q" in params:
        params = {"source": params["q"]}
    response = client.get(f"{API}/toiles/petite/{resource}", params=params)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert any(word in detail for word in ("contrôle", "trop long", "inférieur")), detail
