"""The YAML of a toile: plain data only, so that a few bytes cannot stand for gigabytes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from toiles.loaders import validate_toile
from toiles.loaders._yaml import MAX_YAML_DEPTH, YamlRefused, load_yaml

# The "billion laughs": nine levels of ten aliases each, 10**9 leaves once expanded.
BOMB = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)


def test_load_yaml_refuses_a_billion_laughs_at_once() -> None:
    assert len(BOMB) < 400
    started = time.monotonic()
    with pytest.raises(YamlRefused, match="ancre YAML") as caught:
        load_yaml(BOMB)
    assert caught.value.line == 1
    assert time.monotonic() - started < 1


def test_load_yaml_refuses_an_alias_without_anchor_line() -> None:
    with pytest.raises(yaml.YAMLError):  # an undefined alias is a plain YAML error
        load_yaml("a: *nowhere")


def test_load_yaml_refuses_deep_nesting() -> None:
    with pytest.raises(YamlRefused, match="trop imbriqué"):
        load_yaml("a: " + "[" * (MAX_YAML_DEPTH + 5) + "]" * (MAX_YAML_DEPTH + 5))


def test_load_yaml_reads_plain_data() -> None:
    assert load_yaml("id: t\nsources: [a, b]\n") == {"id": "t", "sources": ["a", "b"]}


def test_validate_toile_reports_a_yaml_bomb_with_its_file(tmp_path: Path) -> None:
    (tmp_path / "toile.yaml").write_text(BOMB, encoding="utf-8")
    (tmp_path / "actors.csv").write_text("id,name,kind\n", encoding="utf-8")
    (tmp_path / "flows.csv").write_text("id,source,target,kind\n", encoding="utf-8")
    report = validate_toile(tmp_path)
    assert not report.ok
    problem = report.problems[0]
    assert problem.file.endswith("toile.yaml")
    assert "ancre YAML" in problem.message
