"""Evaluations in child processes: a crash of the engine's C code must not take the caller with it.

durable-rules can segfault and never returns memory (notes r06, r09). So each evaluation, or
each batch of bureaus, runs in a spawned process that is thrown away afterwards; a result is
accepted only from a child that reported it and exited cleanly. ``ProcessPoolExecutor`` and
``multiprocessing.Pool`` are not used: after one crash the first loses every later job and the
second never returns the crashed task (notes r09).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import multiprocessing as mp
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .completeness import DataQuality
from .engine import EngineError
from .errors import InputError, Problem
from .evaluate import EvaluationError, evaluate
from .findings import Finding
from .records import Bureau, load_bureau
from .records.loading import check_as_of
from .rules import RuleBase

__all__ = ["Job", "JobResult", "evaluate_isolated", "evaluate_many"]

_CTX = mp.get_context("spawn")


@dataclass
class Job:
    """One bureau to check: already loaded, or a folder the child loads (validation then runs in parallel too)."""

    key: str
    bureau: Bureau | None
    as_of: dt.date
    warn_days: int = 30
    folder: str | None = None


@dataclass
class JobResult:
    key: str
    findings: list[Finding] | None
    error: str | None = None
    bureau_name: str = ""
    bad_input: bool = False
    evaluation: bool = False
    """The evaluation itself failed (a rule could not be judged), as opposed to the engine process."""
    data: DataQuality | None = None
    """What the bureau's records lacked, for a bureau the child loaded itself."""
    problems: tuple[Problem, ...] = ()
    """For bad input, the problems themselves (``error`` is their text), so the parent can re-raise them."""
    crashed: bool = False
    """The child exited without reporting this job (a crash, or killed after the timeout): retried alone."""

    @property
    def reason(self) -> str:
        """Why there are no findings, in a short phrase for a table; ``error`` holds the whole message."""
        if self.problems:
            first = self.problems[0]
            more = f"（等 {len(self.problems)} 处）" if len(self.problems) > 1 else ""
            where = Path(first.file).name
            field = f" {first.field}" if first.field else ""
            return _short(f"{where}{field}：{first.text}") + more
        return _short(self.error or "")


Evaluator = Callable[[list[RuleBase], Bureau, dt.date, int], list[Finding]]

CHILD_MEMORY = 256 * 2**20
"""A child that holds more than this after a bureau is retired and the rest of its batch goes to a
fresh one. durable-rules never returns memory (notes r06): measured at 2,000 records a bureau, a
child grew by about 40 MB a bureau, so a batch of 20 reached 821 MB and 100 bureaus on 2 lanes
peaked at 1.7 GB for the process tree. Capping each child keeps the peak flat in the number of
bureaus; a fresh child costs its start-up (0.3-0.4 s), paid about once every 5 bureaus."""

_RECYCLE = "recycle"
"""What a child sends instead of a result when it retires itself over ``CHILD_MEMORY``."""


def _resident() -> int:
    """This process's resident memory in bytes (Linux /proc), 0 where it cannot be read: then no recycling."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _short(text: str, limit: int = 60) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this child when its parent dies (Linux), whatever kills the parent.

    A ``check`` killed by SIGTERM or SIGKILL runs no clean-up of its own, and the engine child
    would go on evaluating (seconds, or minutes for a large bureau) for nobody. Elsewhere the
    child still ends when it next writes to the closed pipe.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)


def _answer(rules: list[RuleBase], job: Job, evaluator: Evaluator) -> JobResult:
    try:
        bureau = job.bureau if job.bureau is not None else load_bureau(Path(job.folder or ""))
        check_as_of(bureau, job.as_of)
        findings = evaluator(rules, bureau, job.as_of, job.warn_days)
        data = DataQuality.of(rules, bureau) if job.bureau is None else None
        return JobResult(job.key, findings, None, bureau.profile.name, data=data)
    except InputError as exc:
        return JobResult(job.key, None, str(exc), bad_input=True, problems=tuple(exc.problems))
    except EngineError as exc:
        return JobResult(job.key, None, str(exc))
    except EvaluationError as exc:
        return JobResult(job.key, None, str(exc), evaluation=True)
    except Exception as exc:  # noqa: BLE001 - a child never prints a traceback; the parent says what failed
        return JobResult(job.key, None, f"检查程序内部错误：{type(exc).__name__}: {exc}", evaluation=True)


def _worker(rules: list[RuleBase], jobs: list[Job], conn: Connection, evaluator: Evaluator, parent: int, memory: int) -> None:
    _die_with_parent(parent)
    # Ctrl-C reaches the whole process group: the parent stops and kills its children; a child
    # taking the interrupt itself would only print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for n, job in enumerate(jobs, start=1):
            result = _answer(rules, job, evaluator)
            try:
                conn.send(result)
            except (OSError, EOFError):
                raise
            except Exception as exc:  # noqa: BLE001 - findings that cannot be sent back (too deep to pickle)
                conn.send(JobResult(job.key, None, f"检查结果无法传回：{type(exc).__name__}: {exc}", evaluation=True))
            if n < len(jobs) and memory and _resident() > memory:
                conn.send(_RECYCLE)  # the parent gives the rest of the batch to a fresh child
                break
        conn.close()
    except BaseException:  # noqa: BLE001 - the parent is gone or the pipe broke: leave quietly, no traceback
        sys.stderr.flush()
        os._exit(70)


def _run_batch(
    rules: list[RuleBase], jobs: list[Job], timeout: float, evaluator: Evaluator, memory: int = CHILD_MEMORY,
) -> Iterator[JobResult]:
    """Run jobs in one child (or, when a child retires itself over ``memory``, a fresh one for the
    rest); yield what was reported, and a failure for each job no child reported."""
    todo = list(jobs)
    while todo:
        recycled = False
        parent, child = _CTX.Pipe(duplex=False)
        process = _CTX.Process(target=_worker, args=(rules, todo, child, evaluator, os.getpid(), memory), daemon=True)
        process.start()
        child.close()
        reported: set[str] = set()
        try:
            try:
                while len(reported) < len(todo) and parent.poll(timeout):
                    result: JobResult | str = parent.recv()
                    if isinstance(result, str):  # _RECYCLE: the child retires itself, a fresh one takes the rest
                        recycled = True
                        break
                    reported.add(result.key)
                    yield result
            except EOFError:
                pass
            process.join(5)
        finally:
            # Also on Ctrl-C, an error in the caller, or the caller dropping this generator: the
            # child never outlives the batch it was started for.
            if process.is_alive():
                process.kill()
            process.join()
            parent.close()
        left = [job for job in todo if job.key not in reported]
        if recycled and process.exitcode == 0:
            todo = left
            continue
        if left:
            why = (
                f"规则引擎进程异常退出（engine process exited with status {process.exitcode}）" if process.exitcode
                else f"规则引擎 {timeout:.0f} 秒内无应答（no answer within {timeout:.0f} s）"
            )
            for job in left:
                yield JobResult(job.key, None, why, crashed=bool(process.exitcode))
        return


def evaluate_isolated(
    rules: list[RuleBase], bureau: Bureau, as_of: dt.date, warn_days: int = 30, timeout: float = 600,
    evaluator: Evaluator = evaluate,
) -> list[Finding]:
    """``evaluate`` in a throw-away child process; an engine crash becomes an EngineError."""
    check_as_of(bureau, as_of)  # before a child is spawned: a profile that judges nothing is bad input
    [result] = list(_run_batch(rules, [Job("one", bureau, as_of, warn_days)], timeout, evaluator))
    if result.findings is None:
        if result.bad_input:
            raise InputError(list(result.problems) or [Problem(bureau.source, result.error or "")])
        if result.evaluation:
            raise EvaluationError(result.error or "")
        raise EngineError(result.error or "engine process failed")
    return result.findings


def evaluate_many(
    rules: list[RuleBase], jobs: Iterable[Job], batch_size: int = 20, timeout: float = 600, evaluator: Evaluator = evaluate,
    memory: int = CHILD_MEMORY,
) -> Iterator[JobResult]:
    """Evaluate many bureaus in batches, one fresh child per batch, streaming results as they come.

    A child over ``memory`` bytes after a bureau hands the rest of its batch to a fresh child
    (0: never), so the memory of a long run stays flat however many bureaus it checks.
    A batch whose child dies is retried one bureau at a time, so a crash costs only the bureau
    that caused it. ``evaluator`` must be a module-level function (it is sent to the child).
    """
    batch: list[Job] = []

    def flush(items: list[Job]) -> Iterator[JobResult]:
        failed: list[Job] = []
        by_key = {j.key: j for j in items}
        for result in _run_batch(rules, items, timeout, evaluator, memory):
            if result.findings is None and len(items) > 1 and result.crashed:
                failed.append(by_key[result.key])
            else:
                yield result
        for job in failed:
            yield from _run_batch(rules, [job], timeout, evaluator, memory)

    for job in jobs:
        batch.append(job)
        if len(batch) >= batch_size:
            yield from flush(batch)
            batch = []
    if batch:
        yield from flush(batch)


