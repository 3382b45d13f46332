"""Whole builds, cached: a warm `edgebox-bundle` of an unchanged graph reads one entry.

The per-module caches (a module's facts, its bytecode: analysis.py, pipeline.py) are keyed
by content, so a warm build still resolves every specifier, reads every file and every
cache entry, and links, generates and zips again: 0.7-1 s for a 946-module graph. This
cache keeps what a build produced (the bundle's bytes and diagnostics, or --check's
diagnostics), keyed by what it was asked (the entry as given, the flags, the working
directory, EdgeBox's own code) and valid while every question the build put to the file
system gets the answer it got then (reads.Reads: the files read, by stat, and every
lookup that found nothing, every directory and symbolic link on the way). A changed,
added or removed module, package.json, edgebox.json or source map invalidates it exactly
when a fresh run could see a difference; then the build runs as before and replaces it.

An entry holds two parts: what the command line needs (bytes, diagnostics, the inputs
an output may not overwrite), read on every hit, and the whole result for the Python API
(the graph too), unpickled only when asked for. Like the rest of the cache, an entry is
written whole or not at all (cache.store), after the sha256 of its bytes; one that cannot
be read, or is damaged, is a miss. The
cache directory is trusted as the compiled machine code in it is (wasmtime deserializes
that): entries are pickles.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import reads
from .cache import cache_dir, flush_writes, store_later

if TYPE_CHECKING:
    from .diagnostics import Diagnostic

FORMAT = "1"
# The libraries whose versions decide what a build produces: the parsers, the wasm reader,
# the templates' engine. Their files are located, not imported (importing wasmtime alone
# costs ~45 ms, more than a warm hit).
_LIBRARIES = ("wasmtime", "esprima", "tree_sitter", "tree_sitter_javascript", "jinja2")


@dataclass(frozen=True)
class Hit:
    """A cached build, as the command line uses it."""

    diagnostics: tuple[Diagnostic, ...]
    data: bytes | None  # the bundle (None for --check)
    inputs: tuple[str, ...]  # files no output may be written over
    modules: int
    _full: bytes | None  # the pickled result of the Python API call, if it was kept

    def result(self) -> Any:
        """The whole result (BuiltBundle, CheckResult), or None when the entry was made by the
        command line, which keeps only what it reads (see `keep_results`)."""
        return pickle.loads(self._full) if self._full is not None else None


# Whether a build's whole result is kept (a pickled graph: ~0.1 s for 946 modules, and
# twice the entry's size), for the Python API's next call. The command line, which reads
# only the bundle and the diagnostics, turns it off (`results_kept`).
keep_results = True


@contextmanager
def results_kept(keep: bool) -> Iterator[None]:
    global keep_results
    old, keep_results = keep_results, keep
    try:
        yield
    finally:
        keep_results = old


@cache
def code_fingerprint() -> str:
    """EdgeBox's own code and templates (by stat), the Python and the libraries' locations:
    a build by other code is another build."""
    import importlib.util

    h = hashlib.sha256(f"{sys.version}\0{sys.executable}\0".encode())
    here = Path(__file__).resolve().parent
    for top in (here, here.parent / "templates"):  # templates.template_dir's two places
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                p = os.path.join(dirpath, name)
                st = os.stat(p)
                h.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode())
    for lib in _LIBRARIES:
        spec = importlib.util.find_spec(lib)
        origin = spec.origin if spec is not None and spec.origin else ""
        try:
            st = os.stat(origin)
            h.update(f"{lib}\0{origin}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"{lib}\0-\n".encode())
    return h.hexdigest()


def key(kind: str, options: dict[str, Any]) -> str:
    """What a build is asked: the kind (bundle, check), its options, where it runs."""
    environment = os.environ.get("EDGEBOX_LIVE_MEMORY")  # decides how wasm memories are linked
    what = json.dumps(
        [FORMAT, kind, options, os.getcwd(), environment, code_fingerprint()], sort_keys=True, default=str
    )
    return hashlib.sha256(what.encode()).hexdigest()


def check_key(entry: Path, import_map: list[str] | None, conditions: Any) -> str:
    return key("check", {"entry": str(entry), "import_map": list(import_map or ()), "conditions": conditions})


def bundle_key(
    entry: Path,
    warnings_as_errors: bool,
    import_map: list[str] | None,
    permissions: tuple[Any, ...],
    run_defaults: dict[str, Any] | None,
    limits: dict[str, Any],
    conditions: Any,
    snapshot: bool,
) -> str:
    return key(
        "bundle",
        {
            "entry": str(entry),
            "warnings_as_errors": warnings_as_errors,
            "import_map": list(import_map or ()),
            "permissions": permissions,
            "run": run_defaults,
            "limits": limits,
            "conditions": conditions,
            "snapshot": snapshot,
        },
    )


def _entry(build_key: str) -> Path:
    return cache_dir() / "builds" / FORMAT / build_key[:2] / f"{build_key}.pickle"


def lookup(build_key: str) -> Hit | None:
    """The cached build, if there is one and every answer it rests on still holds."""
    flush_writes()  # an entry this process is writing
    try:
        with open(_entry(build_key), "rb") as f:
            data = f.read()
        if hashlib.sha256(data[32:]).digest() != data[:32]:
            return None  # damaged
        entry = pickle.loads(data[32:])
        record = reads.Reads.from_json(entry["reads"])
        if not record.still_valid():
            return None
        return Hit(
            tuple(entry["diagnostics"]),
            entry["data"],
            tuple(entry["inputs"]),
            entry["modules"],
            entry["full"],
        )
    except Exception:  # absent, damaged, or written by other code: a miss
        return None


def save(
    build_key: str,
    record: reads.Reads,
    diagnostics: tuple[Diagnostic, ...],
    data: bytes | None,
    inputs: list[Path],
    modules: int,
    full: Any,
) -> None:
    """Keep a finished build (one whose inputs changed while it read them is not kept)."""
    if any(digest == "?" for _, digest in record.files.values()):
        return
    keep = keep_results

    def make() -> bytes:  # on the cache's writer thread, while the caller writes its output
        entry = {
            "reads": record.to_json(),
            "diagnostics": list(diagnostics),
            "data": data,
            "inputs": [str(p) for p in inputs],
            "modules": modules,
            "full": pickle.dumps(full, protocol=pickle.HIGHEST_PROTOCOL) if keep else None,
        }
        pickled = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        return hashlib.sha256(pickled).digest() + pickled

    store_later(_entry(build_key), make)
