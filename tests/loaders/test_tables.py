import pytest

from toiles.loaders.tables import decode, detect_separator, parse_int, parse_number, read_csv_text
from toiles.loaders.validate import FLOW_ALIASES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),  # Excel's no-break space
        ("1\u202f234,5", 1234.5),  # narrow no-break space
        ("1234.5", 1234.5),
        ("1,234,567", 1234567.0),
        ("1.234.567,25", 1234567.25),
        ("1,234.5", 1234.5),
        ("0,5", 0.5),
        ("-12", -12.0),
        ("3e3", 3000.0),
    ],
)
def test_parse_number_french_and_english(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["beaucoup", "12 MWh", "1,2,3,4", "--1", ""])
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="nombre attendu"):
        parse_number(text)


def test_parse_int_rejects_fraction() -> None:
    assert parse_int("1 200") == 1200
    with pytest.raises(ValueError, match="entier"):
        parse_int("12,5")


def test_decode_detects_encodings() -> None:
    assert decode("é;à".encode("cp1252")) == ("é;à", "cp1252")
    assert decode("é".encode()) == ("é", "utf-8")
    assert decode("\ufeffé".encode()) == ("é", "utf-8-sig")


def test_detect_separator_ignores_quoted() -> None:
    assert detect_separator('"a;b",c,d') == ","
    assert detect_separator("a;b;c") == ";"
    assert detect_separator("seule") == ","


def test_read_csv_text_aliases_and_lines() -> None:
    text = 'Origine ; Cible;TYPE;Quantité;Unité\na;b;chaleur;"1 234,5";MWh\n\n"c\nsuite";d;chaleur;2;MWh\n'
    table = read_csv_text(text, "f.csv", FLOW_ALIASES)
    assert table.columns == ["source", "target", "kind", "quantity", "unit"]
    assert [r.line for r in table.rows] == [2, 4]  # blank line 3 skipped; row 4 spans two lines
    assert table.rows[0].values["quantity"] == "1 234,5"
    assert table.headers["source"] == "Origine"


def test_read_csv_text_ragged_and_unknown_columns() -> None:
    table = read_csv_text(
        "source;target;kind;couleur\na;b;chaleur;x;en trop\na;b;chaleur;;;\n", "f.csv", FLOW_ALIASES
    )
    messages = [str(p) for p in table.problems]
    assert any("couleur: colonne inconnue" in m for m in messages)
    assert any("f.csv:2: 5 cellules pour 4 colonnes" in m for m in messages)
    assert len(table.rows) == 1  # trailing empty cells are tolerated


def test_read_csv_text_unclosed_quote_reports_line() -> None:
    table = read_csv_text('source,target,kind\na,b,chaleur\n"c,d,chaleur\n', "f.csv", FLOW_ALIASES)
    errors = [p for p in table.problems if p.severity == "error"]
    assert len(errors) == 1
    assert errors[0].line == 3
    assert "guillemet" in errors[0].message
