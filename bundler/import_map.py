"""The import map: bare module names (`env`, as AssemblyScript and Emscripten emit) → files.

It is read from `--import-map NAME=PATH` and from the "imports" object of an `edgebox.json`
beside the entry, and it is consulted before anything else resolves a specifier (a package
of the same name included).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ModuleNotFound, SourceSpan, UsageError
from .files import bundlable, display_path

MAX_CONFIG_BYTES = 1024 * 1024  # edgebox.json


@dataclass(frozen=True)
class ImportMap:
    """Bare module names (`env`, as AssemblyScript and Emscripten emit) → files.

    From `--import-map NAME=PATH` (paths relative to the working directory) and the
    "imports" object of an `edgebox.json` beside the entry (paths relative to it).
    """

    entries: dict[str, Path] = field(default_factory=dict)

    def lookup(self, spec: str, span: SourceSpan | None) -> Path | None:
        """The file the map sends `spec` to, or None when it does not map `spec`."""
        if spec not in self.entries:
            return None
        target = self.entries[spec]
        if not target.is_file():
            raise ModuleNotFound(f"'{spec}' is mapped to {display_path(target)}, which is not a file", span)
        return bundlable(target, spec, span)

    @staticmethod
    def load(entry: Path, cli: list[str] | None = None) -> ImportMap:
        entries: dict[str, Path] = {}
        config = entry.parent / "edgebox.json"
        if config.is_file():
            if config.stat().st_size > MAX_CONFIG_BYTES:
                raise ModuleNotFound(
                    f"{display_path(config)} is {config.stat().st_size:,} bytes; an edgebox.json may have "
                    f"at most {MAX_CONFIG_BYTES:,}",
                    SourceSpan(display_path(config)),
                )
            try:
                data = json.loads(config.read_text(encoding="utf-8"))
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
            entries.update({k: (config.parent / v).resolve() for k, v in imports.items()})
        for item in cli or []:
            name, sep, path = item.partition("=")
            if not sep or not name or not path or "\0" in item:
                raise UsageError(f"--import-map wants NAME=PATH, got {item!r}")
            entries[name] = Path(path).resolve()
        return ImportMap(entries)
