"""The bureau's report settings (report.yaml beside its ledgers): the words of the document's frame.

The 主送 line and the 落款's unit differ from bureau to bureau; everything else in the report
comes from the check. The file is optional and validated like every other input.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError, Problem
from ..yamlsrc import load_yaml

__all__ = ["SETTINGS_FILE", "ReportSettings", "load_settings"]

SETTINGS_FILE = "report.yaml"


class ReportSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    recipient: str = Field(default="局党组", min_length=1, title="主送机关", description="如 局党组、区人民政府")
    unit: str | None = Field(default=None, min_length=1, title="落款单位", description="默认为单位名称（profile.yaml 的 name）")


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
    try:
        return ReportSettings.model_validate(dict(data))
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"])
            if err["type"] == "extra_forbidden":
                problems.append(Problem(str(path), f"未知设置项“{field}”（可用：recipient 主送机关、unit 落款单位）"))
            else:
                problems.append(Problem(str(path), f"设置项“{field}”应为非空文字"))
        raise InputError(problems) from None
