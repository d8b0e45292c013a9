"""checker.files: the guarded reader and the safe atomic writer, every refusal with its message.

The suite runs as root in CI, and root ignores file permissions: permission failures are
simulated by making the system call fail (monkeypatch), and the one real chmod test skips as root.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import signal
import socket
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import checker.files as files
from checker.cli import main
from checker.errors import InputError
from checker.files import MAX_LEDGER_BYTES, MAX_RULE_FILE_BYTES, atomic_writer, read_input, write_atomic

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "district-bureau-2020"


def message(exc: pytest.ExceptionInfo[InputError]) -> str:
    [problem] = exc.value.problems
    return problem.message


def only(folder: Path) -> list[str]:
    """What is in a folder: after a failed write, no temporary file may remain."""
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A folder with a short path: a Unix socket's path must stay under ~100 bytes."""
    folder = Path(tempfile.mkdtemp(prefix="cf-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def no_replace_of_system_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests aimed at /dev/null and /dev/full: should the guard ever break, fail instead of replacing them as root."""
    real = os.replace

    def guarded(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        assert not str(dst).startswith("/dev/"), f"would have replaced {dst}"
        real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", guarded)


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail rather than hang the whole suite if a read blocks (a FIFO without writer)."""

    def timeout(signum: int, frame: Any) -> None:
        raise AssertionError("read_input blocked")

    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(5)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def make_char_device(path: Path) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # the same device as /dev/null
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot create a device node here: {exc}")


def fail_for(folder: Path, error: int, real: Callable[..., Any]) -> Callable[..., Any]:
    """A replacement for os.write/os.fsync that fails with ``error`` for files in ``folder`` only."""

    def fake(fd: int, *args: Any) -> Any:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if target.startswith(str(folder)):
            raise OSError(error, os.strerror(error))
        return real(fd, *args)

    return fake


# --- reading -------------------------------------------------------------------------------


def test_reads_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "rule.yaml"
    path.write_bytes("标题: 测试\n".encode())
    assert read_input(path, max_bytes=MAX_RULE_FILE_BYTES, what="规则文件") == "标题: 测试\n".encode()


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_bytes(b"a: 1\n")
    (tmp_path / "link.yaml").symlink_to("real.yaml")
    assert read_input(tmp_path / "link.yaml", max_bytes=100, what="规则文件") == b"a: 1\n"


def test_directory_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_input(tmp_path, max_bytes=100, what="规则文件")
    assert message(exc) == "不是普通文件（是目录）"
    assert exc.value.problems[0].file == str(tmp_path)


def test_fifo_refused_without_hanging(tmp_path: Path, alarm: None) -> None:
    fifo = tmp_path / "ledger.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as exc:
        read_input(fifo, max_bytes=100, what="台账文件")
    assert message(exc) == "不是普通文件（是命名管道 FIFO）"


def test_opened_nonblocking_and_checked_on_the_descriptor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The type check is fstat on the open file, not a stat before opening (no race)."""
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x")
    seen: list[int] = []
    real_open = os.open

    def spy(p: Any, flags: int, *args: Any) -> int:
        seen.append(flags)
        return real_open(p, flags, *args)

    def no_stat(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read_input must not stat the path before opening it")

    monkeypatch.setattr(os, "open", spy)
    monkeypatch.setattr(os, "stat", no_stat)
    assert read_input(path, max_bytes=10, what="文件") == b"x"
    assert seen and seen[0] & os.O_NONBLOCK


def test_dev_null_refused(alarm: None) -> None:
    with pytest.raises(InputError) as exc:
        read_input("/dev/null", max_bytes=100, what="台账文件")
    assert message(exc) == "不是普通文件（是字符设备）"


def test_device_node_refused(tmp_path: Path) -> None:
    make_char_device(tmp_path / "profile.yaml")
    with pytest.raises(InputError) as exc:
        read_input(tmp_path / "profile.yaml", max_bytes=100, what="单位概况文件")
    assert message(exc) == "不是普通文件（是字符设备）"


def test_socket_refused(short_tmp: Path) -> None:
    path = short_tmp / "s.yaml"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(InputError) as exc:
            read_input(path, max_bytes=100, what="规则文件")
    assert message(exc) == "不是普通文件（是套接字）"


def test_dangling_symlink_has_its_own_message(tmp_path: Path) -> None:
    (tmp_path / "rule.yaml").symlink_to("moved-away.yaml")
    with pytest.raises(InputError) as exc:
        read_input(tmp_path / "rule.yaml", max_bytes=100, what="规则文件")
    assert message(exc) == "符号链接指向的文件不存在（指向 moved-away.yaml）"


def test_symlink_loop_has_its_own_message(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "b.yaml").symlink_to("a.yaml")
    with pytest.raises(InputError) as exc:
        read_input(tmp_path / "a.yaml", max_bytes=100, what="规则文件")
    assert message(exc) == "符号链接形成循环，无法读取"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_input(tmp_path / "none.yaml", max_bytes=100, what="规则文件")
    assert message(exc) == "文件不存在"


def test_a_file_below_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"")
    with pytest.raises(InputError) as exc:
        read_input(tmp_path / "f" / "x.yaml", max_bytes=100, what="规则文件")
    assert message(exc) == "路径中的某一级不是目录"


def test_size_bound(tmp_path: Path) -> None:
    path = tmp_path / "rule.yaml"
    path.write_bytes(b"#" * 1024)
    assert len(read_input(path, max_bytes=1024, what="规则文件")) == 1024  # the bound itself is allowed
    path.write_bytes(b"#" * (MAX_RULE_FILE_BYTES + 1))
    with pytest.raises(InputError) as exc:
        read_input(path, max_bytes=MAX_RULE_FILE_BYTES, what="规则文件")
    assert message(exc) == "规则文件过大：1 MiB（1048577 字节），超过上限 1 MiB"
    path.write_bytes(b"#" * (3 * 1024 * 1024 // 2))
    with pytest.raises(InputError) as exc:
        read_input(path, max_bytes=1024, what="台账文件", display="台账/x.yaml")
    assert message(exc) == "台账文件过大：1.5 MiB（1572864 字节），超过上限 1 KiB"
    assert exc.value.problems[0].file == "台账/x.yaml"
    assert MAX_LEDGER_BYTES == 20 * 1024 * 1024


def test_unreadable_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rule.yaml"
    path.write_bytes(b"a: 1\n")

    def denied(*args: Any, **kwargs: Any) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(InputError) as exc:
        read_input(path, max_bytes=100, what="规则文件")
    assert message(exc) == "没有读取权限"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_for_real(tmp_path: Path) -> None:
    path = tmp_path / "rule.yaml"
    path.write_bytes(b"a: 1\n")
    path.chmod(0)
    with pytest.raises(InputError) as exc:
        read_input(path, max_bytes=100, what="规则文件")
    assert message(exc) == "没有读取权限"


def test_read_error_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rule.yaml"
    path.write_bytes(b"a: 1\n")

    def broken(*args: Any) -> bytes:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "read", broken)
    with pytest.raises(InputError) as exc:
        read_input(path, max_bytes=100, what="规则文件")
    assert message(exc) == "无法读取：Input/output error"


# --- writing: what may be replaced ----------------------------------------------------------


def test_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "报告.docx"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert only(tmp_path) == ["报告.docx"]


def test_symlink_target_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").write_bytes(b"precious")
    link = tmp_path / "report.docx"
    link.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(InputError) as exc:
        write_atomic(link, b"new")
    assert message(exc) == (
        f"输出位置是符号链接（指向 {tmp_path / 'elsewhere'}），不会跟随或替换它；请直接指定要写入的文件，未写入 {link}"
    )
    assert link.is_symlink() and (tmp_path / "elsewhere").read_bytes() == b"precious"
    assert only(tmp_path) == ["elsewhere", "report.docx"]


def test_dangling_symlink_target_refused(tmp_path: Path) -> None:
    link = tmp_path / "out.json"
    link.symlink_to("/etc/passwd-new")
    with pytest.raises(InputError) as exc:
        write_atomic(link, b"x")
    assert "输出位置是符号链接（指向 /etc/passwd-new）" in message(exc)
    assert not os.path.exists("/etc/passwd-new")


def test_directory_target_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        write_atomic(tmp_path, b"x")
    assert message(exc) == f"输出位置是目录，应为文件名，未写入 {tmp_path}"


def test_fifo_target_refused(tmp_path: Path, alarm: None) -> None:
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as exc:
        write_atomic(fifo, b"x")
    assert message(exc) == f"输出位置不是普通文件（是命名管道 FIFO），不能覆盖，未写入 {fifo}"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert only(tmp_path) == ["out.jsonl"]


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_system_devices_refused(device: str, no_replace_of_system_files: None) -> None:
    with pytest.raises(InputError) as exc:
        write_atomic(Path(device), b"x")
    assert message(exc) == f"输出位置不是普通文件（是字符设备），不能覆盖，未写入 {device}"
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_device_node_target_refused(tmp_path: Path) -> None:
    node = tmp_path / "report.xlsx"
    make_char_device(node)
    with pytest.raises(InputError) as exc:
        write_atomic(node, b"x")
    assert "是字符设备" in message(exc)
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_socket_target_refused(short_tmp: Path) -> None:
    path = short_tmp / "out"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(InputError) as exc:
            write_atomic(path, b"x")
    assert message(exc) == f"输出位置不是普通文件（是套接字），不能覆盖，未写入 {path}"


def test_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "report.docx"
    with pytest.raises(InputError) as exc:
        write_atomic(target, b"x")
    assert message(exc) == f"所在目录不存在，未写入 {target}"


def test_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"")
    target = tmp_path / "f" / "report.docx"
    with pytest.raises(InputError) as exc:
        write_atomic(target, b"x")
    assert message(exc) == f"所在路径中有一级不是目录，未写入 {target}"


# --- writing: permissions -----------------------------------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600), (0o002, 0o664)])
def test_new_file_follows_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "new.docx", b"x")
        with atomic_writer(tmp_path / "new.jsonl") as f:
            f.write(b"{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.docx").st_mode) == mode
    assert stat.S_IMODE(os.stat(tmp_path / "new.jsonl").st_mode) == mode


def test_umask_read_without_proc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where /proc is missing the umask is read by setting and restoring it."""
    real_open = open

    def no_proc(name: Any, *args: Any, **kwargs: Any) -> Any:
        if str(name).startswith("/proc/"):
            raise FileNotFoundError(name)
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr("builtins.open", no_proc)
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "x", b"x")
        assert os.umask(0o027) == 0o027  # still what it was
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "x").st_mode) == 0o640


@pytest.mark.parametrize("mode", [0o600, 0o664, 0o640])
def test_replaced_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "整改台账.xlsx"
    target.write_bytes(b"old")
    target.chmod(mode)
    old = os.umask(0o022)
    try:
        write_atomic(target, b"new")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(target).st_mode) == mode


# --- writing: failures leave the old file and no temporary file -----------------------------


def test_disk_full_while_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"old report")
    monkeypatch.setattr(os, "write", fail_for(tmp_path, errno.ENOSPC, os.write))
    with pytest.raises(InputError) as exc:
        write_atomic(target, b"new report" * 10_000)
    assert message(exc) == f"磁盘空间不足，未写入 {target}；原有文件未改动"
    assert exc.value.problems[0].file == str(target)
    assert target.read_bytes() == b"old report"
    assert only(tmp_path) == ["report.docx"]


def test_disk_full_for_a_new_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.docx"
    monkeypatch.setattr(os, "write", fail_for(tmp_path, errno.ENOSPC, os.write))
    with pytest.raises(InputError) as exc:
        write_atomic(target, b"x")
    assert message(exc) == f"磁盘空间不足，未写入 {target}"
    assert only(tmp_path) == []


def test_disk_full_at_fsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Network and some copy-on-write file systems report a full disk only at fsync."""
    target = tmp_path / "run.json"
    target.write_bytes(b"{}")
    monkeypatch.setattr(os, "fsync", fail_for(tmp_path, errno.EDQUOT, os.fsync))
    with pytest.raises(InputError) as exc:
        write_atomic(target, b'{"a": 1}')
    assert message(exc) == f"磁盘配额已用完，未写入 {target}；原有文件未改动"
    assert target.read_bytes() == b"{}"
    assert only(tmp_path) == ["run.json"]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (errno.EACCES, "没有写入权限"),
        (errno.EPERM, "没有写入权限"),
        (errno.EROFS, "文件系统为只读"),
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.EDQUOT, "磁盘配额已用完"),
    ],
)
def test_cannot_create_the_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int, reason: str) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    with pytest.raises(InputError) as exc:
        write_atomic(target, b"new")
    assert message(exc) == f"{reason}，未写入 {target}；原有文件未改动"
    assert target.read_bytes() == b"old"


def test_rename_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.docx"

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InputError) as exc:
        write_atomic(target, b"x")
    assert message(exc) == f"没有写入权限，未写入 {target}"
    assert only(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_for_real(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(InputError) as exc:
            write_atomic(folder / "x", b"x")
        assert message(exc) == f"没有写入权限，未写入 {folder / 'x'}"
    finally:
        folder.chmod(0o755)


def test_interrupt_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "x", b"x")
    assert only(tmp_path) == []


# --- the streaming writer -------------------------------------------------------------------


def test_stream_committed_only_at_the_end(tmp_path: Path) -> None:
    target = tmp_path / "results.jsonl"
    target.write_bytes(b"previous run\n")
    with atomic_writer(target) as f:
        for i in range(1000):
            f.write(f'{{"n": {i}}}\n'.encode())
        assert target.read_bytes() == b"previous run\n"  # nothing visible before the end
    assert target.read_bytes().count(b"\n") == 1000
    assert only(tmp_path) == ["results.jsonl"]


def test_stream_as_text(tmp_path: Path) -> None:
    target = tmp_path / "results.jsonl"
    with atomic_writer(target) as f, io.TextIOWrapper(f, encoding="utf-8") as text:
        text.write("区统计局\n")
    assert target.read_text(encoding="utf-8") == "区统计局\n"


def test_stream_whose_block_raises_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "results.jsonl"
    with pytest.raises(ValueError, match="engine failed"):
        with atomic_writer(target) as f:
            f.write(b"half\n" * 10_000)
            raise ValueError("engine failed")
    assert only(tmp_path) == []


def test_stream_whose_block_raises_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "results.jsonl"
    target.write_bytes(b"old\n")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as f:
            f.write(b"new\n")
            raise RuntimeError
    assert target.read_bytes() == b"old\n"
    assert only(tmp_path) == ["results.jsonl"]


def test_stream_disk_full_midway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "results.jsonl"
    target.write_bytes(b"old\n")
    with pytest.raises(InputError) as exc:
        with atomic_writer(target) as f:
            f.write(b"x" * 100_000)
            monkeypatch.setattr(os, "write", fail_for(tmp_path, errno.ENOSPC, os.write))
            f.write(b"y" * 100_000)
    assert message(exc) == f"磁盘空间不足，未写入 {target}；原有文件未改动"
    assert target.read_bytes() == b"old\n"
    assert only(tmp_path) == ["results.jsonl"]


def test_stream_target_refused_before_the_block_runs(tmp_path: Path) -> None:
    ran = False
    with pytest.raises(InputError) as exc:
        with atomic_writer(tmp_path):
            ran = True
    assert not ran
    assert "输出位置是目录" in message(exc)


def test_symlink_planted_during_the_stream_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "results.jsonl"
    with pytest.raises(InputError) as exc:
        with atomic_writer(target) as f:
            f.write(b"x")
            target.symlink_to("/etc/shadow")
    assert "输出位置是符号链接（指向 /etc/shadow）" in message(exc)
    assert target.is_symlink()
    assert only(tmp_path) == ["results.jsonl"]


# --- through the command line -----------------------------------------------------------------


def test_report_to_a_symlink_is_a_bad_input_exit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_bytes(b"keep")
    link = tmp_path / "report.md"
    link.symlink_to("keep.txt")
    code = main(["report", str(FIXTURE), "--as-of", "2020-12-31", "--format", "markdown", "--output", str(link)])
    err = capsys.readouterr().err
    assert code == 2
    assert "不会跟随或替换它" in err and "Traceback" not in err
    assert (tmp_path / "keep.txt").read_bytes() == b"keep"
