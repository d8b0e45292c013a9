"""``rules show``: a rule explained in plain Chinese, rendered from its YAML.

The way a legal adviser would explain it to a colleague: what it requires of which records,
by when, the parameter values in force and since when, the versions, where it comes from,
what to do about a gap, and who answers for it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..conditions import Condition, field_label, show_value
from ..kinds.aggregate import AggregateRule, Measure
from ..kinds.coverage import CoverageRule
from ..kinds.deadline import DeadlineRule
from ..kinds.per_record import PerRecordRule
from ..kinds.periodic import PeriodicRule
from ..records import RECORD_TYPES
from ..records.base import ledger_name
from ..rules import SEVERITY_ZH, Citation, ParamValue, RuleBase, Selector

__all__ = ["explain", "requirement", "param_in_force", "show_value", "citation_text", "SEVERITY_ZH", "EVERY"]

EVERY = {"month": "每月", "quarter": "每季度", "half-year": "每半年", "year": "每年"}


def param_in_force(values: list[ParamValue], day: dt.date) -> tuple[ParamValue, bool]:
    """The value in force on ``day``, and whether it is in force yet (the first value applies before it)."""
    chosen = None
    for v in values:
        if v.from_ <= day:
            chosen = v
    return (chosen, True) if chosen is not None else (values[0], False)


def citation_text(c: Citation) -> str:
    text = c.source + (f" {c.article}" if c.article else "")
    if c.quote:
        text += f"：“{c.quote}”"
    if c.policy:
        text += "（本单位或地方政策，非法律规定）"
    return text


def _conds(conds: list[Condition], rtype: str, params: dict[str, Any]) -> str:
    shown = {name: show_value(value) for name, value in params.items()}
    return "，且".join(c.describe(rtype, shown) for c in conds)


def _scope(selector: Selector, params: dict[str, Any]) -> str:
    return f"（限于{_conds(selector.when, selector.record, params)}的记录）" if selector.when else ""


def _per_record(rule: PerRecordRule, params: dict[str, Any]) -> str:
    rtype = rule.subject.record
    each = f"的每一项{field_label(rtype, rule.subject.each)}" if rule.subject.each else ""
    parts = [_conds(rule.require, rtype, params)] if rule.require else []
    if rule.any_of:
        parts.append("并满足以下之一：" + "；或".join(_conds(g, rtype, params) for g in rule.any_of))
    if rule.exists is not None:
        ev = rule.exists.record
        cover = (f"，且其{field_label(ev, rule.exists.covers.start)}至{field_label(ev, rule.exists.covers.end)}覆盖该记录日期"
                 if rule.exists.covers else "")
        parts.append(f"有相应的{ledger_name(ev)}{_scope(rule.exists, params)}{cover}")
    return f"{ledger_name(rtype)}台账中的每一条记录{each}{_scope(rule.subject, params)}都必须满足：{'；'.join(parts)}。"


def _deadline(rule: DeadlineRule, params: dict[str, Any]) -> str:
    trigger, evidence = rule.trigger.record, rule.evidence.record
    start = rule.within.from_ or RECORD_TYPES[trigger].date_field
    days = rule.within.days if rule.within.days is not None else params.get(rule.within.param or "")
    unit = "个工作日（按国务院节假日安排，含调休）" if rule.within.working else "天"
    links = "，".join(
        f"{field_label(evidence, e)}为该{ledger_name(trigger)}的{'编号' if s == 'id' else field_label(trigger, s)}"
        for e, s in rule.link.items()
    )
    text = (f"每当出现一条{ledger_name(trigger)}{_scope(rule.trigger, params)}，须自其{field_label(trigger, start)}起 {days} {unit}内"
            f"有相应的{rule.evidence.what}{_scope(rule.evidence, params)}（{links}），"
            f"以{ledger_name(evidence)}的{field_label(evidence, rule.evidence.evidence_date)}为准。")
    extended = rule.within.extended
    if extended is not None:
        longer = extended.days if extended.days is not None else params.get(extended.param or "")
        text += f"{_conds(extended.when, trigger, params)}的，期限为 {longer} {unit}。"
    if rule.totals:
        text += "按期的" + "，".join(
            f"{ledger_name(evidence)}{field_label(evidence, e)}合计须等于{ledger_name(trigger)}的{field_label(trigger, s)}"
            for e, s in rule.totals.items()
        ) + "。"
    return text


def _periodic(rule: PeriodicRule, params: dict[str, Any]) -> str:
    evidence = rule.evidence.record
    due = rule.due
    month_day = due.month_day or (str(params.get(due.month_day_param)) if due.month_day_param else None)
    unit = "个工作日" if due.working else "天"
    if month_day:
        month, day = month_day.split("-")
        when = f"于{'次年' if due.next_year else '当年'} {int(month)} 月 {int(day)} 日前"
    elif due.days_after_end is not None or due.param:
        days = due.days_after_end if due.days_after_end is not None else params.get(due.param or "")
        when = f"于期末后 {days} {unit}内"
    else:
        when = "于期末前"
    if rule.occasions:
        days = "、".join(
            f"{int(o.month_day[:2])} 月 {int(o.month_day[3:])} 日{o.name}"
            + (f"（前 {o.days_before} 天至后 {o.days_after} 天内均可）" if o.days_before or o.days_after else "")
            for o in rule.occasions
        )
        return f"每年在以下日期各开展一次{rule.evidence.what}{_scope(rule.evidence, params)}：{days}；分别判断，逾期未开展的为问题。"
    belongs = (f"以{field_label(evidence, rule.period_field)}标明所属期间" if rule.period_field
               else f"以{field_label(evidence, rule.evidence.evidence_date)}落在该期间内为准")
    who = (f"担任“{rule.per_staff.role}”的每名人员（以{field_label(evidence, rule.per_staff.field)}区分）"
           if rule.per_staff else "")
    return (f"{EVERY[rule.period.value]}{who}都须有{rule.evidence.what}{_scope(rule.evidence, params)}，{when}完成"
            f"（{belongs}；按{ledger_name(evidence)}的{field_label(evidence, rule.evidence.evidence_date)}判断是否按期）。")


def _coverage(rule: CoverageRule, params: dict[str, Any]) -> str:
    rtype = rule.intervals.record
    needed = params.get(rule.at_least_param) if rule.at_least_param else rule.at_least
    return (f"每一天都须至少有 {needed} 条有效的{ledger_name(rtype)}{_scope(rule.intervals, params)}"
            f"（自{field_label(rtype, rule.intervals.start)}起至{field_label(rtype, rule.intervals.end)}止，含当日；"
            f"终止日期为空表示长期有效），{EVERY[rule.period.value]}出具一次结论；一天不满足即为问题。")


def _measure(m: Measure, rtype: str, params: dict[str, Any]) -> str:
    which = f"满足{_conds(m.where, rtype, params)}的" if m.where else f"{ledger_name(rtype)}"
    need = m.threshold(params)
    if m.type == "count":
        return f"{m.name}：{which}记录不少于 {need} 条"
    if m.type == "share":
        return f"{m.name}：{which}记录所占比例不少于 {float(need):.0%}"
    if m.type == "sum":
        return f"{m.name}：{which}记录的{field_label(rtype, m.field or '')}合计不少于 {need}"
    if m.type == "distinct":
        return f"{m.name}：{which}记录的{field_label(rtype, m.field or '')}不少于 {need} 种"
    return f"{m.name}：{which}记录的{field_label(rtype, m.field or '')}须涵盖 {show_value(need)}"


def _aggregate(rule: AggregateRule, params: dict[str, Any]) -> str:
    rtype = rule.records.record
    lines = "；".join(_measure(m, rtype, params) for m in rule.measures)
    return f"{EVERY[rule.period.value]}的{ledger_name(rtype)}{_scope(rule.records, params)}须同时达到：{lines}。期末判定。"


_REQUIREMENT = {
    PerRecordRule: _per_record, DeadlineRule: _deadline, PeriodicRule: _periodic,
    CoverageRule: _coverage, AggregateRule: _aggregate,
}


def requirement(rule: RuleBase, day: dt.date) -> str:
    """What the rule requires, in one or two sentences, with the parameter values in force on ``day``."""
    render = _REQUIREMENT.get(type(rule))
    params = rule.params_at(day)
    return render(rule, params) if render else f"（{rule.kind_title}规则，暂无中文说明模板）"  # type: ignore[operator]


def explain(rule: RuleBase, day: dt.date) -> str:
    lines = [
        f"{rule.title}（{rule.id}）",
        f"出处：报告{rule.where}　类型：{rule.kind_title}（{rule.kind_name}）　严重程度：{SEVERITY_ZH[rule.severity]}　责任科室：{rule.owner}",
        "",
        f"要求：{requirement(rule, day)}",
    ]
    if rule.description:
        lines.append(f"说明：{rule.description}")
    if rule.params:
        lines += ["", f"参数（截至 {day.isoformat()}）："]
        for name, values in rule.params.items():
            current, in_force = param_in_force(values, day)
            since = f"自 {current.from_.isoformat()} 起" if in_force else f"尚未生效，将自 {current.from_.isoformat()} 起"
            text = f"  · {name}：现行取值 {show_value(current.value)}，{since}"
            if current.source:
                text += f"（依据：{current.source}）"
            earlier = [v for v in values if v.from_ < current.from_]
            later = [v for v in values if v.from_ > current.from_]
            if earlier:
                text += "；此前" + "，".join(f"自 {v.from_.isoformat()} 起为 {show_value(v.value)}" for v in earlier)
            if later:
                text += "；其后" + "，".join(f"将自 {v.from_.isoformat()} 起改为 {show_value(v.value)}" for v in later)
            lines.append(text + "。")
    if rule.versions:
        current_version = rule.version_at(day)
        lines += ["", "版本（每条结论注明据以判定的版本）："]
        for v in rule.versions:
            mark = "（现行）" if v.version == current_version else ""
            lines.append(f"  · {v.version} 版，自 {v.from_.isoformat()} 起{mark}" + (f"：{v.note}" if v.note else ""))
            lines += [f"      依据：{citation_text(c)}" for c in v.citations]
    lines += ["", "依据："]
    lines += [f"  {i}. {citation_text(c)}" for i, c in enumerate(rule.citations, 1)]
    lines += ["", f"整改：{rule.remedy}", f"责任科室：{rule.owner}"]
    statuses = [s.value for ex in rule.examples for s in ex.expect.values()]
    lines.append(f"案例：{len(rule.examples)} 个（期望已落实 {statuses.count('met')} 处，问题 {statuses.count('gap')} 处）")
    return "\n".join(lines)
