"""Small bureaus and rulebooks written for the report tests, so they do not move when the bundled rules grow.

The gap bureau fails five obligations, in the shapes the report must describe: records that
break a rule (one whose id is a formula, one whose text is a script), a fine paid seven days
late, fines paid short, eleven days without a legal adviser, a study session without the 宪法;
and a fine falls due within the warning window. The clean bureau meets everything.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from checker.commands.check import run_check
from checker.records import load_bureau
from checker.report import Report, build_report
from checker.rulebook import load_rulebook

AS_OF = dt.date(2020, 12, 31)
SCRIPT = "<script>alert(1)</script>"
FORMULA_ID = "=1+2"
AT_ID = "@SUM(A1)"
SHARED_CLAUSE = "建立执法台账并每月核对"

RULES = {
    "test.two-officers": f"""
id: test.two-officers
kind: per-record
title: 执法行为由两名以上执法人员实施
where: 一(四)2
citations:
  - source: 《中华人民共和国行政处罚法》
    article: 第四十二条
    quote: 执法人员不得少于两人
severity: high
owner: 执法监督科
remedy: 每项执法行为安排两名以上持证执法人员；{SHARED_CLAUSE}。
subject:
  record: enforcement_action
require:
  - field: officers_count
    op: ">="
    value: 2
""",
    "test.fines": """
id: test.fines
kind: deadline
title: 罚没款按期上缴国库
where: 一(四)5
citations:
  - source: 《中华人民共和国行政处罚法》
    article: 第六十七条
severity: medium
owner: 执法监督科
remedy: 督促当事人按期缴纳。
trigger:
  record: fine
evidence:
  record: remittance
link:
  fine_id: id
within:
  days: 15
""",
    "test.fines-full": f"""
id: test.fines-full
kind: deadline
title: 罚没收入全额上缴国库
where: 一（四）6
citations:
  - source: 《中华人民共和国行政处罚法》
    article: 第七十四条
severity: medium
owner: 执法监督科
remedy: 督促当事人足额缴纳；{SHARED_CLAUSE}。
trigger:
  record: fine
evidence:
  record: remittance
link:
  fine_id: id
within:
  days: 15
totals:
  amount: amount
""",
    "test.adviser": """
id: test.adviser
kind: coverage
title: 每日均有在聘法律顾问
where: 一(三)1
citations:
  - source: 《关于推行法律顾问制度和公职律师公司律师制度的意见》
severity: medium
owner: 法规科
remedy: 立即签订法律顾问聘用合同，消除空档期。
period: year
intervals:
  record: legal_adviser_contract
  start: start
  end: end
at_least: 1
""",
    "test.constitution": """
id: test.constitution
kind: per-record
title: 每次学法均包含宪法
where: 二（不足一）
citations:
  - source: 本局学法计划
    policy: true
severity: low
owner: 法规科
remedy: 每次学法安排宪法内容。
subject:
  record: study_session
require:
  - field: laws
    op: contains
    value: 宪法
""",
    "test.study-topic": """
id: test.study-topic
kind: per-record
title: 学法活动记录主题
where: 一(六)3
citations:
  - source: 本局学法制度
    policy: true
owner: 法规科
remedy: 补记学法主题。
subject:
  record: study_session
require:
  - field: topic
    op: exists
""",
}
MET_RULES = ["test.study-topic"]
"""Met by both bureaus: the gap report's appendix."""

PROFILE = """
name: 测试区统计局
ledgers_from: 2020-01-01
staff:
  - {id: P1, name: 执法人员甲, roles: [执法人员]}
  - {id: P2, name: 执法人员乙, roles: [执法人员]}
"""

GAP_LEDGERS = {
    "enforcement_action": f"""
- {{id: "{FORMULA_ID}", date: 2020-03-02, action: "{SCRIPT}", officers: [P1]}}
- {{id: EA-2, date: 2020-03-05, action: 检查, officers: [P1, P2]}}
- {{id: "{AT_ID}", date: 2020-04-01, action: 送达, officers: [P2]}}
""",
    "fine": """
- {id: F-1, decided_on: 2020-05-06, amount: 20000}
- {id: F-2, decided_on: 2020-06-01, amount: 10000}
- {id: F-3, decided_on: 2020-12-28, amount: 5000}
""",
    "remittance": """
- {id: R-1, fine_id: F-1, remitted_on: 2020-05-28, amount: 20000}
- {id: R-2, fine_id: F-2, remitted_on: 2020-06-05, amount: 8000}
""",
    "legal_adviser_contract": """
- {id: LA-1, firm: 律师事务所甲, adviser: 顾问甲, signed_on: 2019-09-10, start: 2019-09-20, end: 2020-09-19}
- {id: LA-2, firm: 律师事务所甲, adviser: 顾问甲, signed_on: 2020-09-28, start: 2020-10-01, end: 2021-09-30}
""",
    "study_session": """
- {id: SS-1, date: 2020-04-09, topic: "-统计法 | 学习", laws: [统计法]}
- {id: SS-2, date: 2020-10-15, topic: 宪法学习, laws: [宪法]}
""",
}

CLEAN_LEDGERS = {
    "enforcement_action": "- {id: EA-2, date: 2020-03-05, action: 检查, officers: [P1, P2]}\n",
    "fine": "- {id: F-1, decided_on: 2020-05-06, amount: 20000}\n",
    "remittance": "- {id: R-1, fine_id: F-1, remitted_on: 2020-05-12, amount: 20000}\n",
    "legal_adviser_contract": (
        "- {id: LA-1, firm: 律师事务所甲, adviser: 顾问甲, signed_on: 2019-09-10, start: 2019-09-20, end: 2021-09-19}\n"
    ),
    "study_session": "- {id: SS-2, date: 2020-10-15, topic: 宪法学习, laws: [宪法, 统计法]}\n",
}

GAP_RULES_IN_ORDER = ["test.adviser", "test.two-officers", "test.fines", "test.fines-full", "test.constitution"]
"""The gap items' expected order: outline order 一(三)1, 一(四)2, 一(四)5, 一（四）6, 二."""


def write_rules(root: Path) -> Path:
    folder = root / "rules"
    folder.mkdir()
    for rule_id, text in RULES.items():
        (folder / f"{rule_id}.yaml").write_text(text.lstrip(), encoding="utf-8")
    return folder


def write_bureau(root: Path, name: str, ledgers: dict[str, str]) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "profile.yaml").write_text(PROFILE.lstrip(), encoding="utf-8")
    for ledger, text in ledgers.items():
        (folder / f"{ledger}.yaml").write_text(text.lstrip(), encoding="utf-8")
    return folder


def make_report(records: Path, rules: Path, as_of: dt.date = AS_OF) -> Report:
    result = run_check(records, rules, as_of, 30)
    return build_report(result, load_rulebook(rules), load_bureau(records), 30)
