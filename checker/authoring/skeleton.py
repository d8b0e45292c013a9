"""``rules new``: a commented skeleton of a rule of one kind, to copy and fill in.

The skeleton is a rule that works (its examples pass) built on a real ledger, so the adviser
changes a rule that works rather than fixing one that does not; every ``（待填写…）`` marks what
to replace, and ``rules lint`` refuses the rule until none is left. Each kind brings its own
body (``skeleton`` on the kind's class).
"""

from __future__ import annotations

import re

from ..errors import InputError, Problem
from ..kinds import KINDS
from ..validation import suggest
from .schema import SCHEMA_COMMENT

__all__ = ["skeleton"]

ID_PATTERN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")

_HEADER = """{schema}
# 新规则骨架（{kind_title}）。“（待填写…）”处请替换；改完运行：
#   compliance rules lint  {id}.yaml   # 检查格式与含义
#   compliance rules test  {id}.yaml   # 运行下面的案例
# 文件名必须与 id 一致：{id}.yaml，放在 rules/ 下与报告提纲对应的目录中。
id: {id}                      # 规则编号：小写字母、数字、连字符，以点分段；发布后不再改动
kind: {kind}
title: （待填写：义务的中文名称）
heading: （待填写：报告中的标题序号，如 一(四)2）
citations:                    # 依据：至少一条；本单位政策填 policy: true
  - source: （待填写：法律、法规或文件名称，如《中华人民共和国行政处罚法》）
    article: （待填写：条款，如 第四十二条；没有可删去本行）
    quote: （待填写：原文摘录；没有可删去本行）
severity: medium              # 严重程度：high、medium、low
owner: （待填写：责任科室，如 法规科）
remedy: （待填写：出现问题时的整改措施）
"""

def skeleton(kind: str, rule_id: str) -> str:
    """The skeleton text of a new rule ``rule_id`` of ``kind``."""
    problems = []
    if kind not in KINDS:
        problems.append(Problem("--kind", f"未知的规则类型 {kind!r}", code="unknown-kind", suggestion=suggest(kind, KINDS)))
    if not ID_PATTERN.match(rule_id):
        problems.append(Problem(rule_id, "规则编号应为小写字母、数字和连字符，以点分段，如 enforcement.two-officers"))
    if problems:
        raise InputError(problems)
    header = _HEADER.format(schema=SCHEMA_COMMENT, kind=kind, kind_title=KINDS[kind].kind_title, id=rule_id)
    return header + KINDS[kind].skeleton
