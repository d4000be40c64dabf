"""The registry of reports used by the CLI and the API: options, errors, JSON, tables."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from toiles.analysis import REPORTS, report_table, run_report
from toiles.errors import ActorNotFound, AnalysisError
from toiles.synthetic import example_graph

OPTIONS = {
    "impact": {"actors": ["chaufferie"]},
}


def _run(name: str) -> BaseModel:
    other = example_graph() if REPORTS[name].needs_other else None
    return run_report(name, example_graph(), OPTIONS.get(name), other=other)


def test_reports_registry_names():
    assert list(REPORTS) == [
        "centrality",
        "loops",
        "cycling",
        "candidates",
        "impact",
        "communities",
        "gaps",
        "diff",
    ]
    for name, spec in REPORTS.items():
        assert spec.name == name
        assert spec.title
        for field in spec.options.model_fields.values():
            assert field.description, f"{name}: option without a French description"


@pytest.mark.parametrize("name", list(REPORTS))
def test_run_report_json_serialisable(name):
    result = _run(name)
    assert isinstance(result, REPORTS[name].result)
    data = result.model_dump(mode="json")
    assert data["report"] == name
    assert json.loads(json.dumps(data)) == data
    assert result.explanation


@pytest.mark.parametrize("name", list(REPORTS))
def test_report_table_renders_french(name):
    tables = report_table(_run(name))
    tables = tables if isinstance(tables, list) else [tables]
    assert all(isinstance(t, Table) for t in tables)
    console = Console(record=True, width=200)
    for table in tables:
        console.print(table)
    assert console.export_text()


def test_run_report_deterministic():
    for name in REPORTS:
        assert _run(name).model_dump_json() == _run(name).model_dump_json()


def test_run_report_unknown_report():
    with pytest.raises(AnalysisError, match="Rapport inconnu « centralite »"):
        run_report("centralite", example_graph())


def test_run_report_bad_option_in_french():
    with pytest.raises(AnalysisError) as info:
        run_report("candidates", example_graph(), {"radius_km": -2})
    assert str(info.value) == (
        "Options invalides pour le rapport candidates : option « radius_km » : "
        "doit être supérieur ou égal à 0 (reçu -2)."
    )


def test_run_report_unknown_option():
    with pytest.raises(AnalysisError, match="option « rayon » : option inconnue"):
        run_report("candidates", example_graph(), {"rayon": 3})


def test_run_report_bad_family():
    with pytest.raises(AnalysisError, match="option « family » : valeurs possibles"):
        run_report("centrality", example_graph(), {"family": "chaleur"})


def test_run_report_missing_actor_option():
    with pytest.raises(AnalysisError, match="option « actors » : option obligatoire"):
        run_report("impact", example_graph())


def test_run_report_unknown_actor():
    with pytest.raises(ActorNotFound, match="n'existe pas"):
        run_report("impact", example_graph(), {"actors": ["usine-fantome"]})


def test_run_report_diff_needs_other():
    with pytest.raises(AnalysisError, match="--against"):
        run_report("diff", example_graph())


def test_run_report_no_quantities_in_family():
    with pytest.raises(AnalysisError, match="aucun flux entrant quantifié en volume"):
        run_report("cycling", example_graph(), {"family": "volume"})


def test_run_report_options_coerced_from_strings():
    # The CLI passes text: numbers and booleans are read from it.
    result = run_report("candidates", example_graph(), {"radius_km": "10", "top": "2"})
    assert len(result.candidates) == 2
