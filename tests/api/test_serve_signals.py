"""`toiles serve` as a process: it stops on SIGTERM even while heavy analyses run."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import threading
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.api._serve import serving
from tests.api.test_workers import dense_toile
from toiles.access import Role
from toiles.api.security import create_api_key
from toiles.graph_db.sqlite import SQLiteStore

API = "/api/v1"


@pytest.mark.slow
def test_serve_stops_on_sigterm_while_analyses_run(tmp_path: Path) -> None:
    # The finding: five heavy anonymous analyses made the process ignore SIGTERM.
    db = tmp_path / "serve.db"
    SQLiteStore(db).save_toile(dense_toile())
    with serving(db, env={"TOILES_ANALYSIS_TIMEOUT_S": "60"}) as (base, server):
        heavy = f"{base}{API}/toiles/dense/analysis/loops"
        params = {"max_length": "12", "max_count": "5000"}

        def ask() -> None:
            with contextlib.suppress(httpx.HTTPError):  # cut by the stopping server: expected
                httpx.get(heavy, params=params, timeout=30)

        askers = [threading.Thread(target=ask, daemon=True) for _ in range(5)]
        for asker in askers:
            asker.start()
        time.sleep(1.0)  # the analyses are running
        assert httpx.get(f"{base}/healthz", timeout=2).status_code == 200
        started = time.monotonic()
        os.killpg(server.pid, signal.SIGTERM)
        code = server.wait(timeout=20)
        stopped_in = time.monotonic() - started
    assert stopped_in < 10, stopped_in
    assert code in {0, -signal.SIGTERM}


def _import_zip(folder: Path, actors: int) -> bytes:
    from toiles.loaders.files import save_toile
    from toiles.synthetic import synthetic_toile

    toile = synthetic_toile(actors, actors * 3 // 2, seed=1).model_copy(update={"id": "grande"})
    target = save_toile(toile, folder / "import")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(target.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


@pytest.mark.slow
def test_reads_answer_while_a_big_import_runs(tmp_path: Path) -> None:
    # The finding: importing a 30,000-actor zip made a 4 ms read wait 8 s (the
    # import ran on the event loop). Reads must now answer while the import works.
    db = tmp_path / "serve.db"
    store = SQLiteStore(db)
    store.save_toile(dense_toile())
    key, _ = create_api_key(store, role=Role.EDITEUR, name="import")
    store.close()
    data = _import_zip(tmp_path, 20_000)
    answers: list[int] = []
    with serving(db) as (base, _server):

        def upload() -> None:
            answer = httpx.post(
                f"{base}{API}/toiles/grande/import",
                files={"files": ("grande.zip", data)},
                headers={"Authorization": f"Bearer {key}"},
                timeout=300,
            )
            answers.append(answer.status_code)

        uploader = threading.Thread(target=upload)
        started = time.monotonic()
        uploader.start()
        slowest = 0.0
        reads = 0
        while uploader.is_alive():
            asked = time.monotonic()
            assert httpx.get(f"{base}{API}/toiles", timeout=30).status_code == 200
            slowest = max(slowest, time.monotonic() - asked)
            reads += 1
            time.sleep(0.1)
        uploader.join()
        import_s = time.monotonic() - started
    assert answers == [201]
    assert reads >= 3, (reads, import_s)  # reads went on during the import
    assert slowest < max(1.0, import_s / 4), (slowest, import_s)
