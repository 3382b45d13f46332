"""The on-disk cache: where it is, atomic writes, and a lock for first builds.

Everything in it is keyed by a hash of what produced the entry and written whole: a
file is written to a temporary file and renamed into place; the per-module entries
(facts, bytecode), thousands per cold build, are rows of one SQLite database written in
one transaction (`entry`, `put_entry_later`). A reader never sees half an entry, and
two processes racing on a cold cache both succeed.

The cache only ever saves time. When its directory cannot be used (it is a file,
read-only, full), `store` says so once, naming the directory and the reason, and
everything goes on without it: what is already there is still read.
"""

from __future__ import annotations

import atexit
import collections
import fcntl
import itertools
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
        if durable:
            atomic_write_bytes(path, data, durable)
        else:
            _quick_write(path, data)
        return True
    except OSError as e:
        cache_unusable(e)
        return False


def store_later(path: Path, make: Callable[[], bytes]) -> None:
    """`store(path, make(), durable=False)` at the end of the build (`flush_writes`) or of
    the process, after what the build needs sooner."""
    _register()
    _files.append((path, make))


# Per-module entries (a module's facts, its bytecode) live in one SQLite database, not a
# file each: a cold build of a 1,000-module graph writes 2,000 of them, and creating a file
# took 0.1-1 ms on this machine's disk (more under load: 1,900 files took 1.3-4.5 s), where
# one transaction of 2,000 rows takes a few ms. A warm lookup is a query, not an open.
# WAL mode: readers never wait for a writer; writers queue on SQLite's lock.
MODULES_DB = "modules.sqlite3"


def entry(kind: str, key: str) -> bytes | None:
    """The per-module entry `kind`/`key`, or None (absent, or the database unusable)."""
    db = _database()
    if db is None:
        return None
    import sqlite3

    try:
        row = db.execute("SELECT data FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
    except sqlite3.Error:
        return None
    return bytes(row[0]) if row is not None else None


def put_entry_later(kind: str, key: str, make: Callable[[], bytes]) -> None:
    """Keep `make()` as entry `kind`/`key`: written with every other one this build makes,
    in one transaction, at `flush_writes` (the end of the build, or of the process)."""
    _register()
    _rows.append((kind, key, make))


def flush_writes() -> None:
    """Write everything `put_entry_later` and `store_later` were given."""
    rows = []
    while _rows:
        kind, key, make = _rows.popleft()
        try:
            rows.append((kind, key, make()))
        except Exception:  # noqa: BLE001 (an entry that cannot be made is one not cached)
            continue
    if rows:
        _write_rows(rows)
    while _files:
        path, make = _files.popleft()
        try:
            store(path, make(), durable=False)
        except Exception:  # noqa: BLE001
            pass


def _write_rows(rows: list[tuple[str, str, bytes]]) -> None:
    import sqlite3

    db = _database()
    if db is None:
        return
    try:
        with db:
            db.executemany("INSERT OR REPLACE INTO entries (kind, key, data) VALUES (?, ?, ?)", rows)
    except sqlite3.Error as e:
        _unusable(f"{cache_dir() / MODULES_DB}: {e}")


_connections: dict[tuple[str | None, str | None], Any] = {}


def _database() -> Any:
    """This process's connection to the cache's database (None once it proved unusable). A
    file that is not a database (damaged) is replaced by a new, empty one."""
    where = (os.environ.get("EDGEBOX_CACHE_DIR"), os.environ.get("XDG_CACHE_HOME"))
    if where in _connections:
        return _connections[where]
    path = str(cache_dir() / MODULES_DB)
    import sqlite3

    db = None
    for attempt in (1, 2):
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            db = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            # no fsync: an OS crash may damage the file (it is then replaced) or a row (which
            # then fails its sha256), never a build
            db.execute("PRAGMA synchronous=OFF")
            db.execute(
                "CREATE TABLE IF NOT EXISTS entries (kind TEXT, key TEXT, data BLOB, PRIMARY KEY (kind, key))"
                " WITHOUT ROWID"
            )
            break
        except sqlite3.DatabaseError as e:
            if db is not None:
                db.close()
                db = None
            if attempt == 1 and ("not a database" in str(e) or "malformed" in str(e)):
                for suffix in ("", "-wal", "-shm"):
                    try:
                        os.unlink(path + suffix)
                    except OSError:
                        pass
                continue
            _unusable(f"{path}: {e}")
            break
        except (sqlite3.Error, OSError) as e:
            if db is not None:
                db.close()
                db = None
            _unusable(f"{path}: {e}")
            break
    _connections[where] = db
    return db


def _unusable(reason: str) -> None:
    where = str(cache_dir())
    if where in _warned:
        return
    _warned.add(where)
    print(
        f"edgebox: warning: the cache directory {where} cannot be written ({reason}); "
        "going on without caching (set EDGEBOX_CACHE_DIR to a writable directory)",
        file=sys.stderr,
    )


def _register() -> None:
    global _registered
    if not _registered:
        atexit.register(flush_writes)
        _registered = True


_rows: collections.deque[tuple[str, str, Callable[[], bytes]]] = collections.deque()
_files: collections.deque[tuple[Path, Callable[[], bytes]]] = collections.deque()
_registered = False
_made_dirs: set[str] = set()
_serial = itertools.count()


def _quick_write(path: Path, data: bytes) -> None:
    """atomic_write_bytes without the fsync, for entries written by the thousand: the
    directory made once per process, the temporary file named by process and counter
    (no random names to try), written and renamed into place."""
    directory, name = os.path.split(path)
    if directory not in _made_dirs:
        os.makedirs(directory, exist_ok=True)
        _made_dirs.add(directory)
    tmp = os.path.join(directory, f".{name}.{os.getpid()}.{next(_serial)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    try:
        fd = os.open(tmp, flags, 0o600)
    except FileNotFoundError:  # removed since this process made it
        os.makedirs(directory, exist_ok=True)
        fd = os.open(tmp, flags, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


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
