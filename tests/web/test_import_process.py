"""Web uploads run in the API's killable child process, on a real `toiles serve`."""

from __future__ import annotations

import io
import re
import time
import zipfile
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.api._serve import serving
from toiles.access import Role
from toiles.api.security import create_api_key
from toiles.graph_db.sqlite import SQLiteStore
from toiles.loaders.files import save_toile
from toiles.synthetic import synthetic_toile

if TYPE_CHECKING:
    from pathlib import Path

#: Memory cap of the children for this test: a 200-actor import peaks near 140 MB here,
#: a 20,000-actor one near 290 MB (figures measured on the machine, RSS of the child).
CAP_MB = 200


def _zip_of(folder: Path, toile_id: str, actors: int) -> bytes:
    toile = synthetic_toile(actors, actors * 3 // 2, seed=1).model_copy(update={"id": toile_id})
    target = save_toile(toile, folder / toile_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(target.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


def _csrf(client: httpx.Client, path: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match is not None
    return match.group(1)


def _upload(client: httpx.Client, toile_id: str, data: bytes) -> httpx.Response:
    return client.post(
        "/importer",
        data={"toile_id": toile_id, "version": "", "csrf": _csrf(client, "/importer")},
        files={"files": (f"{toile_id}.zip", data, "application/zip")},
        timeout=120,
    )


@pytest.mark.slow
def test_web_import_keeps_the_api_memory_budget(tmp_path: Path) -> None:
    # Before, a web upload was imported in a thread of the server: no memory cap, and a
    # 20,000-actor zip was stored. It now runs in the child process of the API's imports.
    db = tmp_path / "serve.db"
    store = SQLiteStore(db)
    key, _ = create_api_key(store, role=Role.EDITEUR, name="Éditrice")
    store.close()
    big = _zip_of(tmp_path, "grande", 20_000)
    small = _zip_of(tmp_path, "petite", 200)
    env = {"TOILES_ANALYSIS_MAX_MEMORY_MB": str(CAP_MB)}
    with serving(db, env=env) as (base, _server), httpx.Client(base_url=base) as client:
        signed = client.post("/connexion", data={"key": key, "csrf": _csrf(client, "/connexion")})
        assert signed.status_code == 303  # signed in, sent on
        started = time.monotonic()
        refused = _upload(client, "grande", big)
        assert time.monotonic() - started < 60
        assert refused.status_code == 503, refused.text[-2000:]
        assert f"import arrêté : plus de {CAP_MB} Mo de mémoire" in refused.text
        assert httpx.get(f"{base}/healthz", timeout=2).status_code == 200
        accepted = _upload(client, "petite", small)
        assert accepted.status_code == 201, accepted.text[-2000:]
    store = SQLiteStore(db)
    assert [s.id for s in store.list_toiles()] == ["petite"]  # nothing of the refused one
    store.close()
