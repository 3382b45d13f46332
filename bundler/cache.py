"""The on-disk cache: where it is, atomic writes, and a lock for first builds.

Everything in it is content-addressed (the key is a hash of what produced the
entry), written to a temporary file and renamed into place, so a reader never
sees half an entry and two processes racing on a cold cache both succeed.

The cache only ever saves time. When its directory cannot be used (it is a file,
read-only, full), `store` says so once, naming the directory and the reason, and
everything goes on without it: what is already there is still read.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .digest import sha256_hex

_warned: set[str] = set()


def cache_dir() -> Path:
    """$EDGEBOX_CACHE_DIR, else $XDG_CACHE_HOME/edgebox, else ~/.cache/edgebox (not created here)."""
    env = os.environ.get("EDGEBOX_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "edgebox"


def cache_unusable(error: OSError) -> None:
    """Say once per process that the cache cannot be written, and why."""
    where = str(cache_dir())
    if where in _warned:
        return
    _warned.add(where)
    reason = error.strerror or str(error)
    print(
        f"edgebox: warning: the cache directory {where} cannot be written ({reason}); "
        "going on without caching (set EDGEBOX_CACHE_DIR to a writable directory)",
        file=sys.stderr,
    )


def store(path: Path, data: bytes, durable: bool = True) -> bool:
    """Write a cache entry; False (after one warning) when the cache cannot be written.

    `durable=False` skips the fsync: for small entries written by the thousand (a module's
    facts, its bytecode) whose reader checks what it reads and redoes the work when an
    entry is damaged, the fsync was a third of a cold build; the rename still means a
    reader never sees half an entry while the system runs."""
    try:
        atomic_write_bytes(path, data, durable)
        return True
    except OSError as e:
        cache_unusable(e)
        return False


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `path` so that `path` is either absent, old or complete (after a
    crash too, when `durable`)."""
    import tempfile  # here: a start whose cache is warm writes nothing

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """An exclusive advisory lock held for the duration of the block."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def file_has_sha256(path: Path, sha256: str) -> bool:
    """Whether the file at `path` hashes to `sha256`, remembered across runs by its stat.

    Hashing the engine's 1.5 MB on every start cost 2-8 ms. A record in the cache keeps
    the stat (size, inode, mtime, ctime) the file had when it last hashed right; while
    it has that stat it was not written since (any write changes the ctime, which no
    user-level tool can set back), as git's index assumes. The stat is taken before
    the bytes are read, so a write during the hash makes the next run hash again, and
    a file changed in the last RACY_NS is not recorded yet (git's "racily clean").
    """
    try:
        stat = _stat_record(path)
    except OSError:
        return False
    record_path = _verified_record(path)
    try:
        if json.loads(record_path.read_bytes()) == {"sha256": sha256, "stat": stat}:
            return True
    except (OSError, ValueError):
        pass
    try:
        if sha256_hex(path.read_bytes()) != sha256:
            return False
    except OSError:
        return False
    _remember(record_path, {"sha256": sha256, "stat": stat}, [stat])
    return True


def files_digest(paths: Sequence[Path], digest: Callable[[], str]) -> str:
    """`digest()`, a digest of the files at `paths`, remembered across runs by their stats
    as file_has_sha256 remembers one file's: while every file keeps its stat, the digest is
    the one recorded. The stats are taken before `digest()` reads the files."""
    stats = [_stat_record(p) for p in paths]
    record_path = _verified_record(*paths)
    try:
        record = json.loads(record_path.read_bytes())
        if record["stat"] == stats and isinstance(record["sha256"], str):
            return record["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    value = digest()
    _remember(record_path, {"sha256": value, "stat": stats}, stats)
    return value


def _stat_record(path: Path) -> list[int]:
    st = os.stat(path)
    return [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]


def _verified_record(*paths: Path) -> Path:
    name = sha256_hex(b"\0".join(os.fsencode(os.path.abspath(p)) for p in paths))[:32]
    return cache_dir() / "verified" / f"{name}.json"


def _remember(record_path: Path, record: dict[str, object], stats: list[list[int]]) -> None:
    if any(time.time_ns() - ctime_ns < RACY_NS for *_, ctime_ns in stats):
        return  # written moments ago: a write within the same clock tick would keep the ctime
    try:
        atomic_write_bytes(record_path, json.dumps(record).encode())
    except OSError:
        pass  # an unwritable cache: hash again next time


# A file's ctime has the kernel's coarse clock's resolution (a few ms): a stat recorded for
# a file changed less than this long ago could also be the stat of its next change.
RACY_NS = 2_000_000_000
