"""Writing what the bundler produces (.ebx, .d.ts), so that nothing is lost or half-written.

- An output is written to a temporary file beside it and renamed into place: it is
  the old file or the new one, never a mix, even if the process is killed.
- An output that is one of the build's inputs is refused, as gcc and esbuild refuse
  it: `-o app.js` must not replace the source it was built from.
- Only regular files are replaced: an existing device, FIFO, socket or directory
  (`-o /dev/null` as root) is refused rather than replaced by a regular file. A symbolic
  link is written through (the file it names is replaced, the link stays), unless it
  leads into /dev, /proc or /sys (`-o /dev/stdout`), which is refused.
- A replaced file keeps its permission bits; a new one gets the umask's.
- Temporary files left by a killed build (`.app.ebx.<pid>.<random>.tmp`) are removed
  by the next build writing the same output, once their process is gone.
- Every OS failure is reported as what it is (no such directory, read-only file
  system, disk full, name too long, ...), naming the path.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import EdgeBoxError


class OutputError(EdgeBoxError):
    """An output cannot be written where it was asked for."""


_KINDS = {
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a directory",
}


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


SPECIAL_TREES = ("/dev/", "/proc/", "/sys/")


def output_target(out: Path, flag: str = "-o") -> Path:
    """The file `out` names: itself, or what the chain of symbolic links from it reaches."""
    if str(out) == "":
        raise OutputError(f"{flag}: the output path is empty")
    path = os.path.abspath(out)
    for _ in range(40):  # as the kernel's limit on links followed
        if path.startswith(SPECIAL_TREES):
            raise OutputError(
                f"{flag} {out}: it leads to {path}, a special file; EdgeBox writes bundles to regular files",
                hint="write the bundle to a file, then copy it where it should go",
            )
        if not os.path.islink(path):
            break
        path = os.path.normpath(os.path.join(os.path.dirname(path), os.readlink(path)))
    real = os.path.realpath(path)  # a link among the directories on the way counts too
    if real.startswith(SPECIAL_TREES):
        raise OutputError(
            f"{flag} {out}: it leads to {real}, a special file; EdgeBox writes bundles to regular files"
        )
    return Path(path)


def check_output(out: Path, inputs: Iterable[str | os.PathLike[str]], flag: str = "-o") -> None:
    """Refuse an output path that names an input or something that is not a regular file."""
    out = output_target(out, flag)
    try:
        st = os.stat(out)
    except FileNotFoundError:
        return
    except OSError as e:
        raise _os_error(e, out) from None
    kind = _KINDS.get(stat.S_IFMT(st.st_mode))
    if kind is not None:
        raise OutputError(
            f"{flag} {out}: it is {kind}; EdgeBox only replaces regular files",
            hint="name a file to write the bundle to",
        )
    for path in inputs:
        try:
            if _same_file(st, os.stat(path)):
                raise OutputError(
                    f"{flag} {out}: that is an input of this build ({path}); writing there would replace it",
                    hint="write the bundle to another file, e.g. app.ebx",
                )
        except OSError:
            continue


def write_output(
    out: Path, data: bytes, inputs: Iterable[str | os.PathLike[str]] = (), flag: str = "-o"
) -> None:
    """Write `data` to `out` (through a symbolic link, to what it names) atomically, after
    check_output."""
    check_output(out, inputs, flag)
    out = output_target(out, flag)
    parent = out.parent if str(out.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(parent, out.name)
        try:
            mode = stat.S_IMODE(os.stat(out).st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp")
    except OSError as e:
        raise _os_error(e, out) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fchmod(f.fileno(), mode)
        os.replace(tmp, out)
    except BaseException as e:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise _os_error(e, out) from None
        raise


_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


def _remove_stale_temporaries(directory: Path, name: str) -> None:
    """Delete `.NAME.<pid>.<random>.tmp` files whose writing process no longer exists."""
    try:
        entries = list(directory.iterdir())
    except OSError:
        return
    for entry in entries:
        m = _TEMPORARY.match(entry.name)
        if m is None or m.group("name") != name:
            continue
        pid = int(m.group("pid"))
        if pid != os.getpid() and not _alive(pid):
            entry.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


_REASONS = {
    errno.ENOENT: "a directory on the way does not exist",
    errno.ENOTDIR: "a part of the path is a file, not a directory",
    errno.EISDIR: "it is a directory",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file would be larger than allowed (ulimit -f)",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ELOOP: "too many symbolic links",
}


def _os_error(e: OSError, out: Path) -> OutputError:
    reason = _REASONS.get(e.errno or 0) or e.strerror or str(e)
    return OutputError(f"cannot write {out}: {reason}")
