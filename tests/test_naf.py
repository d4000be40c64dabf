"""INSEE's NAF rév. 2 labels bundled with the package, and how codes are shown."""

from __future__ import annotations

import collections
import csv

from hypothesis import given, settings
from hypothesis import strategies as st

from toiles.loaders import load_toile
from toiles.naf import naf_code_of, naf_display, naf_label, naf_labels
from toiles.reference import reference_dirs


def test_naf_labels_hold_the_five_levels_of_naf_rev2():
    # INSEE publishes NAF rév. 2 as 21 sections, 88 divisions, 272 groups, 615 classes and
    # 732 sub-classes (insee.fr, « Nomenclature d'activités française – NAF rév. 2 »).
    from toiles.naf import _TABLE

    with _TABLE.open(encoding="utf-8", newline="") as handle:
        levels = collections.Counter(row["niveau"] for row in csv.DictReader(handle))
    assert levels == {
        "section": 21,
        "division": 88,
        "groupe": 272,
        "classe": 615,
        "sous-classe": 732,
    }
    assert len(naf_labels()) == 1728


def test_naf_label_real_codes_at_every_level():
    assert naf_label("24.10Z") == "Sidérurgie"
    assert naf_label("10.51A") == "Fabrication de lait liquide et de produits frais"
    assert naf_label("10.51") == "Exploitation de laiteries et fabrication de fromage"
    assert naf_label("35.30Z") == "Production et distribution de vapeur et d'air conditionné"
    assert naf_label("38.21Z") == "Traitement et élimination des déchets non dangereux"
    assert naf_label("24.10") == "Sidérurgie"
    assert naf_label("24.1") == "Sidérurgie"
    assert naf_label("24") == "Métallurgie"
    assert naf_label("C") == "INDUSTRIE MANUFACTURIÈRE"


def test_naf_label_accepts_codes_without_dot_and_in_lower_case():
    assert naf_label("2410Z") == naf_label(" 24.10z ") == naf_label("2410") == "Sidérurgie"


def test_naf_label_unknown_codes_give_none():
    for code in ("27.1Y", "55.5A", "24.99Q", "2499", "", None, "<b>24.10Z</b>", "Z"):
        assert naf_label(code) is None, code


def test_naf_display_with_label_or_bare():
    assert naf_display("24.10Z") == "24.10Z — Sidérurgie"
    assert naf_display("27.1Y") == "27.1Y"  # NAFRev1, as old SIRENE rows carry
    assert naf_display("24.99Q") == "24.99Q"  # well shaped, but no such sub-class


def test_naf_code_of_reads_back_what_naf_display_wrote():
    for code in ("24.10Z", "35.30Z", "24.99Q"):
        assert naf_code_of(naf_display(code)) == code


def test_every_naf_code_of_the_reference_toiles_has_its_label():
    codes = {
        actor.naf
        for folder in reference_dirs()
        for actor in load_toile(folder).actors
        if actor.naf is not None
    }
    assert len(codes) > 40
    assert {code for code in codes if naf_label(code) is None} == set()


@settings(max_examples=200, derandomize=True)
@given(st.text())
def test_naf_display_never_fails_and_starts_with_the_code(text: str):
    shown = naf_display(text)
    assert shown.startswith(text)
