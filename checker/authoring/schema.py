"""The JSON Schema of the rule language, for the legal adviser's editor.

Generated from the pydantic models (``RULE_ADAPTER``), so it cannot drift from what the
checker accepts; committed as ``rules/rule.schema.json`` so that a rule file beginning with
``# yaml-language-server: $schema=../rule.schema.json`` gets completion and underlining.
Every field carries a Chinese description: the models' own, or, for the parts pydantic
describes from English docstrings or not at all, each model's ``zh``. Beyond the models, the
schema lists the known ledgers (selectors, example records), marks keys that were renamed as
deprecated, and asks for examples that meet and fail the rule, so the editor underlines what
``rules lint`` would report.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, TypeAdapter

from ..findings import STATUS_ZH
from ..kinds import KINDS
from ..periods import PeriodUnit
from ..records import LEDGERS, StaffMember
from ..records.base import StrictModel
from ..rulebook import DEFAULT_RULES, RULE_ADAPTER
from ..rules import RuleBase, Selector, models_reachable

__all__ = ["SCHEMA_COMMENT", "SCHEMA_FILE", "rule_schema", "schema_text"]

SCHEMA_FILE = DEFAULT_RULES / "rule.schema.json"
SCHEMA_COMMENT = "# yaml-language-server: $schema=../rule.schema.json"

def _record_schema(defs: dict[str, Any]) -> dict[str, Any]:
    """Example records by ledger: each ledger a list of that record type, unknown ledgers rejected."""
    properties: dict[str, Any] = {}
    for ledger, model in sorted(LEDGERS.items()):
        schema = TypeAdapter(model).json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        schema["description"] = model.label
        defs[model.__name__] = schema
        properties[ledger] = {
            "type": "array",
            "description": f"{model.label}的记录",
            "items": {"$ref": f"#/$defs/{model.__name__}"},
        }
    return {"type": "object", "description": "按台账类型列出的记录", "properties": properties, "additionalProperties": False}


def _expects(status: str) -> dict[str, Any]:
    """An example whose ``expect`` has at least one finding of ``status``."""
    return {"properties": {"expect": {"not": {"additionalProperties": {"not": {"const": status}}}}}}


def _as_linted(rule: dict[str, Any]) -> None:
    """What pydantic leaves to the discriminator or to lint, made visible to the editor.

    ``kind`` is required (it picks the model), and the examples must include one that meets
    the rule and one that fails it, as ``rules lint`` demands.
    """
    rule["required"] = sorted({*rule.get("required", []), "kind", "examples"})
    examples = rule["properties"]["examples"]
    examples["minItems"] = 2
    examples["allOf"] = [{"contains": _expects("met")}, {"contains": _expects("gap")}]
    examples["description"] += "（至少一个期望 met、一个期望 gap）"


def _models() -> dict[str, type[BaseModel]]:
    """Every model the rule schema can contain, by the name pydantic gives its definition."""
    roots: list[type[BaseModel]] = [*KINDS.values(), StaffMember]
    return {m.__name__: m for root in roots for m in [root, *models_reachable(root)]}


def _enum_descriptions() -> dict[str, str]:
    return {
        "Status": "结论：" + "、".join(f"{s.value} {zh}" for s, zh in STATUS_ZH.items()),
        "PeriodUnit": "周期：" + "、".join(f"{u.value} {u.zh}" for u in PeriodUnit),
    }


def _chinese(defs: dict[str, Any]) -> None:
    """Chinese descriptions everywhere a person hovers; English titles and docstrings removed."""
    models = _models()
    enums = _enum_descriptions()
    for name, schema in defs.items():
        schema.pop("title", None)
        model = models.get(name)
        if model is not None and issubclass(model, RuleBase):
            schema["description"] = f"{model.kind_title}（kind: {model.kind_name}）规则"
            schema["properties"]["kind"]["description"] = f"规则类型：{model.kind_name}（{model.kind_title}）"
        elif model is not None and issubclass(model, StrictModel) and model.zh:
            schema["description"] = model.zh
        elif name in enums:
            schema["description"] = enums[name]
        if model is not None and issubclass(model, StrictModel):
            _deprecated(schema, model)
        for prop in schema.get("properties", {}).values():
            title = prop.pop("title", None)
            if title and not any("\u4e00" <= ch <= "\u9fff" for ch in title):
                title = None  # pydantic's automatic English title adds nothing a Chinese reader needs
            if "description" not in prop and title:
                prop["description"] = title
            elif title and title not in prop["description"]:
                prop["description"] = f"{title}：{prop['description']}"


def _deprecated(schema: dict[str, Any], model: type[StrictModel]) -> None:
    """A renamed key still loads: the editor shows it struck through, with the name to use."""
    props = schema.get("properties", {})
    for old, new in model.renamed.items():
        if new in props:
            props[old] = {**props[new], "deprecated": True, "description": f"已更名为 {new}"}
    for old, new in model.quantity_keys.items():
        if new in props:
            props[old] = {"type": "string", "deprecated": True, "description": f"已改写为 {new}: {{param: 参数名}}"}


def rule_schema() -> dict[str, Any]:
    """The schema of one rule file."""
    schema = RULE_ADAPTER.json_schema(by_alias=True)
    defs: dict[str, Any] = schema.pop("$defs")
    example = defs["Example"]["properties"]
    example["records"] = _record_schema(defs)
    staff = TypeAdapter(StaffMember).json_schema(by_alias=True)
    defs["StaffMember"] = staff
    example["staff"] = {"type": "array", "description": "人员（同 profile.yaml 的 staff）", "items": {"$ref": "#/$defs/StaffMember"}}
    models = _models()
    for name, definition in defs.items():
        if name in models and issubclass(models[name], Selector):
            definition["properties"]["ledger"]["enum"] = sorted(LEDGERS)
    for cls in KINDS.values():
        _as_linted(defs[cls.__name__])
    _chinese(defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "区统计局法治政府建设义务规则",
        "description": "一个规则文件：一项法定义务（kind 决定其余字段）。由 compliance rules schema 生成，请勿手工修改。",
        **schema,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    return json.dumps(rule_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
