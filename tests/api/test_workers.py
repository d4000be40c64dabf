"""Analyses in child processes: stopped at their budget, bounded options, results kept."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from toiles.api.app import create_app
from toiles.api.deps import get_store
from toiles.api.workers import AnalysisRunner, _child
from toiles.errors import OverBudget
from toiles.graph_db.sqlite import SQLiteStore
from toiles.models import Actor, Flow, Toile
from toiles.settings import Settings

API = "/api/v1"


def dense_toile(n: int = 12) -> Toile:
    """The issue's toile: n actors, a flow each way between every pair (132 flows for 12)."""
    actors = [Actor(id=f"a{i}", name=f"Acteur {i}", kind="entreprise") for i in range(n)]
    flows = [
        Flow(id=f"f{i}-{j}", source=f"a{i}", target=f"a{j}", kind="chaleur")
        for i in range(n)
        for j in range(n)
        if i != j
    ]
    return Toile(id="dense", name="Dense", theme="energie", actors=actors, flows=flows)


@pytest.fixture
def dense_client(tmp_path: Path) -> Iterator[TestClient]:
    store = SQLiteStore(tmp_path / "dense.db")
    store.save_toile(dense_toile())
    settings = Settings(store=f"sqlite:///{tmp_path / 'unused.db'}", analysis_timeout_s=3.0)
    app = create_app(settings)
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app) as client:  # starts the process that forks the analyses
        yield client


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_run_blocking_kills_the_child_at_its_deadline() -> None:
    runner = AnalysisRunner(processes=1, timeout_s=0.5)
    runner.start()
    pids: set[int] = set()
    watcher = threading.Thread(target=lambda: _watch(runner, pids), daemon=True)
    watcher.start()
    started = time.monotonic()
    with pytest.raises(OverBudget, match=r"plus de 0,5 s de calcul"):
        runner.run_blocking(time.sleep, 60, deadline=time.monotonic() + 0.5)
    assert time.monotonic() - started < 3
    watcher.join()
    assert pids, "the analysis ran in a child process"
    assert not any(_alive(pid) for pid in pids)  # stopped, not left computing
    assert not runner.running


def _watch(runner: AnalysisRunner, pids: set[int]) -> None:
    end = time.monotonic() + 2
    while time.monotonic() < end and not pids:
        pids.update(runner.running)
        time.sleep(0.01)


def test_child_stops_itself_when_nobody_watches_its_budget() -> None:
    runner = AnalysisRunner(processes=1)
    runner.start()
    receiver, sender = runner._context.Pipe(duplex=False)
    process = runner._context.Process(  # a child whose server is gone
        target=_child, args=(sender, time.sleep, (60,), 0.5), daemon=True
    )
    started = time.monotonic()
    process.start()
    process.join(timeout=10)
    assert process.exitcode == -signal.SIGALRM
    assert time.monotonic() - started < 5
    receiver.close()
    sender.close()


def test_run_blocking_refuses_when_every_slot_is_busy() -> None:
    runner = AnalysisRunner(processes=1, timeout_s=1)
    assert runner._slots.acquire(timeout=1)  # another analysis holds the slot
    with pytest.raises(OverBudget, match="trop d'analyses en cours"):
        runner.run_blocking(time.sleep, 0, deadline=time.monotonic() + 0.2)


def test_loops_options_beyond_their_caps_are_422(dense_client: TestClient) -> None:
    started = time.monotonic()
    response = dense_client.get(
        f"{API}/toiles/dense/analysis/loops", params={"max_length": 20, "max_count": 1_000_000_000}
    )
    assert response.status_code == 422
    assert "inférieur ou égal" in response.json()["detail"] or "≤" in response.json()["detail"]
    assert time.monotonic() - started < 2


def test_loops_within_caps_answers_and_is_kept(dense_client: TestClient) -> None:
    params = {"max_length": 12, "max_count": 1000}
    first = dense_client.get(f"{API}/toiles/dense/analysis/loops", params=params)
    assert first.status_code == 200, first.text
    assert len(first.json()["loops"]) == 1000
    started = time.monotonic()
    again = dense_client.get(f"{API}/toiles/dense/analysis/loops", params=params)
    assert again.json() == first.json()
    assert time.monotonic() - started < 1  # from the cache, not recomputed


def test_analysis_over_budget_is_503_in_french(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "dense.db")
    store.save_toile(dense_toile())
    app = create_app(
        Settings(store=f"sqlite:///{tmp_path / 'unused.db'}", analysis_timeout_s=0.001)
    )
    app.dependency_overrides[get_store] = lambda: store
    response = TestClient(app).get(f"{API}/toiles/dense/analysis/communities")
    assert response.status_code == 503
    assert response.json()["detail"].startswith("analyse arrêtée")
    assert response.headers["retry-after"] == "5"


@pytest.mark.parametrize(
    ("report", "params"),
    [
        ("candidates", {"radius_km": "inf"}),
        ("candidates", {"max_distance_km": "1e300"}),
        ("candidates", {"heat_price": "nan"}),
        ("candidates", {"lifetime_years": "1000000"}),
        ("centrality", {"top": "100000000"}),
        ("communities", {"resolution": "1e9"}),
        ("impact", {"actors": "a0", "max_rounds": "1000000000"}),
    ],
)
def test_every_option_is_bounded(
    dense_client: TestClient, report: str, params: dict[str, str]
) -> None:
    response = dense_client.get(f"{API}/toiles/dense/analysis/{report}", params=params)
    assert response.status_code == 422, response.text


def test_kept_result_follows_the_revision(tmp_path: Path) -> None:
    from tests.conftest import small_toile

    store = SQLiteStore(tmp_path / "kept.db")
    toile = small_toile("kept")
    store.save_toile(toile)
    app = create_app(Settings(store=f"sqlite:///{tmp_path / 'unused.db'}"))
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app) as client:
        url = f"{API}/toiles/kept/analysis/cycling"
        before = client.get(url).json()
        flows = tuple(
            f.model_copy(update={"quantity": f.quantity * 10}) if f.quantity else f
            for f in toile.flows
        )
        store.save_toile(toile.model_copy(update={"flows": flows}))  # same counts, new revision
        after = client.get(url).json()
    assert after != before


def test_web_panel_analysis_keeps_the_api_budget(tmp_path: Path) -> None:
    # The web application's analyses panel runs its report in the same killable child
    # process as the API: over budget, the page says so in French instead of computing on.
    store = SQLiteStore(tmp_path / "dense.db")
    store.save_toile(dense_toile())
    app = create_app(
        Settings(store=f"sqlite:///{tmp_path / 'unused.db'}", analysis_timeout_s=0.001)
    )
    app.dependency_overrides[get_store] = lambda: store
    page = TestClient(app).get("/toiles/dense", params={"analysis": "communities"})
    assert page.status_code == 200
    assert "analyse arrêtée" in page.text


@pytest.mark.parametrize(("budget_s", "drawn"), [(0.001, False), (30.0, True)])
def test_web_picture_overlay_keeps_the_api_budget(
    tmp_path: Path, budget_s: float, drawn: bool
) -> None:
    # The web picture's overlays (loops here) come from the same budgeted, kept report call
    # as the analyses panel, never from an analysis run in the request's thread: out of
    # budget, the picture is drawn without them (the panel says why).
    from tests.viz.test_html import page_json
    from toiles.loaders import load_toile
    from toiles.reference import reference_dir

    store = SQLiteStore(tmp_path / "energie.db")
    store.save_toile(load_toile(reference_dir("artois-energie-T0")))
    settings = Settings(store=f"sqlite:///{tmp_path / 'unused.db'}", analysis_timeout_s=budget_s)
    app = create_app(settings)
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app) as client:
        picture = client.get("/toiles/artois-energie/toile.html", params={"analysis": "loops"})
    assert picture.status_code == 200
    highlight = page_json(picture.text)["highlight"]
    if drawn:
        assert highlight["title"] == "Boucles existantes"
        assert highlight["layers"]
    else:
        assert highlight is None


def test_web_actor_sheet_analyses_keep_the_api_budget(tmp_path: Path) -> None:
    # What the analyses say of an actor comes from the same budgeted report call: out of
    # budget, the sheet says so in French instead of computing in the request's thread.
    from toiles.loaders import load_toile
    from toiles.reference import reference_dir

    store = SQLiteStore(tmp_path / "energie.db")
    store.save_toile(load_toile(reference_dir("artois-energie-T0")))
    url = "/toiles/artois-energie/acteurs/ent-cogen-mazingarbe"
    for budget_s in (0.001, 30.0):
        app = create_app(
            Settings(store=f"sqlite:///{tmp_path / 'unused.db'}", analysis_timeout_s=budget_s)
        )
        app.dependency_overrides[get_store] = lambda: store
        with TestClient(app) as client:
            sheet = client.get(url)
        assert sheet.status_code == 200
        if budget_s < 1:
            assert "analyse arrêtée" in sheet.text
            assert "Boucles où il figure" not in sheet.text
        else:
            assert "analyse arrêtée" not in sheet.text
            assert "Rang parmi les acteurs clés" in sheet.text
            assert "n° " in sheet.text  # the cogeneration plant ranks among the key actors
