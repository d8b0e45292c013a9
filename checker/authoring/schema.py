"""The JSON Schema of the rule language, for the legal adviser's editor.

Generated from the pydantic models (``RULE_ADAPTER``), so it cannot drift from what the
checker accepts; committed as ``rules/rule.schema.json`` so that a rule file beginning with
``# yaml-language-server: $schema=../rule.schema.json`` gets completion and underlining.
Every field carries a Chinese description: the models' own, or, for the parts pydantic
describes from English docstrings or not at all, the texts below. Beyond the models, the
schema lists the known ledgers (selectors, example records) and asks for examples that meet
and fail the rule, so the editor underlines what ``rules lint`` would report.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from ..kinds import KINDS
from ..records import RECORD_TYPES, StaffMember
from ..rulebook import DEFAULT_RULES, RULE_ADAPTER

__all__ = ["SCHEMA_FILE", "SCHEMA_COMMENT", "rule_schema", "schema_text"]

SCHEMA_FILE = DEFAULT_RULES / "rule.schema.json"
SCHEMA_COMMENT = "# yaml-language-server: $schema=../rule.schema.json"

_DEFINITIONS_ZH = {
    "Citation": "依据：法律、法规或规范性文件及条款；本单位政策须标明 policy: true",
    "Condition": "条件：对记录某一字段的检验，比较对象为常量（value）、参数（param）或同一记录的另一字段（other）三者之一",
    "Due": "到期日：期末后若干天，或每年的固定日期（MM-DD）",
    "EvidenceSelector": "证据记录：履行义务的台账记录及其计日字段",
    "Example": "案例：输入的台账记录、检查日期和期望结论；缺少或多出结论都算失败",
    "IntervalSelector": "区间记录：每条记录从起始日期到终止日期提供该状态",
    "Measure": "指标：count 计数、share 占比、sum 求和、distinct 不同取值种数、includes 涵盖全部指定项",
    "ParamValue": "参数的一个取值，自生效日期起适用，直到下一个取值的生效日期",
    "PeriodUnit": "周期：month 月、quarter 季度、half-year 半年、year 年",
    "RuleVersion": "规则版本：自生效日期起适用；每条结论注明据以判定的版本",
    "Selector": "记录筛选：规则查看哪一台账的哪些记录",
    "Status": "结论：met 已落实、gap 问题、due_soon 即将到期、pending 未到期、not_applicable 不适用、unknown 无法判断",
    "Within": "期限：天数或参数，按日历日或工作日，自触发记录的某一日期起算",
    "StaffMember": "人员：编号、姓名（或占位名）、职务",
    "SubjectSelector": "适用记录：规则逐条判断的台账记录；each 可对列表字段逐项判断",
    "Exists": "关联记录：必须存在、与对象关联（link）且在对象日期有效（covers）的另一台账记录",
    "Covers": "有效期：关联记录的起止日期字段，须覆盖对象记录的日期",
    "PerStaff": "按人员：对担任某职务的每名人员分别判断",
    "Occasion": "固定日期活动：每年某月某日前后开展的活动，分别判断",
    "Extension": "延长期限：触发记录满足条件时（如经批准延期）适用的较长期限",
}


def _record_schema(defs: dict[str, Any]) -> dict[str, Any]:
    """Example records by ledger: each ledger a list of that record type, unknown ledgers rejected."""
    properties: dict[str, Any] = {}
    for rtype, model in sorted(RECORD_TYPES.items()):
        schema = TypeAdapter(model).json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        schema["description"] = model.label
        defs[model.__name__] = schema
        properties[rtype] = {
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


def _chinese(defs: dict[str, Any]) -> None:
    """Chinese descriptions everywhere a person hovers; English titles and docstrings removed."""
    kinds_by_class = {cls.__name__: cls for cls in KINDS.values()}
    for name, schema in defs.items():
        schema.pop("title", None)
        if name in kinds_by_class:
            cls = kinds_by_class[name]
            schema["description"] = f"{cls.kind_title}（kind: {cls.kind_name}）规则"
            schema["properties"]["kind"]["description"] = f"规则类型：{cls.kind_name}（{cls.kind_title}）"
        elif name in _DEFINITIONS_ZH:
            schema["description"] = _DEFINITIONS_ZH[name]
        for prop in schema.get("properties", {}).values():
            title = prop.pop("title", None)
            if title and not any("\u4e00" <= ch <= "\u9fff" for ch in title):
                title = None  # pydantic's automatic English title adds nothing a Chinese reader needs
            if "description" not in prop and title:
                prop["description"] = title
            elif title and title not in prop["description"]:
                prop["description"] = f"{title}：{prop['description']}"


def rule_schema() -> dict[str, Any]:
    """The schema of one rule file."""
    schema = RULE_ADAPTER.json_schema(by_alias=True)
    defs: dict[str, Any] = schema.pop("$defs")
    example = defs["Example"]["properties"]
    example["records"] = _record_schema(defs)
    staff = TypeAdapter(StaffMember).json_schema(by_alias=True)
    defs["StaffMember"] = staff
    example["staff"] = {"type": "array", "description": "人员（同 profile.yaml 的 staff）", "items": {"$ref": "#/$defs/StaffMember"}}
    for name, definition in defs.items():
        if name.endswith("Selector") or name == "Exists":
            definition["properties"]["record"]["enum"] = sorted(RECORD_TYPES)
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
