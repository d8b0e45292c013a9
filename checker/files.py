"""The one guarded way to read an input file and the one safe way to write an output file.

Reading (:func:`read_input`): the path must name an existing regular file, readable and no
larger than a stated bound. A FIFO, device, socket or directory given by mistake (or by
malice) must never hang the checker, fill its memory or be read as rules.

Writing (:func:`write_atomic`, :func:`atomic_writer`): outputs (reports, rectification
ledgers, run records, JSON lines) are written whole or not at all, and only ever replace a
regular file or create a new one. A symlink, device (``/dev/null``), FIFO, socket or directory
at the target is refused rather than followed or replaced: as root, replacing ``/dev/null``
or writing through a planted symlink would damage the system.

Every failure is an :class:`~checker.errors.InputError` with a Chinese message naming the
file, which the command line prints with exit status 2.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .errors import InputError, Problem

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = [
    "MAX_HISTORY_BYTES",
    "MAX_LEDGER_BYTES",
    "MAX_PROFILE_BYTES",
    "MAX_RULE_FILE_BYTES",
    "MAX_YAML_BYTES",
    "atomic_writer",
    "read_input",
    "write_atomic",
]

MiB = 1024 * 1024

# Bounds on input files. The largest real files are far below these (the biggest fixture
# ledger is ~20 KB, the biggest rule file ~6 KB); the bounds stop a wrong path (a disk image,
# a log) from being read whole into memory and parsed for minutes.
MAX_RULE_FILE_BYTES = 1 * MiB
"""One rule file (``rules/**/*.yaml``), or the rulebook's metadata."""
MAX_PROFILE_BYTES = 1 * MiB
"""A bureau's ``profile.yaml``."""
MAX_LEDGER_BYTES = 20 * MiB
"""One ledger file (YAML, CSV or Excel): a year of a large bureau's records fits many times over."""
MAX_HISTORY_BYTES = 20 * MiB
"""A run record read back to compare runs."""
MAX_YAML_BYTES = MAX_LEDGER_BYTES
"""Default for :func:`checker.yamlsrc.load_yaml`, which reads rules and ledgers alike."""

_CHUNK = 1 * MiB


def _kind(mode: int) -> str:
    """What a non-regular file is, in the words the messages use."""
    if stat.S_ISDIR(mode):
        return "目录"
    if stat.S_ISFIFO(mode):
        return "命名管道 FIFO"
    if stat.S_ISCHR(mode):
        return "字符设备"
    if stat.S_ISBLK(mode):
        return "块设备"
    if stat.S_ISSOCK(mode):
        return "套接字"
    if stat.S_ISLNK(mode):
        return "符号链接"
    return "特殊文件"


def _size(n: int, exact: bool = False) -> str:
    """A size for people; ``exact`` adds the bytes, so one byte over a bound reads as over it."""
    if n >= MiB:
        human = f"{n / MiB:.1f} MiB".replace(".0 MiB", " MiB")
    elif n >= 1024:
        human = f"{n / 1024:.1f} KiB".replace(".0 KiB", " KiB")
    else:
        return f"{n} 字节"
    return f"{human}（{n} 字节）" if exact else human


# ---------------------------------------------------------------------------------------------
# Reading


def _open_problem(path: Path, exc: OSError) -> str:
    """Why ``os.open`` failed, in Chinese; symlinks that lead nowhere get their own words."""
    if exc.errno == errno.ELOOP:
        return "符号链接形成循环，无法读取"
    if exc.errno == errno.ENOENT:
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return f"符号链接指向的文件不存在（指向 {os.readlink(path)}）"
        except OSError:
            pass
        return "文件不存在"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有读取权限"
    if exc.errno == errno.ENOTDIR:
        return "路径中的某一级不是目录"
    if exc.errno == errno.ENXIO:
        # Opening a socket fails with ENXIO; say what it is rather than "no such device".
        try:
            return f"不是普通文件（是{_kind(os.stat(path).st_mode)}）"
        except OSError:
            pass
    if exc.errno == errno.ENAMETOOLONG:
        return "文件名过长"
    return f"无法读取：{exc.strerror or exc}"


def read_input(
    path: str | os.PathLike[str], *, max_bytes: int, what: str, display: str | None = None
) -> bytes:
    """The whole content of an input file that must be a regular file of at most ``max_bytes``.

    ``what`` names the kind of file in the size message ("规则文件过大：…"); ``display`` is the
    name used in messages (default: the path). A symlink to a regular file is followed (inputs
    are often linked into place); a dangling symlink or a loop is reported as such.

    The file is opened first, with ``O_NONBLOCK`` so that opening a FIFO never waits for a
    writer, and the open descriptor is then checked with ``fstat``: what is checked is what is
    read, with no window between a check and the open.
    """
    p = Path(path)
    name = display or str(p)

    def refuse(message: str) -> InputError:
        return InputError([Problem(name, message)])

    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        raise refuse(_open_problem(p, exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise refuse(f"不是普通文件（是{_kind(info.st_mode)}）")
        if info.st_size > max_bytes:
            raise refuse(f"{what}过大：{_size(info.st_size, exact=True)}，超过上限 {_size(max_bytes)}")
        chunks: list[bytes] = []
        total = 0
        # Read at most one byte past the bound: a file that grows while being read is caught too.
        while total <= max_bytes:
            try:
                chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - total))
            except OSError as exc:
                raise refuse(f"无法读取：{exc.strerror or exc}") from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise refuse(f"{what}过大：超过上限 {_size(max_bytes)}")
        return b"".join(chunks)
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# Writing

_umask_lock = threading.Lock()


def _current_umask() -> int:
    """The process umask, read without changing it where the system allows.

    ``os.umask`` can only be read by setting it, which for a moment changes it for every
    thread (``check-many`` runs threads); Linux shows it in ``/proc/self/status`` instead.
    """
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _write_problem(exc: OSError, target: str, existed: bool) -> str:
    """A write failure in Chinese, saying that nothing was written and the old file is intact."""
    kept = "；原有文件未改动" if existed else ""
    reasons = {
        errno.ENOSPC: "磁盘空间不足",
        errno.EDQUOT: "磁盘配额已用完",
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.EROFS: "文件系统为只读",
        errno.ENOENT: "所在目录不存在",
        errno.ENOTDIR: "所在路径中有一级不是目录",
        errno.ENAMETOOLONG: "文件名过长",
        errno.EFBIG: "文件超过文件系统允许的大小",
        errno.EIO: "磁盘读写错误",
    }
    reason = reasons.get(exc.errno or 0, f"写入失败（{exc.strerror or exc}）")
    return f"{reason}，未写入 {target}{kept}"


def _check_target(path: Path, name: str) -> os.stat_result | None:
    """The existing regular file at ``path`` (None if there is none); anything else is refused.

    ``lstat``, not ``stat``: a symlink is refused as a symlink, never followed.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        parent = path.parent
        if not parent.is_dir():
            why = "所在目录不存在" if not os.path.lexists(parent) else "所在路径不是目录"
            raise InputError([Problem(name, f"{why}，未写入 {name}")]) from None
        return None
    except OSError as exc:
        raise InputError([Problem(name, _write_problem(exc, name, False))]) from None
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return info
    if stat.S_ISLNK(mode):
        try:
            where = f"（指向 {os.readlink(path)}）"
        except OSError:
            where = ""
        raise InputError(
            [Problem(name, f"输出位置是符号链接{where}，不会跟随或替换它；请直接指定要写入的文件，未写入 {name}")]
        )
    if stat.S_ISDIR(mode):
        raise InputError([Problem(name, f"输出位置是目录，应为文件名，未写入 {name}")])
    raise InputError([Problem(name, f"输出位置不是普通文件（是{_kind(mode)}），不能覆盖，未写入 {name}")])


class _RawFile(io.RawIOBase):
    """The temporary file's descriptor, writing through ``os.write``.

    Write errors become an InputError at the point of failure (so a full disk during a long
    stream stops it with a clear message); ``os.write`` is what tests replace to simulate them.
    """

    def __init__(self, fd: int, target: str, existed: bool) -> None:
        super().__init__()
        self._fd = fd
        self._target = target
        self._existed = existed

    def fileno(self) -> int:
        return self._fd

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        try:
            return os.write(self._fd, data)
        except OSError as exc:
            raise InputError([Problem(self._target, _write_problem(exc, self._target, self._existed))]) from None

    def close(self) -> None:
        # The descriptor is closed by atomic_writer, which must fsync it first.
        super().close()


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; some file systems cannot fsync a folder, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], display: str | None = None) -> Iterator[BinaryIO]:
    """A binary file that becomes ``path`` only when the ``with`` block finishes without error.

    For long outputs written piece by piece (``check-many --output`` JSON lines). Same
    guarantees as :func:`write_atomic`: the target must be a regular file or absent; a
    temporary file in the same folder is written, fsynced and renamed over it, and the folder
    fsynced; a new file gets ``0o666 & ~umask``, a replaced file keeps its mode; if the block
    raises (or writing fails) the temporary file is removed and any old file is untouched.
    Wrap in ``io.TextIOWrapper(f, encoding="utf-8")`` for text.
    """
    target = Path(path)
    name = display or str(target)
    old = _check_target(target, name)
    existed = old is not None
    folder = target.parent
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError([Problem(name, _write_problem(exc, name, existed))]) from None
    tmp = Path(tmp_name)
    buffered: io.BufferedWriter | None = None
    try:
        try:
            # mkstemp creates 0600; an output should be as readable as any file the user
            # creates (umask), and a replaced file keeps the permissions someone gave it.
            mode = stat.S_IMODE(old.st_mode) & 0o777 if old is not None else 0o666 & ~_current_umask()
            os.fchmod(fd, mode)
            if old is not None and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                # Root replacing a clerk's file should leave it the clerk's; others cannot, and that is fine.
                with contextlib.suppress(OSError):
                    os.fchown(fd, old.st_uid, old.st_gid)
        except OSError as exc:
            raise InputError([Problem(name, _write_problem(exc, name, existed))]) from None
        buffered = io.BufferedWriter(_RawFile(fd, name, existed))
        yield buffered
        if not buffered.closed:  # a TextIOWrapper around it closes it (flushing) when its block ends
            buffered.flush()
        try:
            os.fsync(fd)
            # Re-check just before the rename: something put at the target meanwhile (a
            # symlink, a device) is refused too, not replaced. (A window remains; it is small.)
            _check_target(target, name)
            os.replace(tmp, target)
        except OSError as exc:
            raise InputError([Problem(name, _write_problem(exc, name, existed))]) from None
        try:
            _fsync_folder(folder)
        except OSError as exc:
            # The file is in place; only its durability across a power cut is in doubt.
            raise InputError([Problem(name, f"已写入 {name}，但无法同步目录到磁盘：{exc.strerror or exc}")]) from None
    except BaseException:
        # Any failure, Ctrl-C included: no temporary file left behind, the old file untouched.
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        if buffered is not None:
            with contextlib.suppress(Exception):
                buffered.close()  # flushing a failed buffer may raise again; the first error counts
        with contextlib.suppress(OSError):
            os.close(fd)


def write_atomic(path: Path, data: bytes, display: str | None = None) -> None:
    """Write ``data`` to ``path`` whole or not at all (see :func:`atomic_writer`).

    A reader (or the Party group's printer) never sees a half-written file, and a failure
    leaves any previous one in place.
    """
    with atomic_writer(path, display) as f:
        f.write(data)
