"""sha256, the one digest EdgeBox uses: bundle entries, cache keys, the engine's identity.

Importing `hashlib` loads OpenSSL: ~12 M instructions, ~2 ms of an edgebox-exec start whose
inputs (a small bundle's entries, cache keys of a few dozen bytes) take microseconds to
hash. CPython's own sha256 (`_sha2`; `_sha256` before 3.12) costs nothing to import and
hashes ~130 MB/s; OpenSSL's ~900 MB/s, which pays for its import past SMALL bytes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

SMALL = 256 * 1024


def _builtin_sha256() -> Callable[[bytes], Any] | None:
    for name in ("_sha2", "_sha256"):
        try:
            constructor: Callable[[bytes], Any] = importlib.import_module(name).sha256
            return constructor
        except (ImportError, AttributeError):
            continue
    return None  # a Python built without its own hashes: hashlib for everything


_BUILTIN = _builtin_sha256()


def sha256_hex(data: bytes) -> str:
    if len(data) <= SMALL and _BUILTIN is not None:
        return str(_BUILTIN(data).hexdigest())
    import hashlib

    return hashlib.sha256(data).hexdigest()
