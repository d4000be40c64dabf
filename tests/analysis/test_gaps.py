"""Gaps: resources leaving unused and imports a local actor could supply."""

from __future__ import annotations

from toiles.analysis import gaps_report
from toiles.synthetic import example_graph


def test_gaps_report_hand_worked(build):
    G = build(
        [
            ("ext", "exterieur"),
            ("a", "entreprise", {"lat": 50.5, "lon": 2.6}),
            ("b", "entreprise", {"lat": 50.6, "lon": 2.6}),
            ("c", "entreprise", {"lat": 50.51, "lon": 2.6}),
        ],
        [
            ("a", "ext", "chaleur_fatale", 2.0, "GWh"),
            ("a", "ext", "dechets", 10.0, "t"),
            ("a", "ext", "dechets", 5000.0, "kg"),
            ("a", "ext", "sous_produit", 1.0, "t", {"status": "potentiel"}),
            ("ext", "b", "materiaux", 7.0, "t"),
            ("a", "c", "materiaux", 1.0, "t"),
            ("b", "c", "materiaux", 1.0, "t"),
        ],
    )
    r = gaps_report(G)
    assert [(u.kind, u.quantity_base) for u in r.unused] == [
        ("chaleur_fatale", 2000.0),
        ("dechets", 10.0),
        ("dechets", 5.0),
    ]
    # 10 t + 5,000 kg are added in tonnes.
    assert r.unused_totals == {"chaleur_fatale": {"energy": 2000.0}, "dechets": {"mass": 15.0}}
    (sub,) = r.substitutions
    # b imports materials; a supplies them (b itself does too, but it is the importer).
    assert (sub.importer, sub.kind, sub.local_suppliers) == ("b", "materiaux", ["a"])
    assert sub.quantity_base == 7.0


def test_gaps_report_example_toile():
    r = gaps_report(example_graph())
    assert [u.actor for u in r.unused] == ["verrerie", "scierie"]
    assert [s.importer for s in r.substitutions] == ["laiterie"]
    assert "importe biomasse" in r.substitutions[0].reason
