"""Diff between two versions of a toile."""

from __future__ import annotations

from toiles.analysis import toile_diff


def _versions(build):
    actors = [("a", "entreprise"), ("b", "entreprise")]
    old = build(
        [*actors, ("c", "commune")],
        [
            ("a", "b", "chaleur", 1.0, "GWh", {"id": "f1"}),
            ("a", "b", "vapeur", 10.0, "t", {"id": "f2"}),
            ("b", "a", "chaleur_fatale", 500.0, "MWh", {"id": "f3", "status": "potentiel"}),
            ("b", "c", "service", None, None, {"id": "f4"}),
        ],
    )
    new = build(
        [*actors, ("d", "entreprise", {"employees": 3})],
        [
            ("a", "b", "chaleur", 1000.0, "MWh", {"id": "f1"}),
            ("a", "b", "vapeur", 12.5, "t", {"id": "f2"}),
            ("b", "a", "chaleur_fatale", 400.0, "MWh", {"id": "f3"}),
            ("a", "d", "electricite", 3.0, "MWh", {"id": "f5"}),
        ],
        version="T1",
    )
    return old, new


def test_toile_diff_hand_worked(build):
    d = toile_diff(*_versions(build))
    assert (d.old_version, d.new_version) == ("T0", "T1")
    assert (d.actors_added, d.actors_removed) == (["d"], ["c"])
    assert [f.flow for f in d.flows_added] == ["f5"]
    assert [f.flow for f in d.flows_removed] == ["f4"]
    changed = {c.flow: c for c in d.flows_changed}
    # 1 GWh -> 1000 MWh: fields change, the quantity does not.
    assert changed["f1"].quantity_delta is None
    assert {c.field for c in changed["f1"].changes} == {"quantity", "unit"}
    assert changed["f2"].quantity_delta == 2.5
    assert changed["f3"].status_change == "potentiel → existant"
    assert changed["f3"].quantity_delta == -100.0
    assert "1 potentiel(s) devenu(s) existant(s)" in d.explanation


def test_toile_diff_same_version_is_empty(build):
    old, _ = _versions(build)
    d = toile_diff(old, old)
    assert not (d.actors_added)
    assert not (d.actors_removed)
    assert not (d.actors_changed)
    assert not (d.flows_added)
    assert not (d.flows_removed)
    assert not (d.flows_changed)


def test_toile_diff_actor_fields(build):
    old = build([("a", "entreprise", {"employees": 3})], [])
    new = build([("a", "entreprise", {"employees": 5, "zae": "z1"})], [])
    (change,) = toile_diff(old, new).actors_changed
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("employees", 3, 5),
        ("zae", None, "z1"),
    ]


def test_toile_diff_explanation_keeps_decimals_and_names_the_unit(build):
    # A sheet that came back with 22 kW corrected to 24,5: the report must not read "+2".
    d = toile_diff(*_versions(build))
    changed = {c.flow: c.explanation.replace("\u202f", " ") for c in d.flows_changed}
    assert changed["f2"].startswith("quantité +2,5 t")
    assert changed["f3"].startswith("quantité -100 MWh")


def test_toile_diff_reads_fields_and_kinds_as_words(build):
    from toiles.analysis._tables import report_table

    old = build(
        [("a", "entreprise"), ("b", "entreprise")],
        [("a", "b", "chaleur", 1.0, "MWh", {"id": "f1", "year": 2022})],
    )
    new = build(
        [("a", "entreprise"), ("b", "entreprise")],
        [
            ("a", "b", "chaleur", 1.0, "MWh", {"id": "f1", "year": 2023}),
            ("a", "b", "gaz_naturel", 2.0, "MWh", {"id": "f2"}),
        ],
        version="T1",
    )
    d = toile_diff(old, new)
    assert d.flows_changed[0].explanation == "champs modifiés : année"
    table = report_table(d)
    assert not isinstance(table, list)
    cells = [str(c) for column in table.columns for c in column._cells]
    assert "flux gaz naturel ajouté" in cells
