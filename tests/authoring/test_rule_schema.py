"""The JSON Schema of rule files: generated, committed, Chinese, and right about real and broken rules."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checker.authoring.schema import SCHEMA_FILE, rule_schema, schema_text
from checker.cli import main
from checker.errors import InputError
from checker.kinds import KINDS
from checker.records import LEDGERS
from checker.rulebook import DEFAULT_RULES, rule_files
from checker.yamlsrc import load_yaml

BROKEN = Path(__file__).parent / "broken"
CJK = re.compile(r"[\u4e00-\u9fff]")


def as_json(path: Path) -> Any:
    """The rule file as an editor's YAML language server sees it: dates are text."""
    return json.loads(json.dumps(load_yaml(path), default=str))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_is_up_to_date() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "rules/rule.schema.json is stale: run `compliance rules schema --output rules/rule.schema.json`"
    )


def test_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "schema"]) == 0
    assert json.loads(capsys.readouterr().out) == rule_schema()


def definitions() -> Iterator[tuple[str, dict[str, Any]]]:
    yield from rule_schema()["$defs"].items()


def test_every_definition_and_field_is_described_in_chinese() -> None:
    for name, schema in definitions():
        assert CJK.search(schema.get("description", "")), name
        for field, prop in schema.get("properties", {}).items():
            assert CJK.search(prop.get("description", "")), f"{name}.{field}"


def test_every_object_forbids_unknown_keys() -> None:
    """A typo like ``effective_form:`` must be underlined, not ignored (extra="forbid" everywhere)."""
    for name, schema in definitions():
        if "properties" in schema:
            assert schema.get("additionalProperties") is False, name


def test_kinds_and_ledgers_are_the_registered_ones() -> None:
    schema = rule_schema()
    kinds = {schema["$defs"][ref["$ref"].split("/")[-1]]["properties"]["kind"]["const"] for ref in schema["oneOf"]}
    assert kinds == set(KINDS)
    records = schema["$defs"]["Example"]["properties"]["records"]["properties"]
    assert set(records) == set(LEDGERS)


@pytest.mark.parametrize("path", rule_files(DEFAULT_RULES), ids=lambda p: p.stem)
def test_schema_accepts_every_bundled_rule(path: Path, validator: jsonschema.Draft202012Validator) -> None:
    errors = [e.message for e in validator.iter_errors(as_json(path))]
    assert errors == []


def schema_cases(verdict: str) -> list[Path]:
    return [p for p in sorted(BROKEN.rglob("*.yaml")) if f"# 预期 schema: {verdict}" in p.read_text(encoding="utf-8")]


def test_every_broken_case_states_a_schema_verdict() -> None:
    everything = sorted(BROKEN.rglob("*.yaml"))
    assert sorted(schema_cases("拒绝") + schema_cases("无法发现")) == everything
    assert len(schema_cases("拒绝")) >= 15


@pytest.mark.parametrize("path", schema_cases("拒绝"), ids=lambda p: p.stem)
def test_schema_rejects_broken_rule(path: Path, validator: jsonschema.Draft202012Validator) -> None:
    assert not validator.is_valid(as_json(path))


@pytest.mark.parametrize("path", schema_cases("无法发现"), ids=lambda p: p.stem)
def test_what_the_schema_cannot_see_is_not_yaml_or_is_about_meaning(path: Path, validator: jsonschema.Draft202012Validator) -> None:
    """The cases a JSON Schema cannot catch (cross-file ids, names, dates' order) are left to lint.

    Each is either not YAML at all, or well-formed and accepted: the schema is not wrong there,
    it only cannot see it. ``test_lint_corpus`` holds lint to catching every one of them.
    """
    try:
        doc = as_json(path)
    except InputError:
        return
    assert validator.is_valid(doc)
