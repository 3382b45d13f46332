"""The import map: bare module names (`env`, as AssemblyScript and Emscripten emit) → files.

It is read from `--import-map NAME=PATH` and from the "imports" object of an `edgebox.json`
beside the entry, and it is consulted before anything else resolves a specifier (a package
of the same name included). As in the import-maps spec (WICG), a name ending in "/" is a
prefix: `"lodash-es/": "./node_modules/lodash-es/"` maps `lodash-es/x.js`, the longest
prefix wins, an exact name wins over any prefix, and what follows the prefix may not climb
out of the directory it maps to.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import reads
from .errors import ModuleNotFound, SourceSpan, UsageError
from .files import bundlable, display_path, find_module_file

MAX_CONFIG_BYTES = 1024 * 1024  # edgebox.json


@dataclass(frozen=True)
class ImportMap:
    """Bare module names (`env`, as AssemblyScript and Emscripten emit) → files.

    From `--import-map NAME=PATH` (paths relative to the working directory) and the
    "imports" object of an `edgebox.json` beside the entry (paths relative to it).
    """

    entries: dict[str, Path] = field(default_factory=dict)
    prefixes: dict[str, Path] = field(default_factory=dict)  # "name/" → a directory

    def lookup(self, spec: str, span: SourceSpan | None) -> Path | None:
        """The file the map sends `spec` to, or None when it does not map `spec`."""
        if spec in self.entries:
            target = self.entries[spec]
            if not reads.is_file(target):
                raise ModuleNotFound(
                    f"'{spec}' is mapped to {display_path(target)}, which is not a file", span
                )
            return bundlable(target, spec, span)
        prefix = max((p for p in self.prefixes if spec.startswith(p)), key=len, default=None)
        if prefix is None:
            return None
        directory = self.prefixes[prefix]
        rest = spec[len(prefix) :]
        base = reads.resolve(directory / rest)
        if not rest or not base.is_relative_to(directory):
            raise ModuleNotFound(
                f"cannot import '{spec}': the import map's prefix '{prefix}' maps to "
                f"{display_path(directory)}/, and {'nothing follows it' if not rest else f'{rest!r} climbs out of it'}",
                span,
                hint=f"name a file inside it, like '{prefix}index.js'",
            )
        found = find_module_file(base)
        if found is None:
            raise ModuleNotFound(
                f"cannot find module '{spec}': the import map's prefix '{prefix}' maps it to "
                f"{display_path(base)}, which does not exist",
                span,
            )
        return bundlable(found, spec, span)

    @staticmethod
    def load(entry: Path, cli: list[str] | None = None) -> ImportMap:
        entries: dict[str, Path] = {}
        prefixes: dict[str, Path] = {}

        def add(name: str, path: str, base: Path, where: str) -> None:
            if name.endswith("/") != path.endswith("/"):
                message = (
                    f"{where}: '{name}' ends with '/', so it maps a prefix, and its path must be a "
                    f"directory ending with '/' too, not {path!r}"
                    if name.endswith("/")
                    else f"{where}: '{name}' maps to {path!r}, a directory; name a file, or map the "
                    f"prefix '{name}/' to it"
                )
                if where == "--import-map":
                    raise UsageError(message)
                raise ModuleNotFound(message, SourceSpan(where))
            if name.endswith("/"):
                prefixes[name] = reads.resolve(base / path)
            else:
                entries[name] = reads.resolve(base / path)

        config = entry.parent / "edgebox.json"
        if reads.is_file(config):
            try:
                with open(config, "rb") as f:
                    st = os.fstat(f.fileno())
                    if st.st_size > MAX_CONFIG_BYTES:
                        raise ModuleNotFound(
                            f"{display_path(config)} is {st.st_size:,} bytes; an edgebox.json may have "
                            f"at most {MAX_CONFIG_BYTES:,}",
                            SourceSpan(display_path(config)),
                        )
                    raw = f.read()
                reads.note_file(config, st, raw)
                data = json.loads(raw.decode("utf-8"))
            except (ValueError, OSError, RecursionError) as e:
                raise ModuleNotFound(
                    f"{display_path(config)} is not valid JSON: {e or 'it nests too deeply'}",
                    SourceSpan(display_path(config)),
                ) from None
            imports = data.get("imports", {}) if isinstance(data, dict) else {}
            if not isinstance(imports, dict) or not all(isinstance(v, str) for v in imports.values()):
                raise ModuleNotFound(
                    f'{display_path(config)}: "imports" must map names to paths, like {{"env": "./env.js"}}',
                    SourceSpan(display_path(config)),
                )
            if any("\0" in k or "\0" in v for k, v in imports.items()):
                raise ModuleNotFound(
                    f'{display_path(config)}: "imports" names and paths cannot contain a NUL character',
                    SourceSpan(display_path(config)),
                )
            for k, v in imports.items():
                add(k, v, config.parent, display_path(config))
        for item in cli or []:
            name, sep, path = item.partition("=")
            if not sep or not name or not path or "\0" in item:
                raise UsageError(f"--import-map wants NAME=PATH, got {item!r}")
            add(name, path, Path.cwd(), "--import-map")
        return ImportMap(entries, prefixes)
