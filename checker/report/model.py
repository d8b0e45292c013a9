"""The gap report as data: built once from a check, then rendered to Word, HTML, Markdown or Excel.

Everything a reader sees is decided here (what counts as a gap item, its number, its heading,
its deadline, the wording of 问题 and 表现), so the four formats cannot disagree. Renderers only
lay out; they never look at findings or rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, column_letter
from ..evaluate import CheckResult
from ..findings import STATUS_ZH, Finding, Status
from ..outline import NUMERALS, PARTS, heading_of
from ..records import LEDGERS, Bureau, Record, UnreadRecord
from ..records.base import ledger_title
from ..rectification import RectificationCheck, RectificationSheet
from ..rulebook import Rulebook
from ..rules import SEVERITY_ZH, Citation, RuleBase
from ..waivers import WaiverReport
from .settings import ReportSettings
from .trend import MonthPoint

__all__ = [
    "OUTLINE",
    "DueItem",
    "EvidenceRecord",
    "GapItem",
    "GapSection",
    "MetObligation",
    "MissingLedger",
    "NextStep",
    "OverviewRow",
    "Report",
    "UnreadCell",
    "build_report",
    "deadline_for",
    "deadline_rule_text",
    "outline_heading",
]

OUTLINE: dict[str, str] = {**PARTS, "二": "上年度报告所列不足的整改"}
"""The annual report's outline (法治政府建设情况报告): section 一's eight headings, then section 二."""

OTHER_HEADING = ("其他", "其他方面")




SHOWN_RECORDS = 12
"""How many evidence records 表现 names before summarising the rest as a count."""

SHOWN_FACTS = 10
"""How many failing subjects 表现 describes in the report; the ledger (xlsx) lists them all."""

DESCRIPTIVE_FIELDS = ("title", "topic", "doc_type", "action", "category", "firm", "adviser", "party", "quarter")


@dataclass(frozen=True)
class EvidenceRecord:
    """One ledger record a finding rests on, as a reader would name it."""

    id: str
    ledger: str
    day: dt.date | None
    summary: str

    def __str__(self) -> str:
        inner = "，".join(p for p in (self.day.isoformat() if self.day else "", self.summary) if p)
        return f"{self.id}（{inner}）" if inner else self.id

    @property
    def inline(self) -> str:
        """What the body writes in place of the id: the record's date and description, in brackets."""
        inner = "，".join(p for p in (self.day.isoformat() if self.day else "", self.summary) if p)
        return f"（{inner}）" if inner else "（编号见附件）"

    @property
    def words(self) -> str:
        """The record named in words, without its id: 行政规范性文件（2021-05-10，…）."""
        return f"{self.ledger or '记录'}{self.inline}"


@dataclass
class GapItem:
    """One obligation not met: one numbered item, whatever the number of failing subjects."""

    number: int
    rule_id: str
    heading: str
    title: str
    problem: str
    citations: list[str]
    facts: list[str]
    records: list[EvidenceRecord]
    records_total: int
    remedy: str
    owner: str
    severity: str
    deadline: dt.date
    responsible: str = ""
    """The office's head (科长/主任) named in the profile's staff roles; empty when the profile has none."""
    supervisor: str = ""
    """The bureau leader who supervises the office (分管领导, the profile's ``supervises``); empty if not given."""
    deadline_basis: str = ""
    """Where 整改时限 came from: the rule's own days, or the days by severity (report.yaml or default)."""
    item_count: int = 1
    """How many items (事项) of this obligation are gaps."""
    subjects: list[tuple[Finding, list[EvidenceRecord]]] = field(default_factory=list)
    """Each gap item with every record it rests on: the rows of the 整改台账."""
    months_open: int | None = None
    """Whole months the gap has stood since the first check that found it (0: new this check, as
    ``compliance check`` counts them); None when no history was given."""

    @property
    def severity_zh(self) -> str:
        return SEVERITY_ZH.get(self.severity, self.severity)

    @property
    def one_line(self) -> str:
        """问题 in one line for the overview table: the obligation and how many items fail."""
        count = f"（{count_zh(self.item_count)}个事项）" if self.item_count > 1 else ""
        return f"未落实“{quoted(self.title)}”{count}"

    @property
    def who(self) -> str:
        text = f"{self.owner}/{self.responsible}" if self.responsible else self.owner
        return f"{text}（分管领导：{self.supervisor}）" if self.supervisor else text

    @property
    def who_lines(self) -> str:
        """责任科室/责任人 for a narrow table cell: the office, the person, the supervising leader, one a line."""
        return "\n".join(x for x in (self.owner, self.responsible, f"分管领导：{self.supervisor}" if self.supervisor else "") if x)

    @property
    def first_fact(self) -> str:
        """表现 in one sentence: the first finding's message, with how many more items there are."""
        if not self.facts:
            return ""
        more = f"等，共{count_zh(self.item_count)}个事项" if self.item_count > 1 else ""
        return self.facts[0].rstrip("。") + more + "。"

    @property
    def evidence_text(self) -> str:
        """表现 as one paragraph: the findings' messages, then the records they rest on."""
        text = "；".join(self.facts[:SHOWN_FACTS])
        if len(self.facts) > SHOWN_FACTS:
            text += f"；另有 {len(self.facts) - SHOWN_FACTS} 个事项（详见整改台账）"
        if self.records:
            names = "、".join(r.words for r in self.records)
            more = f"等，共 {self.records_total} 条" if self.records_total > len(self.records) else ""
            text += f"。涉及记录：{names}{more}（记录编号见附件）"
        return text + "。" if text and not text.endswith("。") else text

    @property
    def evidence_ids(self) -> list[str]:
        return [r.id for r in self.records]


@dataclass
class GapSection:
    """The gaps under one outline heading, e.g. 一(四) 严格行政执法."""

    code: str
    title: str
    items: list[GapItem]


@dataclass
class DueItem:
    """Something that falls due within the warning window (预警), or cannot be judged (无法判断)."""

    rule_id: str
    heading: str
    title: str
    subject: str
    due: dt.date | None
    owner: str
    message: str
    reason: str = ""
    """Why it cannot be judged, in the reader's words (台账缺失 or a record that could not be read); the
    message itself for anything else."""


@dataclass(frozen=True)
class MissingLedger:
    """A ledger the rules read that was not handed in, and the obligations it leaves undecided (台账缺失)."""

    ledger: str
    label: str
    obligations: list[str]


@dataclass(frozen=True)
class UnreadCell:
    """One problem of a record that could not be read, located as a clerk finds it (数据质量)."""

    file: str
    sheet: str
    row: str
    column: str
    header: str
    record: str
    problem: str


@dataclass
class MetObligation:
    """An obligation with no gap: how many of its subjects are met and on how many records that rests."""

    rule_id: str
    heading: str
    title: str
    met_count: int
    evidence_count: int
    note: str = ""


@dataclass
class NextStep:
    """One owner's measures for the closing 下一步工作安排, de-duplicated, with the gap numbers they answer."""

    owner: str
    measures: list[tuple[str, list[int]]]
    briefs: list[str] = field(default_factory=list)
    """Each heading's measure in brief (its first clause), for a report whose body only summarises."""


SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class OverviewRow:
    """One row of the gap overview on page one."""

    number: int
    problem: str
    heading: str
    severity: str
    who: str
    deadline: str
    months: str


@dataclass
class Report:
    bureau: str
    as_of: dt.date
    warn_days: int
    rulebook_version: str
    rulebook_digest: str
    obligations: int
    standing: dict[Status, int]
    """Each obligation counted once, by its standing (see ``_standing``); sums to ``obligations``."""
    involved: dict[Status, int]
    """Obligations with at least one finding of each status (an obligation may count under several)."""
    finding_counts: dict[Status, int]
    sections: list[GapSection]
    due_soon: list[DueItem]
    unknown: list[DueItem]
    met: list[MetObligation]
    next_steps: list[NextStep]
    deadline_rule: str = field(default_factory=lambda: deadline_rule_text(None))
    settings: ReportSettings = field(default_factory=ReportSettings)
    has_history: bool = False
    """True when the months each gap has stood were given (then the overview shows 新增/持续)."""
    missing_ledgers: list[MissingLedger] = field(default_factory=list)
    unread: list[UnreadCell] = field(default_factory=list)
    unread_records: int = 0
    """Records that could not be read (each may have several problems in ``unread``)."""
    data_notes: list[str] = field(default_factory=list)
    """Warnings of reading the ledgers: rows skipped (合计, blank), files not read, copies read."""
    ledgers_read: int = 0
    records_read: int = 0
    trend: list[MonthPoint] = field(default_factory=list)
    """Gaps per month (new, persisting, resolved) from the run history, this check last; empty without history."""
    statuses: dict[str, str] = field(default_factory=dict)
    """Every finding's status now, by fingerprint (the 整改台账 says what a resolved row is now)."""
    rectification_sheet: RectificationSheet | None = None
    """The office's 整改台账 as last filled in, which the xlsx export keeps and extends."""
    rectification: RectificationCheck | None = None
    """What this check found of the office's 已整改 marks (整改未见效 above all)."""
    full_quotes: list[tuple[str, str, list[int]]] = field(default_factory=list)
    """Quotes cut in the body's 依据: (citation without its quote, full text, gap numbers), each once (附件 依据原文)."""
    waivers: WaiverReport | None = None
    """The bureau's waivers: what they excused (豁免事项), and which expired, are not yet in force or match nothing."""

    @property
    def gaps(self) -> list[GapItem]:
        return [item for section in self.sections for item in section.items]

    @property
    def title(self) -> str:
        return f"关于{self.bureau}法治政府建设合规检查情况的报告"

    @property
    def recipient(self) -> str:
        """主送 line, e.g. 局党组："""
        return f"{self.settings.recipient}："

    @property
    def signer(self) -> str:
        """落款: the unit's name (the settings may give a fuller one than the profile's)."""
        return self.settings.unit or self.bureau

    def gaps_by_priority(self) -> list[GapItem]:
        """Gaps as page one lists them: most severe first, then the longest open, then by number."""
        return sorted(
            self.gaps,
            key=lambda g: (SEVERITY_ORDER.get(g.severity, 1), -(g.months_open or 0), g.number),
        )

    def gap_overview_table(self) -> tuple[list[str], list[list[str]], list[float]]:
        headers = ["序号", "问题", "对应提纲", "严重程度", "责任科室/责任人", "整改时限"]
        # Widths for 五号 text with narrow cell margins: 序号 and 一（一）1 on one line, the date whole.
        # 2022年1月30日 needs about 26 mm; the rest goes to 问题, whose wrapping sets each row's height.
        widths: list[float] = [8, 62, 22, 12, 25, 27]  # mm of the 156 mm text width
        if self.has_history:
            headers.append("新增/持续")
            widths = [8, 46, 22, 12, 22, 27, 19]
        rows = []
        for g in self.gaps_by_priority():
            row = [str(g.number), g.one_line, outline_ref(g.heading), g.severity_zh, g.who_lines, chinese_date(g.deadline)]
            if self.has_history:
                row.append(months_text(g.months_open))
            rows.append(row)
        return headers, rows, widths

    @property
    def date_zh(self) -> str:
        return chinese_date(self.as_of)

    def overview(self) -> str:
        """The counts paragraph of 一、总体情况, in the words the table beside it uses.

        义务 (obligations, 项) are counted once each by their standing (any gap makes the
        obligation a gap); 事项 (items, 个) are the single subjects checked under them.
        """
        c, f = self.standing, self.finding_counts
        text = (
            f"本次检查对照本局各类台账，共检查法治政府建设义务{count_zh(self.obligations)}项、"
            f"检查事项{count_zh(sum(f.values()))}个。按义务计，已落实{count_zh(c[Status.met])}项，"
            f"存在问题{count_zh(c[Status.gap])}项（涉及问题事项{count_zh(f[Status.gap])}个）"
        )
        if c[Status.unknown]:
            text += f"，因台账缺失或记录无法读取等无法判断{count_zh(c[Status.unknown])}项"
        if c[Status.waived]:
            text += f"，经批准豁免{count_zh(c[Status.waived])}项"
        if c[Status.pending]:
            text += f"，尚未到期{count_zh(c[Status.pending])}项"
        if c[Status.not_applicable]:
            text += f"，不适用{count_zh(c[Status.not_applicable])}项"
        if f[Status.due_soon]:
            text += f"；未来{count_zh(self.warn_days)}日内有{count_zh(f[Status.due_soon])}个事项即将到期"
        text += "。"
        if not self.gaps:
            text += "本次检查未发现问题。"
        else:
            text += "存在问题的义务按严重程度排列如下："
        return text

    def overview_table(self) -> tuple[list[str], list[list[str]]]:
        """Counts by conclusion: obligations by their standing (sums to the total), items by their own."""
        rows = [
            [STATUS_ZH[s], str(self.standing[s]), str(self.finding_counts[s])]
            for s in (Status.met, Status.gap, Status.pending, Status.unknown, Status.waived, Status.not_applicable)
            if s is not Status.waived or self.finding_counts[s]
        ]
        rows.insert(2, [STATUS_ZH[Status.due_soon], "—", str(self.finding_counts[Status.due_soon])])
        rows.append(["合计", str(self.obligations), str(sum(self.finding_counts.values()))])
        return ["结论", "义务（项）", "检查事项（个）"], rows

    def due_table(self, items: list[DueItem]) -> tuple[list[str], list[list[str]]]:
        rows = [
            [str(i), d.title, d.subject, d.due.isoformat() if d.due else "", d.owner, d.message]
            for i, d in enumerate(items, start=1)
        ]
        return ["序号", "义务", "事项", "到期日", "责任科室", "说明"], rows

    def unknown_table(self) -> tuple[list[str], list[list[str]]]:
        rows = [
            [str(i), d.title, d.subject, d.owner, d.reason or d.message]
            for i, d in enumerate(self.unknown, start=1)
        ]
        return ["序号", "义务", "事项", "责任科室", "无法判断的原因"], rows

    def record_id_table(self) -> tuple[list[str], list[list[str]]]:
        """Each gap item with the ids of its records, numbered as the body's 问题."""
        rows = []
        for g in self.gaps:
            for k, (finding, _records) in enumerate(g.subjects, start=1):
                number = str(g.number) if len(g.subjects) == 1 else f"{g.number}.{k}"
                ids = list(dict.fromkeys(_ids_of(finding)))
                rows.append([number, g.title, finding.key if finding.key != "-" else "", "、".join(ids) or "（未见相关记录）"])
        return ["问题序号", "义务", "事项", "记录编号（对象及证据）"], rows

    def quote_table(self) -> tuple[list[str], list[list[str]]]:
        rows = [[str(i), source, quote, "、".join(str(n) for n in numbers)]
                for i, (source, quote, numbers) in enumerate(self.full_quotes, start=1)]
        return ["序号", "依据", "原文", "对应问题"], rows

    def waiver_table(self) -> tuple[list[str], list[list[str]]]:
        w = self.waivers
        rows: list[list[str]] = []
        if w is not None:
            for waiver, keys in w.applied:
                rows.append([str(len(rows) + 1), waiver.rule, "、".join(keys), waiver.reason,
                             f"{waiver.approver}（{waiver.approved_in}）", f"{waiver.valid_from}至{waiver.until}"])
        return ["序号", "规则", "豁免事项", "理由", "批准", "有效期"], rows

    @property
    def data_incomplete(self) -> bool:
        return bool(self.missing_ledgers or self.unread)

    def missing_intro(self) -> str:
        undecided = len({o for m in self.missing_ledgers for o in m.obligations})
        return (
            f"以下{count_zh(len(self.missing_ledgers))}个台账检查需要使用但未提交，也未在单位信息中声明本期无记录，"
            f"相关的{count_zh(undecided)}项义务无法判断。请有关科室补交台账（本期确无记录的，提交空台账或在"
            "profile.yaml 的 no_records 中声明）后复查："
        )

    def missing_table(self) -> tuple[list[str], list[list[str]]]:
        rows = [
            [str(i), m.label, str(len(m.obligations)), "；".join(m.obligations)]
            for i, m in enumerate(self.missing_ledgers, start=1)
        ]
        return ["序号", "未提交的台账", "无法判断的义务（项）", "无法判断的义务"], rows

    def data_quality_intro(self) -> str:
        text = f"本次检查读取台账{count_zh(self.ledgers_read)}个、记录{count_zh(self.records_read)}条。"
        if self.unread:
            text += (
                f"有{count_zh(self.unread_records)}条记录无法读取，未计入检查，所涉事项按无法判断处理；"
                "请按下表所列位置改正台账后复查："
            )
        else:
            text += "各条记录均已读取。"
        return text

    def unread_table(self) -> tuple[list[str], list[list[str]]]:
        rows = [
            [str(i), u.file, u.sheet, u.row, u.column, u.header, u.problem]
            for i, u in enumerate(self.unread, start=1)
        ]
        return ["序号", "文件", "工作表", "行", "列", "表头", "问题（所见与应为）"], rows

    def met_table(self) -> tuple[list[str], list[list[str]]]:
        rows = [
            [str(i), outline_ref(m.heading), m.title, str(m.met_count), str(m.evidence_count), m.note]
            for i, m in enumerate(self.met, start=1)
        ]
        return ["序号", "出处", "义务", "已落实事项（个）", "证据记录（条）", "备注"], rows

    def next_steps_intro(self) -> str:
        return (
            f"针对本次检查发现的问题，下一步，我局将按责任科室分{count_zh(len(self.next_steps))}个方面抓好整改，"
            "切实把依法治统落到实处。"
        )


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def quoted(text: str) -> str:
    """Text to stand inside “…”: its own double quotes become single ones, as Chinese nesting requires."""
    return text.replace("“", "‘").replace("”", "’")


def count_zh(n: int) -> str:
    """A count in running text as 公文 write it: 一 to 十 in characters (两 before a measure word),
    larger numbers in Arabic numerals."""
    if n == 2:
        return "两"
    return chinese_number(n) if 1 <= n <= 10 else str(n)


def months_text(months: int | None) -> str:
    if months is None:
        return ""
    return "新增" if months <= 0 else f"持续{months}个月"


def outline_ref(where: str) -> str:
    """A rule's ``where`` written the one way the annual report writes it: full-width brackets, 一（四）5."""
    return where.replace("(", "（").replace(")", "）").replace(" ", "")


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (enough for headings and list labels)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def outline_heading(where: str) -> tuple[str, str]:
    """The outline heading a finding's ``where`` falls under: ``一(四)4`` → (一(四), 严格行政执法)."""
    section, part = heading_of(where)
    if part is not None:
        return part, OUTLINE[part]
    if section == "二":
        return "二", OUTLINE["二"]
    return OTHER_HEADING


def deadline_for(severity: str, as_of: dt.date, rule: RuleBase | None = None,
                 settings: ReportSettings | None = None) -> tuple[dt.date, str]:
    """整改时限 and where it came from: the rule's own ``rectify_within_days``, else the bureau's
    report.yaml ``deadlines`` by severity, else the default by severity."""
    if rule is not None and rule.rectify_within_days is not None:
        days = rule.rectify_within_days
        return as_of + dt.timedelta(days=days), f"规则规定{days}日"
    by_severity = (settings or ReportSettings()).deadlines
    days = getattr(by_severity, severity, by_severity.medium)
    source = "报告设置" if settings is not None and settings.deadlines_set else "默认"
    return as_of + dt.timedelta(days=days), f"严重程度{SEVERITY_ZH.get(severity, severity)}，{days}日，{source}"


def deadline_rule_text(settings: ReportSettings | None) -> str:
    """The sentence of the report that says how 整改时限 were set."""
    s = settings or ReportSettings()
    d = s.deadlines
    source = "本单位报告设置（report.yaml）" if s.deadlines_set else "默认设置"
    return (f"整改时限自检查日起算：规则另有规定的从其规定，其他按{source}，严重程度为“高”的问题 {d.high} 日内完成，"
            f"“中” {d.medium} 日内，“低” {d.low} 日内。")


def citations_for(rule: RuleBase, version: str | None) -> list[Citation]:
    """A rule version's own citations replace the rule's (e.g. the 2021 行政处罚法)."""
    for v in rule.versions:
        if v.version == version and v.citations:
            return list(v.citations)
    return list(rule.citations)


def describe_record(record: Record) -> EvidenceRecord:
    ledger = ledger_title(record.ledger)
    texts = [getattr(record, name, None) for name in DESCRIPTIVE_FIELDS]
    parts = [t for t in texts if isinstance(t, str) and t][:2]
    start, end = getattr(record, "start", None), getattr(record, "end", None)
    if isinstance(start, dt.date):
        parts.append(f"期限 {start.isoformat()} 至 {end.isoformat() if isinstance(end, dt.date) else '长期'}")
    amount = getattr(record, "amount", None)
    if amount is not None:
        parts.append(f"{amount} 元")
    return EvidenceRecord(record.id, ledger, record.day, "，".join(parts))


class _RecordIndex:
    """Records by id, for naming the evidence of a finding (ids are unique per ledger only)."""

    def __init__(self, bureau: Bureau | None) -> None:
        self._by_id: dict[str, list[Record]] = {}
        self._staff: dict[str, str] = {}
        if bureau is not None:
            for record in bureau.all_records():
                self._by_id.setdefault(record.id, []).append(record)
            self._staff = {m.id: m.name for m in bureau.profile.staff}

    def in_words(self, text: str, ids: Iterable[str], prefer: set[str]) -> str:
        """``text`` with each of ``ids`` (records, staff) written as words: ids stay in the appendix."""
        for rid in sorted({i for i in ids if i and i != "-"}, key=len, reverse=True):
            # The space a message puts around an id goes with it before Chinese text (“文件 ND-1 的” → “文件（…）的”).
            pattern = re.compile(rf"\s?(?<![\w-]){re.escape(rid)}(?![\w-])(?:\s(?=[^\x00-\x7f]))?")
            if rid in self._staff:
                replacement = self._staff[rid]
            elif rid in self._by_id:
                replacement = self.describe(rid, prefer).inline
            else:
                continue
            text = pattern.sub(_literal(replacement), text)
        return text

    def key_words(self, finding: Finding, prefer: set[str]) -> str:
        """A finding's key in words: the record by its ledger, date and description, people by name, periods as they are."""
        if not finding.subject:
            return finding.key
        record, *rest = re.split(r"[/@]", finding.subject)
        head = self.describe(record, prefer).words if record in self._by_id else self._staff.get(record, record)
        tail = [self._staff.get(p, p) for p in rest] + ([finding.period] if finding.period else [])
        return "，".join([head, *tail])

    def describe(self, rid: str, prefer: set[str]) -> EvidenceRecord:
        found = self._by_id.get(rid, [])
        preferred = [r for r in found if r.ledger in prefer] or found
        if not preferred:
            return EvidenceRecord(rid, "", None, "")
        return describe_record(preferred[0])


def _rule_ledgers(rule: RuleBase) -> set[str]:
    return {s.ledger for s in rule.selectors()}


def _standing(statuses: set[Status]) -> Status:
    """One obligation's standing in the overview: any gap makes it a gap; else any unknown; else met
    if anything is met (the rest not yet due); else not yet due; else not applicable."""
    for s in (Status.gap, Status.unknown, Status.waived, Status.met, Status.due_soon, Status.pending):
        if s in statuses:
            return Status.pending if s is Status.due_soon else s
    return Status.not_applicable


def _problem(title: str, where: str, gaps: list[Finding], index: _RecordIndex, prefer: set[str]) -> str:
    """问题 in one sentence. Periods (2020, 2020Q4) are named; records and people are named in words,
    their ids kept for the appendix."""
    keys = [index.key_words(f, prefer) for f in gaps if f.key != "-"]
    text = f"未落实“{quoted(title)}”的要求"
    if len(keys) == 1:
        text += f"，涉及{keys[0]}"
    elif keys and all(f.subject is None for f in gaps):
        text += f"，涉及 {len(keys)} 个事项：" + "、".join(keys[:5]) + ("等" if len(keys) > 5 else "")
    elif keys:
        text += f"，涉及 {len(keys)} 个事项（逐项见附件）"
    return text + f"（对应年度报告{outline_ref(where)}）。"


def _literal(value: str) -> Callable[[re.Match[str]], str]:
    """A replacement for ``re.sub`` taken as it is (record text may hold backslashes)."""
    return lambda _match: value


def _ids_of(finding: Finding) -> list[str]:
    """The record and staff ids a finding names: its subject (A-1/P2, P01@2020) and its evidence."""
    subject = re.split(r"[/@]", finding.subject) if finding.subject else []
    return [*subject, *finding.evidence]


def _clauses(remedy: str) -> list[str]:
    return [c.strip() for c in re.split(r"[；;。]", remedy) if c.strip()]


def build_report(
    result: CheckResult,
    rulebook: Rulebook,
    bureau: Bureau | None = None,
    warn_days: int = 30,
    settings: ReportSettings | None = None,
    months_open: dict[str, int] | None = None,
) -> Report:
    """The report of one check. ``bureau`` (optional) lets 表现 name each evidence record with its date
    and 责任人 come from the profile's staff; ``months_open`` (rule id → months a gap has stood, from
    the history of earlier checks) adds 新增/持续 to the overview; without it that column is left out."""
    index = _RecordIndex(bureau)
    heads = _office_heads(bureau)
    supervisors = _supervisors(bureau)
    by_rule: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    order = {r.id: i for i, r in enumerate(rulebook.rules)}
    rule_ids = sorted(by_rule, key=lambda rid: (_sort_key(by_rule[rid][0].heading), order.get(rid, len(order)), rid))

    standing = {s: 0 for s in Status}
    involved = {s: 0 for s in Status}
    finding_counts = {s: 0 for s in Status}
    for rid in rule_ids:
        statuses = {f.status for f in by_rule[rid]}
        standing[_standing(statuses)] += 1
        for s in statuses:
            involved[s] += 1
        for f in by_rule[rid]:
            finding_counts[f.status] += 1

    sections: dict[tuple[str, str], list[GapItem]] = {}
    due_soon: list[DueItem] = []
    unknown: list[DueItem] = []
    met: list[MetObligation] = []
    number = 0
    quotes = _Quotes((settings or ReportSettings()).quote_chars)
    for rid in rule_ids:
        findings = by_rule[rid]
        rule = rulebook.find(rid)
        owner = rule.owner if rule else ""
        gaps = [f for f in findings if f.status is Status.gap]
        ledgers = _rule_ledgers(rule) if rule else set()
        for f in findings:
            if f.status in (Status.due_soon, Status.unknown):
                words = index.key_words(f, ledgers) if f.key != "-" else ""
                message = index.in_words(f.message, _ids_of(f), ledgers)
                due_item = DueItem(rid, f.heading, f.title, words, f.due, owner, message,
                                   _unknown_reason(f) if f.status is Status.unknown else "")
                (due_soon if f.status is Status.due_soon else unknown).append(due_item)
        if gaps:
            number += 1
            ids = list(dict.fromkeys(e for f in gaps for e in f.evidence))
            cites = citations_for(rule, gaps[0].version) if rule else []
            severity = rule.severity if rule else "medium"
            deadline, deadline_basis = deadline_for(severity, result.as_of, rule, settings)
            item = GapItem(
                number=number,
                rule_id=rid,
                heading=gaps[0].heading,
                title=gaps[0].title,
                problem=_problem(gaps[0].title, gaps[0].heading, gaps, index, ledgers),
                citations=list(dict.fromkeys(quotes.cite(c, number) for c in cites)),
                facts=[index.in_words(f.message, _ids_of(f), ledgers) for f in gaps if f.message],
                records=[index.describe(e, ledgers) for e in ids[:SHOWN_RECORDS]],
                records_total=len(ids),
                remedy=rule.remedy if rule else "",
                owner=owner,
                severity=severity,
                deadline=deadline,
                deadline_basis=deadline_basis,
                item_count=len(gaps),
                responsible=heads.get(_office(owner), ""),
                supervisor=supervisors.get(_office(owner), ""),
                months_open=months_open.get(rid, 0) if months_open is not None else None,
                subjects=[(f, [index.describe(e, ledgers) for e in f.evidence]) for f in gaps],
            )
            sections.setdefault(outline_heading(gaps[0].heading), []).append(item)
        elif any(f.status is Status.met for f in findings) and not any(f.status is Status.unknown for f in findings):
            done = [f for f in findings if f.status is Status.met]
            open_items = [f for f in findings if f.status in (Status.due_soon, Status.pending)]
            note = f"另有 {len(open_items)} 个事项尚未到期" if open_items else ""
            met.append(MetObligation(rid, findings[0].heading, findings[0].title, len(done),
                                     len({e for f in done for e in f.evidence}), note))

    gap_sections = [GapSection(code, heading, items) for (code, heading), items in sections.items()]
    data = result.data
    titles = {r.id: r.title for r in rulebook.rules}
    return Report(
        bureau=result.bureau,
        as_of=result.as_of,
        warn_days=warn_days,
        rulebook_version=result.rulebook_version,
        rulebook_digest=result.rulebook_digest,
        obligations=len(rule_ids),
        standing=standing,
        involved=involved,
        finding_counts=finding_counts,
        sections=gap_sections,
        due_soon=sorted(due_soon, key=lambda d: (d.due or dt.date.max, d.heading)),
        unknown=unknown,
        met=met,
        next_steps=_next_steps([i for s in gap_sections for i in s.items]),
        settings=settings or ReportSettings(),
        deadline_rule=deadline_rule_text(settings),
        has_history=months_open is not None,
        missing_ledgers=[
            MissingLedger(name, LEDGERS[name].label, [titles.get(r, r) for r in rules])
            for name, rules in (data.missing.items() if data else [])
        ],
        unread=[cell for u in (data.unread if data else []) for cell in _unread_cells(u)],
        unread_records=len(data.unread) if data else 0,
        data_notes=[_note(w) for w in (data.warnings if data else [])] + (result.waivers.notes() if result.waivers else []),
        waivers=result.waivers,
        full_quotes=[(source, quote, numbers) for (source, quote), numbers in quotes.full.items()],
        statuses={f.fingerprint: f.status.value for f in result.findings},
        rectification=result.rectification,
        ledgers_read=len(data.accounts) if data else 0,
        records_read=sum(a.read for a in data.accounts) if data else 0,
    )


QUOTE_APPENDIX = "附件2"
"""Where the full text of a cut quote stands: 依据原文 follows 问题事项与记录编号 (附件1), which a
report citing anything always has (see ``outline``)."""

SENTENCE_ENDS = "。！？"


def cut_quote(quote: str, limit: int) -> str | None:
    """A quote longer than ``limit`` characters cut after its last sentence end within the limit
    (or its first sentence, if that alone is longer); None when it is short enough or is one sentence."""
    if len(quote) <= limit:
        return None
    ends = [i + 1 for i, ch in enumerate(quote) if ch in SENTENCE_ENDS and i + 1 < len(quote)]
    within = [e for e in ends if e <= limit]
    at = within[-1] if within else (ends[0] if ends else None)
    return quote[:at] if at else None


_OUTLINE_REF = re.compile(r"[一二三四五六七八九十]+\s*[(（]")


class _Quotes:
    """依据 in the shared citation text (``Citation.text``), a long quote cut at a sentence end with
    ……（全文见附件2）; each full text is kept once for the appendix, with the gaps citing it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.full: dict[tuple[str, str], list[int]] = {}

    def cite(self, citation: Citation, number: int) -> str:
        if citation.article and _OUTLINE_REF.match(citation.article):  # the annual report's 一(一)1 as it writes it
            citation = citation.model_copy(update={"article": outline_ref(citation.article)})
        cut = cut_quote(citation.quote, self.limit) if citation.quote else None
        if cut is None or citation.quote is None:
            return citation.text()
        numbers = self.full.setdefault((citation.model_copy(update={"quote": None}).text(), citation.quote), [])
        if number not in numbers:
            numbers.append(number)
        text = citation.model_copy(update={"quote": cut + "……"}).text()
        mark = cut + "……" + ("" if citation.paraphrase else "”")
        return text.replace(mark, f"{mark}（全文见{QUOTE_APPENDIX}）", 1)


def _unknown_reason(finding: Finding) -> str:
    """Why a finding cannot be judged, pointing to the section that lists the missing or unreadable data."""
    missing = finding.details.get("missing_ledgers")
    if missing:
        labels = "、".join(LEDGERS[n].label if n in LEDGERS else str(n) for n in missing)
        return f"未提交{labels}（见台账缺失）"
    unread = finding.details.get("unread")
    if unread:
        places = []
        for u in unread:
            label = LEDGERS[u["ledger"]].label if u.get("ledger") in LEDGERS else str(u.get("ledger", ""))
            places.append(label + (f"第{u['row']}行" if u.get("row") else ""))
        shown = "、".join(dict.fromkeys(places[:3])) + ("等" if len(places) > 3 else "")
        return f"{count_zh(len(unread))}条记录无法读取：{shown}（见数据质量）"
    return finding.message


def _unread_cells(record: UnreadRecord) -> list[UnreadCell]:
    out = []
    for p in record.problems:
        column = column_letter(p.column) if p.column and (p.header is not None or p.sheet) else (str(p.column) if p.column else "")
        name = (p.field or "").rsplit(".", 1)[-1]
        info = LEDGERS[record.ledger].model_fields.get(name) if record.ledger in LEDGERS else None
        header = p.header or (info.title if info is not None and info.title else name)
        row = p.line if p.line is not None else record.line
        out.append(UnreadCell(
            Path(p.file or record.file).name, p.sheet or "", str(row) if row else "", column, header or "",
            p.record or record.rid or "", p.text,
        ))
    return out


def _note(problem: Problem) -> str:
    where = Path(problem.file).name if problem.file else ""
    if problem.line is not None:
        where += f" 第{problem.line}行"
    return f"{where}：{problem.text}" if where else problem.text


HEAD_TITLES = ("科长", "主任", "负责人")
"""The staff role that heads an office: 法规科 → 法规科科长, 办公室 → 办公室主任."""


def _office(owner: str) -> str:
    """The office itself, without a note such as 办公室（财务）."""
    return re.split(r"[（(]", owner, maxsplit=1)[0].strip()


def _office_heads(bureau: Bureau | None) -> dict[str, str]:
    """Office → the name of its head, from roles such as 法规科科长 (the first listed wins)."""
    heads: dict[str, str] = {}
    if bureau is None:
        return heads
    for member in bureau.profile.staff:
        if member.left is not None:
            continue
        for role in member.roles:
            for head in HEAD_TITLES:
                if role.endswith(head) and len(role) > len(head):
                    office = role[: -len(head)]
                    if head == "科长" and not office.endswith("科"):
                        continue
                    heads.setdefault(office, member.name)
    return heads


def _supervisors(bureau: Bureau | None) -> dict[str, str]:
    """Office → the leader who supervises it, as role and name (副局长乙), from ``supervises``."""
    out: dict[str, str] = {}
    if bureau is None:
        return out
    for member in bureau.profile.staff:
        if member.left is not None:
            continue
        title = next((r for r in member.roles if r.endswith(("局长", "主任", "书记", "组长"))), "")
        for office in member.supervises:
            out.setdefault(office, f"{title}{member.name}")
    return out


def _sort_key(where: str) -> tuple[int, list[Any]]:
    """Outline order: 一(一) … 一(八), then 二, then anything else; 一(四)2 before 一(四)10."""
    code, _ = outline_heading(where)
    codes = list(OUTLINE)
    natural = [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", where)]
    return (codes.index(code) if code in codes else len(codes), natural)


def _next_steps(items: list[GapItem]) -> list[NextStep]:
    """下一步工作安排: for each office, one measure per outline heading it answers for, joining the
    remedies' clauses of that heading's gaps (each clause once), with the gap numbers it answers.

    A few grouped measures per office, not one per clause: every clause of every remedy is still in
    the gap item's 整改措施; here the meeting reads what each office will do, heading by heading.
    """
    groups: dict[str, dict[tuple[str, str], tuple[list[str], list[int]]]] = {}
    for item in items:
        by_heading = groups.setdefault(item.owner or "有关科室", {})
        clauses, numbers = by_heading.setdefault(outline_heading(item.heading), ([], []))
        seen = {_normalise(c) for c in clauses}
        for clause in _clauses(item.remedy):
            if _normalise(clause) not in seen:
                clauses.append(clause)
                seen.add(_normalise(clause))
        if item.number not in numbers:
            numbers.append(item.number)
    return [
        NextStep(owner, [(f"{title}方面：{'；'.join(clauses)}", numbers) for (_, title), (clauses, numbers) in by_heading.items()],
                 [f"{title}方面，{_brief(clauses[0])}" for (_, title), (clauses, _) in by_heading.items() if clauses])
        for owner, by_heading in groups.items()
    ]


def _brief(clause: str, limit: int = 30) -> str:
    """A measure's first clause as a brief names it: a long one up to its first comma (the rest is in the details)."""
    return clause.split("，")[0] if len(clause) > limit and "，" in clause[:limit + 10] else clause


def _normalise(text: str) -> str:
    return re.sub(r"[\s，,、]", "", text)

