"""The bureau's report settings (report.yaml beside its ledgers): the words of the document's frame.

The 主送 line and the 落款's unit differ from bureau to bureau; everything else in the report
comes from the check. The file is optional and validated like every other input.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError, Problem
from ..yamlsrc import load_yaml, position_of

__all__ = ["SETTINGS_FILE", "DeadlineDays", "ReportSettings", "load_settings"]

SETTINGS_FILE = "report.yaml"


class DeadlineDays(BaseModel):
    """整改时限 by severity, in days from the check date, for rules that set none of their own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    high: int = Field(default=30, ge=1, le=366, title="严重程度高")
    medium: int = Field(default=60, ge=1, le=366, title="严重程度中")
    low: int = Field(default=60, ge=1, le=366, title="严重程度低")


class ReportSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    deadlines: DeadlineDays = Field(default_factory=DeadlineDays, title="整改时限（天）",
                                    description="按严重程度：high、medium、low；规则自有 rectify_within_days 的从其规定")
    deadlines_set: bool = Field(default=False, exclude=True)
    """Whether report.yaml gave the deadlines (the report says where each time limit came from)."""
    recipient: str = Field(default="局党组", min_length=1, title="主送机关", description="如 局党组、区人民政府")
    unit: str | None = Field(default=None, min_length=1, title="落款单位", description="默认为单位名称（profile.yaml 的 name）")
    quote_chars: int = Field(default=100, ge=20, le=2000, title="依据摘录字数上限",
                             description="依据所引原文超过此字数的，在句末截断并注明“全文见附件”，原文列入附件")
    detail_in_body: int = Field(
        default=10, ge=0, le=10000, title="正文详述问题数上限",
        description="存在问题的义务不多于此数的，正文逐项写明依据、表现、整改措施、责任和时限；多于此数的，正文简述严重程度为高的问题，"
                    "其余只列于总体情况表，各项详情列入附件（供党组会审议的篇幅）",
    )


def load_settings(folder: Path) -> ReportSettings:
    """The settings in ``folder/report.yaml``, or the defaults when there is no such file."""
    path = folder / SETTINGS_FILE
    if not path.exists():
        return ReportSettings()
    data = load_yaml(path, what="报告设置文件")
    if data is None:
        return ReportSettings()
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), "报告设置应为“键: 值”形式（recipient、unit）")])
    if "deadlines_set" in data:
        raise InputError([Problem(str(path), "未知设置项“deadlines_set”", line=getattr(data, "line", None))])
    try:
        return ReportSettings.model_validate({**dict(data), "deadlines_set": "deadlines" in data})
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            field = ".".join(str(p) for p in loc)
            line, _ = position_of(data, loc)
            if err["type"] == "extra_forbidden":
                known = ("high、medium、low" if loc[0] == "deadlines"
                         else "recipient 主送机关、unit 落款单位、deadlines 整改时限、quote_chars 依据摘录字数上限、"
                              "detail_in_body 正文详述问题数上限")
                problems.append(Problem(str(path), f"未知设置项“{field}”（可用：{known}）", line=line, field=field))
            elif loc[0] == "deadlines":
                problems.append(Problem(str(path), f"设置项“{field}”应为 1 至 366 的天数，实为 {err.get('input')!r}",
                                        line=line, field=field))
            elif loc[0] == "quote_chars":
                problems.append(Problem(str(path), f"设置项“{field}”应为 20 至 2000 的字数，实为 {err.get('input')!r}",
                                        line=line, field=field))
            elif loc[0] == "detail_in_body":
                problems.append(Problem(str(path), f"设置项“{field}”应为 0 至 10000 的问题数，实为 {err.get('input')!r}",
                                        line=line, field=field))
            else:
                problems.append(Problem(str(path), f"设置项“{field}”应为非空文字", line=line, field=field))
        raise InputError(problems) from None
