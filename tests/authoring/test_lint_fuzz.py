"""Whatever the adviser types, lint and the loader answer with messages, never a traceback."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.commands.rules import format_problem
from checker.errors import InputError
from checker.rulebook import DEFAULT_RULES, check_rule_paths, load_rule_file, rule_files

SOURCES = [p.read_text(encoding="utf-8").splitlines() for p in rule_files(DEFAULT_RULES)]
JUNK = ["", "x", "- a", "{}", "[]", "null", "1", "2020-02-30", "{a: 1}", "[1, [2]]", "true", "'", "~",
        "param: zz", "field: zz", "record: zz", "- from: 1900-01-01", "when: [{field: x, op: '==', value: 1}]",
        # impossible month-days, wrongly typed and out-of-range parameter values, unfilled skeletons
        "'02-30'", "month_day: '02-30'", "month_day: '02-29'", "'13-01'", "value: fifteen", "value: 3000000", "value: -5",
        "value: 1e400", "days: {param: zz}", "at_least: {param: zz}", "{param: 3}", "（待填写：x）", "heading: 一(九)9"]

edits = st.lists(
    st.tuples(st.integers(0, 200), st.sampled_from(["delete", "value", "insert"]), st.sampled_from(JUNK), st.integers(0, 6)),
    min_size=1, max_size=4,
)


def mutate(lines: list[str], changes: list[tuple[int, str, str, int]]) -> str:
    out = list(lines)
    for index, how, junk, indent in changes:
        if not out:
            break
        i = index % len(out)
        if how == "delete":
            del out[i]
        elif how == "value" and ":" in out[i]:
            out[i] = out[i].partition(":")[0] + ": " + junk
        else:
            out.insert(i, " " * indent + junk)
    return "\n".join(out)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=st.sampled_from(SOURCES), changes=edits)
def test_mutated_rules_give_messages_not_tracebacks(tmp_path: Path, source: list[str], changes: list[tuple[int, str, str, int]]) -> None:
    path = tmp_path / "mutated.rule.yaml"
    path.write_text(mutate(source, changes), encoding="utf-8")
    checked, rulebook_wide = check_rule_paths([path])
    for problem in [*(p for f in checked for p in f.problems), *rulebook_wide]:
        assert format_problem(problem).startswith(f"{path}:")
    try:
        load_rule_file(path)
    except InputError as exc:
        assert exc.problems
