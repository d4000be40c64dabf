"""The demonstration's analysis step."""


def test_analyse_toile_without_centrality_skips_impact(monkeypatch) -> None:
    # A report the toile cannot support is left out; the closure needs centrality's ranking.
    from tests.conftest import small_toile
    from toiles import demo
    from toiles.analysis import REPORTS
    from toiles.errors import AnalysisError
    from toiles.graph import graph_from_toile

    def refuse(*_args: object) -> None:
        msg = "pas de quantités"
        raise AnalysisError(msg)

    spec = REPORTS["centrality"]
    monkeypatch.setitem(REPORTS, "centrality", type(spec)(**{**spec.__dict__, "run": refuse}))
    results = demo.analyse_toile(graph_from_toile(small_toile()))
    assert "centrality" not in results
    assert "impact" not in results
    assert "loops" in results


def test_analyse_toile_reads_key_actors_twice() -> None:
    from toiles.demo import analyse_toile
    from toiles.graph import graph_from_toile
    from toiles.loaders import load_toile
    from toiles.reference import reference_dir

    results = analyse_toile(graph_from_toile(load_toile(reference_dir("artois-energie-T0"))))
    everyone = results["centrality"]
    companies = results["centrality-companies"]
    assert everyone.view == "all"
    assert companies.view == "companies"
    assert {a.kind for a in companies.ranking} == {"entreprise"}
    assert "gestionnaire_reseau" in {a.kind for a in everyone.ranking}
    assert results["candidates"].networks


def test_load_reference_toiles_records_who_loaded_them(tmp_path) -> None:
    # The web application's « Historique » listed the demo's loads as « inconnu ».
    from toiles.demo import load_reference_toiles
    from toiles.graph_db.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "demo.db")
    toiles = load_reference_toiles(store)
    who = {r.who for t in toiles for r in store.list_edits(t.id, t.version)}
    assert who == {"toiles demo (toiles de référence)"}
