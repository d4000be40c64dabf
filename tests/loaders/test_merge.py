"""Merging toiles: one actor per real actor, a person's entries kept, stable ids across runs."""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from toiles.cli import main
from toiles.errors import ValidationError
from toiles.loaders import load_toile
from toiles.loaders.merge import (
    CONFIRM_FILE,
    PROVENANCE_FILE,
    REPORT_FILE,
    MergeSource,
    merge_toiles,
    normalise_name,
    read_confirmations,
    read_contacts,
    read_previous_ids,
    write_merge,
)
from toiles.loaders.opendata import import_source
from toiles.models import Actor, Flow, Toile

OPENDATA = FIXTURES / "opendata"
CONTACTS = FIXTURES / "merge" / "contacts_epci_invente.csv"
IMPORTED = "Toile générée par « toiles import sirene » depuis un fichier."
SIRENE_ROW = "Base SIRENE des établissements — extrait.csv, ligne 2"


def toile(toile_id: str, *actors: Actor, flows: tuple[Flow, ...] = (), imported: bool) -> Toile:
    return Toile(
        id=toile_id,
        name=toile_id,
        theme="energie",
        description=IMPORTED if imported else "Saisie par l'EPCI",
        sources=("Base SIRENE des établissements : extrait.csv",) if imported else (),
        actors=actors,
        flows=flows,
    )


def actor(actor_id: str, name: str, **fields: object) -> Actor:
    data: dict[str, object] = {"kind": "entreprise", "commune_insee": "62119"}
    data.update(fields)
    return Actor.model_validate({"id": actor_id, "name": name, **data})


def sources(*toiles: Toile) -> list[MergeSource]:
    return [MergeSource.of(t) for t in toiles]


def by_id(t: Toile) -> dict[str, Actor]:
    return {a.id: a for a in t.actors}


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sucrerie Exemple S.A.S.", "sucrerie exemple"),
        ("SUCRERIE EXEMPLE", "sucrerie exemple"),
        ("SARL Aciérie-du-Nord", "acierie du nord"),
        ("Aciérie du Nord, S.A.R.L", "acierie du nord"),
        ("Dupont & Cie", "dupont"),
        ("Société Générale SA", "societe generale"),
        ("Salaisons (Ternois)", "salaisons ternois"),
    ],
)
def test_normalise_name_folds_case_accents_punctuation_legal_forms(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèêàçôûï", min_size=3, max_size=10),
        min_size=1,
        max_size=4,
    ),
    form=st.sampled_from(["", " SAS", " S.A.R.L.", " sarl", ", SA", " et Cie"]),
)
def test_normalise_name_ignores_case_and_legal_form_and_is_idempotent(
    words: list[str], form: str
) -> None:
    name = " ".join(words)
    key = normalise_name(name)
    assert normalise_name(name.upper() + form) == key
    assert normalise_name(key) == key


# --- matching rules -----------------------------------------------------------------------------


def test_merge_toiles_matches_siret_then_siren_commune_then_name_commune() -> None:
    sirene = toile(
        "sirene",
        actor(
            "etab-1", "ACME INDUSTRIE", siret="73282932000074", naf="24.10Z", provenance=SIRENE_ROW
        ),
        actor("etab-2", "BETA SAS", siret="55208131766522", provenance=SIRENE_ROW),
        actor("etab-3", "GAMMA", provenance=SIRENE_ROW, commune_insee="62498"),
        imported=True,
    )
    contacts = toile(
        "contacts",
        actor("c-acme", "Acme", siret="73282932000074"),
        actor("c-beta", "Bêta", siren="552081317"),
        actor("c-gamma", "Gamma S.A.", commune_insee="62498"),
        actor("c-delta", "Delta"),
        imported=False,
    )
    result = merge_toiles(sources(contacts, sirene))
    rules = {(r.source, r.actor_id): r.rule for r in result.report}
    assert rules[("sirene", "etab-1")] == "SIRET"
    assert rules[("sirene", "etab-2")] == "SIREN + commune"
    assert rules[("sirene", "etab-3")] == "nom normalisé + commune"
    assert rules[("contacts", "c-delta")] == "seul (aucune correspondance)"
    assert sorted(by_id(result.toile)) == ["c-acme", "c-beta", "c-delta", "c-gamma"]
    assert by_id(result.toile)["c-acme"].naf == "24.10Z"
    assert by_id(result.toile)["c-beta"].siret == "55208131766522"


def test_merge_toiles_never_merges_two_rows_of_one_source() -> None:
    one = toile(
        "irve",
        actor("st-1", "Parking de la gare", provenance=SIRENE_ROW),
        actor("st-2", "Parking de la gare", provenance=SIRENE_ROW),
        imported=True,
    )
    result = merge_toiles(sources(one))
    assert len(result.toile.actors) == 2
    assert result.uncertain == []


def test_merge_toiles_same_name_with_two_sirets_is_left_to_a_person() -> None:
    a = toile("a", actor("x", "Fonderie", siret="73282932000074"), imported=False)
    b = toile(
        "b", actor("y", "FONDERIE", siret="55208131766522", provenance=SIRENE_ROW), imported=True
    )
    result = merge_toiles(sources(a, b))
    assert len(result.toile.actors) == 2
    [pair] = result.uncertain
    assert pair.reason == "nom normalisé + commune identiques mais SIRET différents"
    assert pair.answer is None


def test_merge_toiles_lists_similar_names_and_siren_in_other_commune() -> None:
    a = toile(
        "contacts",
        actor("c1", "Papeterie de la Canche"),
        actor("c2", "Verrerie Exemple", siren="552081317"),
        imported=False,
    )
    b = toile(
        "sirene",
        actor("s1", "PAPETERIES DE LA CANCHE", provenance=SIRENE_ROW),
        actor(
            "s2",
            "VERRERIE EXEMPLE",
            siret="55208131766522",
            commune_insee="62498",
            provenance=SIRENE_ROW,
        ),
        imported=True,
    )
    result = merge_toiles(sources(a, b))
    reasons = {(p.a.actor_id, p.b.actor_id): p.reason for p in result.uncertain}
    assert reasons == {
        ("c1", "s1"): "noms voisins dans la même commune",
        ("c2", "s2"): "même SIREN, communes différentes",
    }
    assert len(result.toile.actors) == 4


# --- provenance and a person's entries ----------------------------------------------------------


def test_merge_toiles_person_wins_over_open_data_whatever_the_order() -> None:
    sirene = toile(
        "sirene",
        actor(
            "etab-1",
            "ACME",
            siret="73282932000074",
            employees=50,
            naf="24.10Z",
            provenance=SIRENE_ROW,
        ),
        imported=True,
    )
    contacts = toile(
        "contacts", actor("c1", "Acme Nord", siret="73282932000074", employees=62), imported=False
    )
    result = merge_toiles(sources(sirene, contacts))
    [merged] = result.toile.actors
    assert (merged.name, merged.employees, merged.naf) == ("Acme Nord", 62, "24.10Z")
    said = {(p.field, p.source, p.human) for p in result.provenance if p.element_id == merged.id}
    assert ("employees", "contacts", True) in said
    assert ("naf", "sirene", False) in said
    assert "Fusion : " in (merged.provenance or "")


def test_merge_toiles_row_rewritten_by_hand_in_an_import_counts_as_human() -> None:
    sirene = toile(
        "sirene",
        actor(
            "etab-1",
            "ACME CORRIGÉE",
            siret="73282932000074",
            employees=80,
            provenance="Appel à l'entreprise, mars 2026",
        ),
        imported=True,
    )
    other = toile(
        "sirene-2025",
        actor("old-1", "ACME", siret="73282932000074", employees=50, provenance=SIRENE_ROW),
        imported=True,
    )
    [merged] = merge_toiles(sources(other, sirene)).toile.actors
    assert (merged.name, merged.employees) == ("ACME CORRIGÉE", 80)


def test_merge_toiles_remaps_flows_and_merges_the_same_flow() -> None:
    heat = toile(
        "chaleur",
        actor("rcu", "Réseau de chaleur de Béthune", kind="equipement", provenance=SIRENE_ROW),
        actor("usine", "Sucrerie", siret="73282932000074", provenance=SIRENE_ROW),
        flows=(
            Flow(
                id="f1",
                source="usine",
                target="rcu",
                kind="chaleur_fatale",
                year=2024,
                temperature=90,
                provenance=SIRENE_ROW,
            ),
        ),
        imported=True,
    )
    contacts = toile(
        "contacts",
        actor("c-rcu", "Réseau de chaleur de Béthune", kind="equipement"),
        actor("c-sucrerie", "Sucrerie du Nord", siret="73282932000074"),
        flows=(
            Flow(
                id="g1",
                source="c-sucrerie",
                target="c-rcu",
                kind="chaleur_fatale",
                year=2024,
                quantity=12,
                unit="GWh",
                provenance="Entretien avec l'entreprise",
            ),
        ),
        imported=False,
    )
    result = merge_toiles(sources(heat, contacts))
    [flow] = result.toile.flows
    assert (flow.source, flow.target, flow.quantity, flow.unit, flow.temperature) == (
        "c-sucrerie",
        "c-rcu",
        12,
        "GWh",
        90,  # told by the heat-network import only: kept
    )
    assert flow.provenance == "Fusion : Entretien avec l'entreprise ; " + SIRENE_ROW
    said = {(p.field, p.value, p.source) for p in result.provenance if p.element == "flux"}
    assert {("quantity", "12.0", "contacts"), ("unit", "GWh", "contacts")} <= said


# --- files and runs -----------------------------------------------------------------------------


def imports(tmp_path: Path) -> list[Path]:
    """Toile folders written by today's importers from the Open Data fixtures."""
    folders = []
    for source, name in (
        ("sirene", "sirene_stock_reconstruit.csv"),
        ("reseaux-chaleur", "reseaux_chaleur_arrete_dpe_2026_extrait.csv"),  # real
        ("bnpe", "bnpe_site_export_reconstruit.csv"),
    ):
        folders.append(
            import_source(source, OPENDATA / name, territory="62", out=tmp_path / source)
        )
    return folders


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["toiles", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as info:
        main()
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_cli_merge_imports_and_contacts_then_confirmations_are_read_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folders = [str(f) for f in imports(tmp_path)]
    out = tmp_path / "t0"
    code, stdout, err = run(
        capsys,
        monkeypatch,
        "merge",
        str(CONTACTS),
        *folders,
        "--out",
        str(out),
        "--theme",
        "energie",
    )
    assert code == 0, err
    assert "Toile fusionnée" in stdout
    assert "contacts_epci_invente.csv:3: Commune: nom de commune lu comme le code INSEE 62498" in (
        stdout
    )
    merged = load_toile(out)
    assert merged.theme.value == "energie"
    report = rows(out / REPORT_FILE)
    sucrerie = [r for r in report if r["acteur_fusionne"] == "contact-sucrerie-exemple"]
    assert {(r["source"], r["regle"]) for r in sucrerie} == {
        ("contacts-epci-invente", "SIREN + commune"),
        ("sirene-departement-62", "SIREN + commune"),
    }
    heat = [r for r in report if r["id_dans_la_source"] == "rcu-6204c"]  # the real network
    assert [(r["acteur_fusionne"], r["regle"], r["cle"]) for r in heat] == [
        (
            "contact-reseau-de-chaleur-de-bethune",
            "nom normalisé + commune",
            "reseau de chaleur de bethune 62119",
        ),
    ]
    actor = by_id(merged)["contact-sucrerie-exemple"]
    assert (actor.employees, actor.naf, actor.siret) == (60, "10.81Z", "00123456600014")
    provenance = rows(out / PROVENANCE_FILE)
    assert {
        "element": "acteur",
        "id": "contact-sucrerie-exemple",
        "champ": "employees",
        "valeur": "60",
        "source": "contacts-epci-invente",
        "saisie_humaine": "oui",
        "ligne": "Contact EPCI (inventé)",
    } in provenance
    pending = rows(out / CONFIRM_FILE)
    assert [(p["id_a"], p["id_b"], p["confirmer"]) for p in pending] == [
        ("contact-ancienne-nomenclature-exemple-reconstruite", "etab-41234567000019", ""),
        ("contact-hors-territoire-exemple", "etab-61234567800017", ""),
    ]
    ids_before = sorted(by_id(merged))
    # A person answers in Excel: « oui » to the first pair, « Non » to the second, saved in cp1252.
    with (out / CONFIRM_FILE).open("w", encoding="cp1252", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(pending[0]), delimiter=";")
        writer.writeheader()
        writer.writerows([{**pending[0], "confirmer": "oui"}, {**pending[1], "confirmer": "Non"}])
    code, stdout, err = run(
        capsys, monkeypatch, "merge", str(CONTACTS), *folders, "--out", str(out)
    )
    assert code == 0, err
    again = load_toile(out)
    assert "etab-41234567000019" not in by_id(again)
    assert sorted(by_id(again)) == [i for i in ids_before if i != "etab-41234567000019"]
    answers = [(p["id_b"], p["confirmer"]) for p in rows(out / CONFIRM_FILE)]
    assert answers == [("etab-41234567000019", "oui"), ("etab-61234567800017", "non")]
    assert "0 à confirmer" in " ".join(stdout.split())


def test_write_merge_second_run_on_newer_files_keeps_ids_without_duplicates(tmp_path: Path) -> None:
    contacts = toile("contacts", actor("c-acme", "Acme", siren="732829320"), imported=False)
    sirene_v1 = toile(
        "sirene",
        actor(
            "etab-73282932000074",
            "ACME",
            siret="73282932000074",
            employees=10,
            provenance=SIRENE_ROW,
        ),
        imported=True,
    )
    out = tmp_path / "t0"
    write_merge(merge_toiles(sources(sirene_v1)), out)
    first = load_toile(out)
    assert sorted(by_id(first)) == ["etab-73282932000074"]
    # Newer file: the same establishment with a new headcount, and a new one.
    sirene_v2 = toile(
        "sirene",
        actor(
            "etab-73282932000074",
            "ACME",
            siret="73282932000074",
            employees=20,
            provenance=SIRENE_ROW,
        ),
        actor("etab-55208131766522", "BETA", siret="55208131766522", provenance=SIRENE_ROW),
        imported=True,
    )
    # The contacts join now and would give their id (a person's row comes first) without the
    # earlier report; with it, the actor keeps the id it had.
    result = merge_toiles(
        sources(contacts, sirene_v2), previous_ids=read_previous_ids(out / REPORT_FILE)
    )
    write_merge(result, out)
    second = by_id(load_toile(out))
    assert sorted(second) == ["etab-55208131766522", "etab-73282932000074"]
    assert second["etab-73282932000074"].employees == 20
    assert merge_toiles(sources(contacts, sirene_v2)).toile.actors[0].id == "c-acme"


def test_cli_merge_bad_answer_names_file_and_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folders = [str(f) for f in imports(tmp_path)]
    out = tmp_path / "t0"
    assert run(capsys, monkeypatch, "merge", str(CONTACTS), *folders, "--out", str(out))[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    pending = rows(out / CONFIRM_FILE)
    with (out / CONFIRM_FILE).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(pending[0]), delimiter=";")
        writer.writeheader()
        writer.writerows([{**pending[0], "confirmer": "peut-être"}, pending[1]])
    before[CONFIRM_FILE] = (out / CONFIRM_FILE).read_bytes()
    code, stdout, err = run(
        capsys, monkeypatch, "merge", str(CONTACTS), *folders, "--out", str(out)
    )
    assert code == 1
    assert (
        f"{CONFIRM_FILE}:2: confirmer: « oui » ou « non » attendu (valeur : « peut-être »)"
        in stdout
    )
    assert "rien n'a été écrit" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_read_contacts_xlsx_reports_file_line_and_column(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nom", "SIRET", "Commune"])
    sheet.append(["Sucrerie Exemple", "00123456600014", "Béthune"])
    sheet.append(["Erreur Exemple", "123", "62119"])
    path = tmp_path / "contacts.xlsx"
    book.save(path)
    with pytest.raises(ValidationError) as info:
        read_contacts(path)
    assert [str(p) for p in info.value.errors] == [
        f"{path}:3: SIRET: un SIRET a 14 chiffres (valeur : « 123 »)"
    ]
    sheet.delete_rows(3)
    book.save(path)
    contacts = read_contacts(path)
    [only] = contacts.actors
    assert (only.id, only.kind.value, only.commune_insee) == (
        "contact-sucrerie-exemple",
        "entreprise",
        "62119",
    )
    assert only.provenance == "Tableur de contacts contacts.xlsx, ligne 2"


def test_read_confirmations_unknown_columns_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / CONFIRM_FILE
    shutil.copy(CONTACTS, path)
    with pytest.raises(ValidationError, match="colonne obligatoire absente"):
        read_confirmations(path)


def test_cli_merge_reads_a_stored_toile_and_humain_marks_a_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from toiles.graph_db import open_store
    from toiles.settings import get_settings

    url = f"sqlite:///{tmp_path / 'merge.db'}"
    sirene = toile(
        "sirene-stockee",
        actor("etab-1", "ACME", siret="73282932000074", employees=10, provenance=SIRENE_ROW),
        imported=True,
    )
    open_store(url).save_toile(sirene)
    edited = toile(
        "releve-terrain",
        actor("r1", "ACME USINE", siret="73282932000074", employees=14, provenance=SIRENE_ROW),
        imported=True,  # an import a person corrected by hand: --humain says so
    )
    folder = tmp_path / "releve"
    from toiles.loaders import save_toile

    save_toile(edited, folder)
    monkeypatch.setenv("TOILES_STORE", url)
    get_settings.cache_clear()
    try:
        out = tmp_path / "t0"
        code, stdout, err = run(
            capsys,
            monkeypatch,
            "merge",
            "sirene-stockee",
            str(folder),
            "--humain",
            str(folder),
            "--out",
            str(out),
        )
    finally:
        get_settings.cache_clear()
    assert code == 0, err
    assert "releve-terrain (saisie humaine)" in stdout
    assert "sirene-stockee (Open Data)" in stdout
    [merged] = load_toile(out).actors
    assert (merged.id, merged.name, merged.employees) == ("r1", "ACME USINE", 14)


def test_cli_merge_unknown_source_exits_1_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOILES_STORE", f"sqlite:///{tmp_path / 'vide.db'}")
    from toiles.settings import get_settings

    get_settings.cache_clear()
    try:
        code, _, err = run(
            capsys,
            monkeypatch,
            "merge",
            str(CONTACTS),
            "pas-de-toile",
            "--out",
            str(tmp_path / "t0"),
        )
    finally:
        get_settings.cache_clear()
    assert code == 1
    assert "pas-de-toile" in err
    assert not (tmp_path / "t0").exists()


def test_merge_toiles_epci_and_point_agree_with_the_commune_kept() -> None:
    # The person places the plant in Béthune (CABBALR); SIRENE has the head office in Lens.
    sirene = toile(
        "sirene",
        actor(
            "etab-1",
            "ACME",
            siret="73282932000074",
            commune_insee="62498",
            epci="CALL",
            lat=50.43,
            lon=2.83,
            provenance=SIRENE_ROW,
        ),
        actor(
            "etab-2",
            "ACME",
            siret="73282932000157",
            commune_insee="62119",
            lat=50.53,
            lon=2.64,
            provenance=SIRENE_ROW,
        ),
        imported=True,
    )
    contacts = toile(
        "contacts",
        actor("c1", "Acme", siret="73282932000074", commune_insee="62119"),
        imported=False,
    )
    merged = by_id(merge_toiles(sources(sirene, contacts)).toile)
    assert sorted(merged) == ["c1", "etab-2"]  # another SIRET is another establishment
    c1 = merged["c1"]
    assert (c1.siret, c1.commune_insee, c1.epci, c1.lat, c1.lon) == (
        "73282932000074",
        "62119",
        "CABBALR",
        None,
        None,
    )


def test_merge_toiles_non_keeps_apart_even_what_a_rule_would_merge() -> None:
    from toiles.loaders.merge import MemberRef, UncertainPair

    a = toile("contacts", actor("c1", "Garage du Centre"), imported=False)
    b = toile("sirene", actor("s1", "GARAGE DU CENTRE", provenance=SIRENE_ROW), imported=True)
    assert len(merge_toiles(sources(a, b)).toile.actors) == 1
    no = UncertainPair(
        MemberRef("sirene", "s1"), MemberRef("contacts", "c1"), "homonymes", 0.0, "non"
    )
    result = merge_toiles(sources(a, b), confirmations={no.key: no})
    assert len(result.toile.actors) == 2
    assert [(p.reason, p.answer) for p in result.uncertain] == [("homonymes", "non")]


def test_read_contacts_commune_names_of_all_france_and_homonyms(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        "Nom;Commune\nUsine A;Amiens\nUsine B;Rue (80)\nUsine C;80330 Longueau\nUsine D;Beaumont\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        read_contacts(path)
    [problem] = info.value.errors
    assert problem.line == 5
    assert "communes portent ce nom : Beaumont (07029)" in problem.message
    assert "« Beaumont (07) »" in problem.message
    path.write_text(path.read_text(encoding="utf-8").replace("Beaumont", "Beaumont (63)"))
    communes = [a.commune_insee for a in read_contacts(path).actors]
    assert communes == ["80021", "80688", "80489", "63032"]


def test_read_contacts_fills_the_epci_of_a_commune_written_by_name(tmp_path: Path) -> None:
    # A commune written by its name, in the Artois or elsewhere, gets its EPCI like a code.
    path = tmp_path / "contacts.csv"
    path.write_text(
        "Nom;Commune;EPCI\nUsine A;Béthune;\nUsine B;Amiens;\nUsine C;80688;\nUsine D;62119;CALL\n",
        encoding="cp1252",
    )
    epci = [a.epci for a in read_contacts(path).actors]
    assert epci == ["CABBALR", "CA Amiens Métropole", "CC Ponthieu-Marquenterre", "CALL"]
