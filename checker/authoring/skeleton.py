"""``rules new``: a commented skeleton of a rule of one kind, to copy and fill in.

The skeleton is a working rule (it passes the schema, lint and its own examples) built on a
real ledger, so the adviser changes a rule that works rather than fixing one that does not;
every ``（待填写…）`` marks what to replace.
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
where: （待填写：报告中的标题序号，如 一(四)2）
citations:                    # 依据：至少一条；本单位政策填 policy: true
  - source: （待填写：法律、法规或文件名称，如《中华人民共和国行政处罚法》）
    article: （待填写：条款，如 第四十二条；没有可删去本行）
    quote: （待填写：原文摘录；没有可删去本行）
severity: medium              # 严重程度：high、medium、low
owner: （待填写：责任科室，如 法规科）
remedy: （待填写：出现问题时的整改措施）
"""

_BODIES = {
    "per-record": """params:                       # 参数：每个取值写明自哪天起生效；法律修改时追加一项，不删旧值
  min_officers:
    - from: 1996-10-01
      value: 2
      source: （待填写：取值依据）
subject:                      # 适用的记录：哪一台账，可加 when 条件筛选
  record: enforcement_action
require:                      # 每条记录必须满足的条件（全部满足）；op 可用 == != < <= > >= in not_in exists missing contains
  - field: officers_count
    op: ">="
    param: min_officers
examples:                     # 案例：至少一个符合（met）、一个不符合（gap）；expect 写 记录编号: 结论
  - name: （待填写：一句话说明，如 两名执法人员共同检查，符合要求）
    as_of: 2020-12-31
    records:
      enforcement_action:
        - {id: A-1, date: 2020-05-06, action: 检查, officers: [P1, P2]}
    staff:
      - {id: P1, name: 执法人员甲}
      - {id: P2, name: 执法人员乙}
    expect:
      A-1: met
  - name: （待填写：一句话说明，如 一名执法人员单独送达，不符合要求）
    as_of: 2020-12-31
    records:
      enforcement_action:
        - {id: A-2, date: 2020-06-10, action: 送达, officers: [P1]}
    staff:
      - {id: P1, name: 执法人员甲}
    expect:
      A-2: gap
""",
    "deadline": """params:
  within_days:
    - from: 1996-10-01
      value: 15
      source: （待填写：取值依据）
trigger:                      # 触发义务的记录
  record: fine
evidence:                     # 履行义务的证据记录
  record: remittance
link:                         # 证据字段: 触发记录字段（id 指触发记录的编号）
  fine_id: id
within:                       # 期限：days 或 param；working: true 为工作日
  param: within_days
examples:
  - name: （待填写：如 十五日内入库，符合要求）
    as_of: 2020-12-31
    records:
      fine:
        - {id: F-1, decided_on: 2020-05-06, amount: 20000}
      remittance:
        - {id: R-1, fine_id: F-1, remitted_on: 2020-05-18, amount: 20000}
    expect:
      F-1: met
  - name: （待填写：如 逾期未入库，不符合要求）
    as_of: 2020-12-31
    records:
      fine:
        - {id: F-2, decided_on: 2020-05-06, amount: 20000}
    expect:
      F-2: gap
""",
    "periodic": """params:
  report_within_days:
    - from: 2017-01-01
      value: 15
      source: （待填写：取值依据）
versions:                     # 规则版本（可删去）：新制度施行时追加一项，结论注明据以判定的版本
  - version: "2017"
    from: 2017-01-01
    note: （待填写：该版本依据的制度）
period: quarter               # 周期：month、quarter、half-year、year
evidence:
  record: interference_report
period_field: quarter         # 证据中写明所属期间的字段；删去则按证据日期落在期间内
due:                          # 到期日：param 或 days_after_end（期末后天数），或 month_day: "03-01"（可加 next_year: true）
  param: report_within_days
examples:
  - name: （待填写：如 第一季度按期报送，符合要求）
    as_of: 2020-04-30
    ledgers_from: 2020-01-16
    records:
      interference_report:
        - {id: I-1, quarter: 2020Q1, reported_on: 2020-04-08, recorded_count: 0}
    expect:
      2020Q1: met
      2020Q2: pending
  - name: （待填写：如 第二季度未报送，不符合要求）
    as_of: 2020-07-31
    ledgers_from: 2020-04-16
    records:
      interference_report: []
    expect:
      2020Q2: gap
      2020Q3: pending
""",
    "coverage": """period: year                  # 按何周期出具结论
intervals:                    # 每条记录从 start 到 end（含当日）提供该状态
  record: legal_adviser_contract
  start: start
  end: end
at_least: 1                   # 每天至少同时有几条记录（或用 at_least_param 取参数）
examples:
  - name: （待填写：如 合同首尾相接，全年有法律顾问）
    as_of: 2020-12-31
    records:
      legal_adviser_contract:
        - {id: C-1, firm: 某律师事务所, adviser: 顾问甲, signed_on: 2019-12-20, start: 2020-01-01, end: 2020-12-31}
    expect:
      "2020": met
  - name: （待填写：如 合同中断两周，有空档期）
    as_of: 2020-12-31
    records:
      legal_adviser_contract:
        - {id: C-1, firm: 某律师事务所, adviser: 顾问甲, signed_on: 2019-12-20, start: 2020-01-01, end: 2020-06-30}
        - {id: C-2, firm: 某律师事务所, adviser: 顾问甲, signed_on: 2020-07-10, start: 2020-07-15, end: 2021-07-14}
    expect:
      "2020": gap
""",
    "aggregate": """params:
  min_sessions:
    - from: 2020-01-01
      value: 2
      source: （待填写：取值依据；本单位政策请注明）
period: year
records:                      # 纳入汇总的记录
  record: study_session
measures:                     # 指标：count 计数、share 占比、sum 求和、includes 涵盖（全部达到才算落实）
  - name: （待填写：指标名称，如 学法场次）
    type: count
    at_least_param: min_sessions
examples:
  - name: （待填写：如 全年学法两次，符合要求）
    as_of: 2020-12-31
    records:
      study_session:
        - {id: S-1, date: 2020-03-05, topic: 统计法专题, laws: [统计法]}
        - {id: S-2, date: 2020-06-10, topic: 民法典学习, laws: [民法典]}
    expect:
      "2020": met
  - name: （待填写：如 全年只学一次，不符合要求）
    as_of: 2020-12-31
    records:
      study_session:
        - {id: S-1, date: 2020-03-05, topic: 统计法专题, laws: [统计法]}
    expect:
      "2020": gap
""",
}


def skeleton(kind: str, rule_id: str) -> str:
    """The skeleton text of a new rule ``rule_id`` of ``kind``."""
    problems = []
    if kind not in _BODIES:
        hint = suggest(kind, KINDS)
        problems.append(Problem("--kind", f"未知的规则类型 {kind!r}" + (f"（是否应为 {hint}？）" if hint else "")))
    if not ID_PATTERN.match(rule_id):
        problems.append(Problem(rule_id, "规则编号应为小写字母、数字和连字符，以点分段，如 enforcement.two-officers"))
    if problems:
        raise InputError(problems)
    header = _HEADER.format(schema=SCHEMA_COMMENT, kind=kind, kind_title=KINDS[kind].kind_title, id=rule_id)
    return header + _BODIES[kind]
