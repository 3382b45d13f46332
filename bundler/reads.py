"""What a build learns from the file system, asked once and remembered: the record a cached
build is validated against (build_cache.py).

Every question the module graph, the resolver, the import map and the source maps put to
the file system goes through here: is this path a file, a directory, there at all; where
does it really lead (a symbolic link); what bytes does this file hold. Within one build
each answer is asked once (3,168 specifiers of a 946-module graph asked the same few
thousand paths again and again). And each answer is recorded, negative ones too: a file
that was not there when `./util` was resolved could be there now and change what it
resolves to, so a cached build is valid only while every question still gets the answer
it got (`Reads.still_valid`), which is exactly when a fresh run would find the same files.

What is recorded is the answer the build used, not more: for `is_file` the kind of what
is there (a file whose content changed is still a file; its content is recorded where it
is read), for a path component of a realpath whether it is a symbolic link and where to,
for a file read its size, inode, mtime and ctime (any write changes the ctime, which no
user-level tool can set back; as git's index and cache.file_has_sha256 assume). A file
changed in the last cache.RACY_NS before it was read is "racily clean": a later write in
the same clock tick would leave its stat alone, so its sha256 is recorded too and checked.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .cache import RACY_NS

# What pathlib's is_file()/is_dir()/exists() take as "not there" rather than an error.
_IGNORED = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)
_MAX_LINKS = 40  # symbolic links followed in one path, as Linux's ELOOP limit

FileStat = tuple[int, int, int, int]  # size, inode, mtime_ns, ctime_ns


def _kind(path: str) -> str:
    """'f' a regular file, 'd' a directory, 'o' something else, '' nothing (stat follows links)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        if e.errno in _IGNORED:
            return ""
        raise
    except ValueError:  # an embedded NUL: no such file, as pathlib says
        return ""
    return "f" if stat.S_ISREG(mode) else "d" if stat.S_ISDIR(mode) else "o"


def _link(path: str) -> str | None:
    """Where the symbolic link at `path` points, or None when it is not one (or not there)."""
    try:
        return os.readlink(path)
    except (OSError, ValueError):
        return None


def file_stat(st: os.stat_result) -> FileStat:
    return (st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)


class Reads:
    """The answers one build got (see the module's docstring)."""

    def __init__(self) -> None:
        self.kinds: dict[str, str] = {}
        self.links: dict[str, str | None] = {}  # path → its link target, None: not a link
        self.files: dict[str, tuple[FileStat, str | None]] = {}  # path → stat, sha256 if racy
        self._real: dict[str, str] = {}
        self.cwd: str | None = None  # not recorded: the build cache's key holds it

    # questions -------------------------------------------------------------------------

    def kind(self, path: str) -> str:
        found = self.kinds.get(path)
        if found is None:
            found = self.kinds[path] = _kind(path)
        return found

    def link(self, path: str) -> str | None:
        if path in self.links:
            return self.links[path]
        found = self.links[path] = _link(path)
        return found

    def realpath(self, path: str) -> str:
        """os.path.realpath (not strict) of an absolute path, a component at a time, each
        component's answer remembered: the directories a graph's files share are asked once."""
        found = self._real.get(path)
        if found is not None:
            return found
        result = self._resolve(path, 0)
        self._real[path] = result
        return result

    def _resolve(self, path: str, depth: int) -> str:
        head, tail = os.path.split(path)
        if not tail:
            return path  # the root
        if head != path and head:
            parent = self._real.get(head)
            if parent is None:
                parent = self._real[head] = self._resolve(head, depth)
        else:
            parent = head
        if tail == ".":
            return parent
        if tail == "..":
            return os.path.dirname(parent)
        candidate = os.path.join(parent, tail)
        target = self.link(candidate)
        if target is None:
            return candidate
        if depth >= _MAX_LINKS:  # a loop: as realpath, leave the rest unresolved
            return candidate
        return self._resolve(os.path.join(parent, target), depth + 1)  # an absolute target replaces

    def note_file(self, path: str, st: os.stat_result, data: bytes | None = None) -> None:
        """`path` was read (with the stat fstat gave before reading): its content mattered."""
        recorded = file_stat(st)
        racy = time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS
        digest = hashlib.sha256(data).hexdigest() if racy and data is not None else None
        if racy and data is None:
            digest = "?"  # changed moments ago and not hashed: never trusted again
        self.files[path] = (recorded, digest)

    # the record --------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "kinds": self.kinds,
            "links": self.links,
            "files": {k: [list(s), d] for k, (s, d) in self.files.items()},
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Reads:
        r = Reads()
        r.kinds = data["kinds"]
        r.links = data["links"]
        r.files = {k: (tuple(s), d) for k, (s, d) in data["files"].items()}
        return r

    def still_valid(self) -> bool:
        """Whether every question still gets the answer it got: then a fresh build would read
        the same files, find the same ones missing and follow the same links."""
        try:
            for path, (recorded, digest) in self.files.items():
                st = os.stat(path)
                if file_stat(st) != recorded:
                    return False
                if digest is not None:
                    if digest == "?":
                        return False
                    with open(path, "rb") as f:
                        if hashlib.sha256(f.read()).hexdigest() != digest:
                            return False
            for path, kind in self.kinds.items():
                if _kind(path) != kind:
                    return False
            for path, target in self.links.items():
                if _link(path) != target:
                    return False
        except OSError:
            return False
        return True

    def racy(self) -> bool:
        """Whether a file read was changed so recently that its stat cannot vouch for it."""
        return any(d is not None for _, d in self.files.values())


_active: Reads | None = None


@contextmanager
def session() -> Iterator[Reads]:
    """The Reads of the build in progress: a new one, or the enclosing build's."""
    global _active
    if _active is not None:
        yield _active
        return
    _active = Reads()
    try:
        yield _active
    finally:
        _active = None


def cwd() -> str:
    """The working directory: asked once per build (os.getcwd took 0.13 ms a call here, and
    naming a graph's files in messages asked it 4,000 times)."""
    if _active is None:
        return os.getcwd()
    if _active.cwd is None:
        _active.cwd = os.getcwd()
    return _active.cwd


def active() -> bool:
    """Whether a build is recording (a build inside another is part of it)."""
    return _active is not None


def _current() -> Reads:
    return _active if _active is not None else Reads()


def note_failed(path: Path) -> None:
    """Record what is at `path`, which the build could not read: a build that went on
    without it (a source map's warning) is valid only while that stays so."""
    if _active is None:
        return
    _active.kind(str(path))
    try:
        _active.note_file(str(path), os.stat(path))
    except (OSError, ValueError):
        pass


# The questions, as pathlib asks them -----------------------------------------------------


def is_file(path: Path) -> bool:
    return _current().kind(str(path)) == "f"


def is_dir(path: Path) -> bool:
    return _current().kind(str(path)) == "d"


def exists(path: Path) -> bool:
    return _current().kind(str(path)) != ""


def resolve(path: Path) -> Path:
    """Path.resolve() (not strict)."""
    text = str(path)
    if not os.path.isabs(text):
        text = os.path.join(cwd(), text)
    return Path(_current().realpath(text))


def note_file(path: Path, st: os.stat_result, data: bytes | None = None) -> None:
    """Record that the build read `path` (fstat before the read; `data`, what it read)."""
    if _active is not None:
        _active.note_file(str(path), st, data)
