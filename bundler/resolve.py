"""Package resolution: bare specifiers (`pkg`, `@scope/pkg/sub`, `#internal`) to files.

Written as the steps of Node's ESM "Resolver Algorithm Specification" (doc/api/esm.md in
Node's sources), one function per step and named for it: PACKAGE_RESOLVE walks up through
`node_modules/<name>`, PACKAGE_SELF_RESOLVE lets a package import itself by name,
PACKAGE_EXPORTS_RESOLVE and PACKAGE_IMPORTS_RESOLVE read package.json "exports" and
"imports" through PACKAGE_IMPORTS_EXPORTS_RESOLVE and PACKAGE_TARGET_RESOLVE. Where
EdgeBox departs from Node, it is on purpose and listed in docs/compatibility.md:

- the conditions are an edge runtime's (DEFAULT_CONDITIONS), not Node's;
- without "exports", the "module" field comes before "main" (as bundlers do) while the
  "module" condition is on, and paths follow EdgeBox's extension rules (files.py);
- a Node built-in name resolves to a package of that name when one is installed, and is
  otherwise an error: the sandbox has no Node built-in modules;
- CommonJS is refused by name, never bundled as if it were an ES module.

Every failure is a ModuleNotFound naming the importing file (with line:column), the
package.json and the conditions involved, what was tried, and what to do.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cmp_to_key
from pathlib import Path
from typing import Any

from . import reads
from .conditions import DEFAULT_CONDITIONS
from .errors import ModuleNotFound, PackageNotFound, SourceSpan, UsageError
from .files import candidates, display_path, find_module_file

# The conditions a package's "exports" and "imports" are matched against. The order does not
# matter (a package's own key order decides, as in Node); "default" always matches.
#
# - "edgebox": this runtime, for packages that want to single it out (as "deno", "bun",
#   "workerd" do for theirs).
# - "worker", "browser": EdgeBox is an edge runtime with web-platform APIs and no Node
#   built-ins; these are the builds that assume exactly that (the edge bundlers of
#   Cloudflare and Vercel match them too), and wasm packages ship their ESM + wasm build
#   under them, where the "node" build reads the .wasm with `fs`.
# - "import": EdgeBox loads ES modules only; "require" builds are CommonJS.
# - "module": the bundler convention for an ES module build that a bundler may link
#   (webpack, esbuild, Rollup read it). It also turns on the "module" field of packages
#   without "exports", which wasm-bindgen's `--target bundler` packages rely on: their
#   "main", where there is one, is the same file or a CommonJS one.
# - "node" is left out (those builds use `fs`, `Buffer` and `require`), and so are
#   "development" and "production" (as Node leaves them out).
# (the tuple itself is in conditions.py, which edgebox-exec reads for its --help without
# importing this module)

# `require("module").builtinModules` of Node 20, plus what only exists as `node:…`.
NODE_BUILTINS = frozenset(
    """assert assert/strict async_hooks buffer child_process cluster console constants crypto
    dgram diagnostics_channel dns dns/promises domain events fs fs/promises http http2 https
    inspector inspector/promises module net os path path/posix path/win32 perf_hooks process
    punycode querystring readline readline/promises repl stream stream/consumers
    stream/promises stream/web string_decoder sys timers timers/promises tls trace_events tty
    url util util/types v8 vm wasi worker_threads zlib""".split()
)
NODE_ONLY_PREFIXED = frozenset({"test", "test/reporters", "sea", "sqlite"})
# The Node built-ins the engine has itself (engine/web/fs.js): files and standard input under
# the sandbox's grants. A specifier naming one that no package or import map claims is left
# for the engine, which serves it by name (glue.c node_builtins).
ENGINE_BUILTINS = frozenset({"fs", "fs/promises", "process"})


def engine_builtin(spec: str) -> bool:
    return spec.removeprefix("node:") in ENGINE_BUILTINS


MAX_PACKAGE_JSON_BYTES = 4 * 1024 * 1024
MAX_SNIFF_BYTES = 4 * 1024 * 1024  # of a .js file, to tell CommonJS from an ES module
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# A path segment Node refuses in "exports"/"imports" targets and in what a "*" matches:
# ".", "..", "node_modules", in any case and percent-encoded.
_BAD_SEGMENTS = (".", "..", "node_modules")


def _decoded(segment: str) -> str:
    return re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), segment).lower()


def _has_bad_segment(path: str) -> bool:
    return any(_decoded(s) in _BAD_SEGMENTS for s in re.split(r"[/\\]", path))


@dataclass(frozen=True)
class Conditions:
    """The set of condition names "exports" and "imports" are matched against."""

    names: tuple[str, ...] = DEFAULT_CONDITIONS

    def __contains__(self, key: object) -> bool:
        return key == "default" or key in self.names

    def __str__(self) -> str:
        return ", ".join(self.names)

    def with_names(self, more: Iterable[str]) -> Conditions:
        return Conditions((*self.names, *(n for n in more if n not in self.names)))

    @staticmethod
    def parse(value: str | Sequence[str] | None, what: str = "--conditions") -> Conditions:
        """From `--conditions a,b` (repeatable) or the Python API's `conditions=`: the list
        replaces the default one ("default" always matches, listed or not)."""
        if value is None:
            return Conditions()
        items = [value] if isinstance(value, str) else list(value) if isinstance(value, Sequence) else [value]
        if not all(isinstance(i, str) for i in items):
            raise UsageError(f"{what}: condition names are strings, like 'worker,import'")
        names = [n.strip() for i in items for n in i.split(",")]
        bad = next((n for n in names if not n or "\0" in n or any(c.isspace() for c in n)), None)
        if bad is not None or not names:
            raise UsageError(
                f"{what} wants condition names separated by commas, like {','.join(DEFAULT_CONDITIONS)}; "
                f"got {','.join(items)!r}"
            )
        return Conditions(tuple(dict.fromkeys(names)))


_ABSENT: Any = object()  # a package.json field that is missing (or null, which Node reads the same)


@dataclass(frozen=True)
class PackageJSON:
    """The fields of one package.json that resolution reads."""

    dir: Path
    name: str | None = None
    type: str | None = None
    main: str | None = None
    module: str | None = None
    exports: Any = field(default=_ABSENT, repr=False)
    imports: Any = field(default=_ABSENT, repr=False)

    @property
    def file(self) -> str:
        return display_path(self.dir / "package.json")

    def label(self) -> str:
        return f"'{self.name}'" if self.name else display_path(self.dir)


@dataclass(frozen=True)
class Resolution:
    """Where a bare specifier led. `package_dir` is set when the file belongs to a package
    found in a node_modules directory: its files count as part of the project (EB012)."""

    path: Path
    package_dir: Path | None = None
    how: str = ""  # which package.json entry chose it, for messages


@dataclass(frozen=True)
class _Target:
    """A PACKAGE_TARGET_RESOLVE result: the file, the condition keys taken to reach it, and
    the package it came from when a bare "imports" target went to another package."""

    path: Path
    via: tuple[str, ...] = ()
    resolution: Resolution | None = None

    def how(self, pjson: PackageJSON | None, key: str, field_name: str = "exports") -> str:
        where = pjson.file if pjson is not None else "package.json"
        under = f" under {', '.join(_json_key(c) for c in self.via)}" if self.via else ""
        return f'the "{field_name}" of {where} for {_json_key(key)}{under}'


class _Null:
    """A `null` target: the subpath is blocked (Node's **null**, as against **undefined**)."""


_NULL = _Null()
_TargetResult = _Target | _Null | None  # None: no condition matched (Node's **undefined**)


class Unresolved(Exception):
    """Why a specifier did not resolve, with the code Node gives the same failure (EdgeBox's
    own refusals have codes of their own). resolve() turns it into a ModuleNotFound at the
    import site; locate() lets it through, for comparing with Node."""

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        code: str = "ERR_MODULE_NOT_FOUND",
        not_found: bool = False,
    ):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code
        self.not_found = not_found  # no package of that name (a wasm import may be mapped instead)


class _InvalidTarget(Unresolved):
    """Node's Invalid Package Target: an array of fallbacks goes on to its next item."""

    def __init__(self, message: str):
        super().__init__(
            message,
            "the package's package.json is at fault; report it to its authors",
            "ERR_INVALID_PACKAGE_TARGET",
        )


def _json_key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def _is_array_index(key: str) -> bool:
    return key.isascii() and key.isdigit() and str(int(key)) == key and int(key) < 2**32 - 1


def _first_condition_objects(target: Any) -> Iterator[dict[str, Any]]:
    """Every condition object inside a target, outermost first."""
    if isinstance(target, dict):
        yield target
        for v in target.values():
            yield from _first_condition_objects(v)
    elif isinstance(target, list):
        for v in target:
            yield from _first_condition_objects(v)


class PackageResolver:
    """Resolves the specifiers that are not paths, for one build (package.json files are
    read once per build)."""

    def __init__(self, conditions: Conditions | None = None):
        self.conditions = conditions or Conditions()
        self._packages: dict[Path, PackageJSON | None] = {}

    # ESM_RESOLVE, for what is not a relative or absolute path ---------------------------

    def resolve(self, spec: str, importer: Path, span: SourceSpan | None) -> Resolution:
        """The file `spec` names, imported from `importer` (a JS or wasm module's real path)."""
        try:
            return self._checked(self.locate(spec, importer), spec)
        except Unresolved as e:
            raise (PackageNotFound if e.not_found else ModuleNotFound)(e.message, span, hint=e.hint) from None

    def locate(self, spec: str, importer: Path) -> Resolution:
        """ESM_RESOLVE steps 1-5: where `spec` points, before the file there is checked (as
        Node's import.meta.resolve answers). Raises Unresolved."""
        if spec.startswith("#"):
            target = self.package_imports_resolve(spec, importer, self.conditions)
            scope = self.lookup_package_scope(importer)
            assert scope is not None  # else package_imports_resolve raised
            return target.resolution or Resolution(
                target.path, None, target.how(self.read_package_json(scope), spec, "imports")
            )
        if spec.startswith("node:"):
            raise Unresolved(*_builtin_message(spec), code="ERR_EDGEBOX_NO_BUILTINS")
        if _URL_SCHEME.match(spec):
            raise Unresolved(
                f"cannot import '{spec}': EdgeBox bundles files, and a URL names none",
                "download the module and import it by a relative path, or map the URL to a "
                f"file with --import-map {spec}=./file.js",
                code="ERR_UNSUPPORTED_ESM_URL_SCHEME",
                not_found=True,
            )
        found = self.package_resolve(spec, importer.parent, self.conditions)
        if re.search("%2f|%5c", str(found.path), re.I):
            raise Unresolved(
                f"invalid specifier '{spec}': it resolves to {display_path(found.path)}, and a "
                'percent-encoded "/" or "\\" in a module path is refused (as Node refuses it)',
                code="ERR_INVALID_MODULE_SPECIFIER",
            )
        return found

    def _checked(self, found: Resolution, spec: str) -> Resolution:
        """ESM_RESOLVE step 7, and EdgeBox's own: a file (not a directory) that exists, an ES
        module rather than CommonJS."""
        path = found.path
        if reads.is_dir(path):
            raise Unresolved(
                f"cannot import '{spec}': it resolves to {display_path(path)}"
                + (f" ({found.how})" if found.how else "")
                + ", a directory",
                'a package\'s "exports" must name files; name the file in the specifier',
                code="ERR_UNSUPPORTED_DIR_IMPORT",
            )
        if not reads.is_file(path):
            raise Unresolved(
                f"cannot import '{spec}': it resolves to {display_path(path)}"
                + (f" ({found.how})" if found.how else "")
                + ", which does not exist",
                "is the package fully installed? (npm install)",
            )
        self._refuse_commonjs(path, spec)
        return Resolution(reads.resolve(path), found.package_dir, found.how)

    def refuse_commonjs(self, path: Path, spec: str, span: SourceSpan | None) -> None:
        """Raise if the file `spec` led to is CommonJS (for relative imports: resolve()
        checks what it resolves)."""
        try:
            self._refuse_commonjs(path, spec)
        except Unresolved as e:
            raise ModuleNotFound(e.message, span, hint=e.hint) from None

    def _refuse_commonjs(self, path: Path, spec: str) -> None:
        reason = self._commonjs_reason(path)
        if reason is None:
            return
        owner = self._package_root(path)
        pjson = self.read_package_json(owner) if owner is not None else None
        who = f"package {pjson.label()} is" if pjson is not None else "it is"
        raise Unresolved(
            f"cannot import '{spec}': {who} CommonJS ({display_path(path)} {reason}), and EdgeBox "
            "bundles ES modules only",
            'use a version or build of the package that ships ES modules (an "import" '
            'condition in its "exports", or a "module" field), or an ES module alternative'
            if pjson is not None
            else "rewrite it with import and export statements",
            code="ERR_EDGEBOX_COMMONJS",
        )

    def _package_root(self, path: Path) -> Path | None:
        """The package a file belongs to: the directory under node_modules holding it, else
        the nearest directory with a package.json."""
        for d in path.parents:
            if d.parent.name == "node_modules":
                return d
            if d.parent.parent.name == "node_modules" and d.parent.name.startswith("@"):
                return d
        return self.lookup_package_scope(path)

    # PACKAGE_RESOLVE ---------------------------------------------------------------------

    def package_resolve(self, spec: str, base: Path, conditions: Conditions) -> Resolution:
        """A bare specifier, looked up from the directory `base`."""
        name, subpath = _package_name(spec)
        own = self.package_self_resolve(spec, name, subpath, base, conditions)
        if own is not None:
            return own
        for d in (base, *base.parents):
            pkg_dir = d / "node_modules" / name
            if not reads.is_dir(pkg_dir):
                continue
            pjson = self.read_package_json(pkg_dir) or PackageJSON(pkg_dir, name=name)
            real = reads.resolve(pkg_dir)
            if pjson.exports is not _ABSENT:
                target = self.package_exports_resolve(spec, pjson, subpath, pjson.exports, conditions)
                return target.resolution or Resolution(target.path, real, target.how(pjson, subpath))
            if subpath == ".":
                return Resolution(self.legacy_main_resolve(pjson, conditions), real)
            file = find_module_file(_within(pkg_dir, subpath[2:]))
            if file is None:
                tried = ", ".join(display_path(c) for c in candidates(_within(pkg_dir, subpath[2:])))
                raise Unresolved(
                    f"cannot find '{spec}': package {pjson.label()} has no file {subpath} (looked for {tried})",
                    "check the path inside the package",
                )
            return Resolution(file, real)
        if spec in NODE_BUILTINS or name in NODE_BUILTINS:
            message, hint = _builtin_message(spec)
            raise Unresolved(
                f"{message}; no package '{name}' is installed either (no node_modules/{name} in "
                f"{display_path(base)} or a directory above it)",
                hint,
                code="ERR_EDGEBOX_NO_BUILTINS",
                not_found=True,
            )
        raise Unresolved(
            f"cannot find package '{name}' (no node_modules/{name} in {display_path(base)} or any "
            "directory above it)",
            f"install it (npm install {name}), or map the name to a file with --import-map {spec}=./file.js",
            not_found=True,
        )

    def package_self_resolve(
        self, spec: str, name: str, subpath: str, base: Path, conditions: Conditions
    ) -> Resolution | None:
        """A package importing itself by its own name, through its own "exports"."""
        scope = self.lookup_package_scope(base / "_")
        if scope is None:
            return None
        pjson = self.read_package_json(scope)
        if pjson is None or pjson.exports is _ABSENT or pjson.name != name:
            return None
        target = self.package_exports_resolve(spec, pjson, subpath, pjson.exports, conditions)
        return target.resolution or Resolution(target.path, None, target.how(pjson, subpath))

    def legacy_main_resolve(self, pjson: PackageJSON, conditions: Conditions) -> Path:
        """A package without "exports": "module" (while the "module" condition is on), then
        "main", then index.js, each with EdgeBox's extension rules."""
        fields = [("module", pjson.module)] if "module" in conditions.names else []
        fields.append(("main", pjson.main))
        tried: list[str] = []
        for key, value in fields:
            if value is None:
                continue
            file = find_module_file(pjson.dir / value)
            if file is not None:
                return file
            tried.append(f'"{key}": {_json_key(value)} (no such file)')
        file = next((f for f in (pjson.dir / "index.js", pjson.dir / "index.mjs") if reads.is_file(f)), None)
        if file is not None:
            return file
        tried.append(f"{display_path(pjson.dir / 'index.js')} (no such file)")
        ignored = (
            ' (its "module" field is read only with the "module" condition)'
            if pjson.module is not None and "module" not in conditions.names
            else ""
        )
        raise Unresolved(
            f'package {pjson.label()} has no entry point: it has no "exports", and {"; ".join(tried)}{ignored}',
            f"check {pjson.file}; is the package fully installed?",
        )

    # PACKAGE_EXPORTS_RESOLVE -------------------------------------------------------------

    def package_exports_resolve(
        self, spec: str, pjson: PackageJSON, subpath: str, exports: Any, conditions: Conditions
    ) -> _Target:
        if isinstance(exports, dict):
            dotted = {k.startswith(".") for k in exports}
            if len(dotted) > 1:
                raise Unresolved(
                    f'invalid "exports" in {pjson.file}: it mixes subpaths (keys starting with ".") '
                    "and conditions (other keys) in one object",
                    "report it to the package's authors",
                    code="ERR_INVALID_PACKAGE_CONFIG",
                )
        sugar = isinstance(exports, str | list) or (
            isinstance(exports, dict) and bool(exports) and not any(k.startswith(".") for k in exports)
        )
        mapping = {".": exports} if sugar else exports if isinstance(exports, dict) else {}
        result, key = self.package_imports_exports_resolve(subpath, mapping, pjson, False, conditions)
        if isinstance(result, _Target):
            return result
        raise self._not_exported(spec, pjson, subpath, mapping, key, result, conditions)

    def _not_exported(
        self,
        spec: str,
        pjson: PackageJSON,
        subpath: str,
        mapping: dict[str, Any],
        key: str | None,
        result: _TargetResult,
        conditions: Conditions,
    ) -> Unresolved:
        """Package Path Not Exported, said so that it helps: which entry, why, and what the
        package does offer."""
        shown = "the package itself" if subpath == "." else f"'{subpath}'"
        keys = ", ".join(_json_key(k) for k in list(mapping)[:10]) + (", …" if len(mapping) > 10 else "")
        if key is None:
            return Unresolved(
                f"cannot import '{spec}': package {pjson.label()} does not export {shown} "
                f'(its "exports" in {pjson.file} has no entry for it)',
                f"it exports {keys}" if mapping else 'its "exports" exports nothing',
                code="ERR_PACKAGE_PATH_NOT_EXPORTED",
            )
        if result is _NULL:
            return Unresolved(
                f"cannot import '{spec}': package {pjson.label()} keeps {shown} private "
                f'(its "exports" in {pjson.file} maps {_json_key(key)} to null)',
                f"it exports {keys}",
                code="ERR_PACKAGE_PATH_NOT_EXPORTED",
            )
        # No condition matched: see what Node's would have found, to say why.
        others = conditions.with_names(["node", "require"])
        try:
            found, _ = self.package_imports_exports_resolve(subpath, mapping, pjson, False, others)
        except Unresolved:
            found = None
        offered = sorted({k for o in _first_condition_objects(mapping[key]) for k in o})
        if isinstance(found, _Target):
            extra = [c for c in found.via if c not in conditions]
            if (
                "require" in extra
                or found.path.suffix == ".cjs"
                or (reads.is_file(found.path) and self._commonjs_reason(found.path) is not None)
            ):
                return Unresolved(
                    f"cannot import '{spec}': package {pjson.label()} is CommonJS for {shown}: its "
                    f'"exports" in {pjson.file} offers only {display_path(found.path)} under '
                    f"{', '.join(_json_key(c) for c in extra) or 'Node.js conditions'}, and EdgeBox "
                    "bundles ES modules only",
                    'use a version or build of the package that ships ES modules (an "import" '
                    'condition in its "exports"), or an ES module alternative',
                    code="ERR_PACKAGE_PATH_NOT_EXPORTED",
                )
            listed = ", ".join(_json_key(c) for c in extra)
            return Unresolved(
                f"cannot import '{spec}': package {pjson.label()} exports {shown} only under "
                f"{listed} ({display_path(found.path)}), a condition EdgeBox does not use "
                f"(conditions: {conditions})",
                f"if that build runs without Node.js APIs, add the condition: --conditions "
                f"{','.join(conditions.names)},{','.join(extra)}",
                code="ERR_PACKAGE_PATH_NOT_EXPORTED",
            )
        return Unresolved(
            f"cannot import '{spec}': package {pjson.label()} exports {shown} under conditions "
            f'EdgeBox does not use (its "exports" in {pjson.file} offers '
            f"{', '.join(_json_key(c) for c in offered) or 'none'}; conditions: {conditions})",
            "pass --conditions with one that fits, if that build runs in a sandbox without Node.js APIs",
            code="ERR_PACKAGE_PATH_NOT_EXPORTED",
        )

    # PACKAGE_IMPORTS_RESOLVE -------------------------------------------------------------

    def package_imports_resolve(self, spec: str, importer: Path, conditions: Conditions) -> _Target:
        """`#name`: the "imports" of the package the importer belongs to."""
        if spec == "#" or spec.startswith("#/"):
            raise Unresolved(
                f"invalid specifier '{spec}': a \"#\" import names an entry of package.json "
                "\"imports\", like '#utils'",
                code="ERR_INVALID_MODULE_SPECIFIER",
            )
        scope = self.lookup_package_scope(importer)
        if scope is None:
            raise Unresolved(
                f'cannot resolve \'{spec}\': a "#" import names an entry of package.json "imports", '
                f"and {display_path(importer)} is in no package (no package.json above it)",
                'add "imports" to the package.json of your project, like {"imports": {"'
                + spec
                + '": "./src/x.js"}}',
                code="ERR_PACKAGE_IMPORT_NOT_DEFINED",
            )
        pjson = self.read_package_json(scope)
        assert pjson is not None
        imports = pjson.imports if isinstance(pjson.imports, dict) else {}
        result, key = self.package_imports_exports_resolve(spec, imports, pjson, True, conditions)
        if isinstance(result, _Target):
            return result
        why = (
            "maps it to null"
            if result is _NULL
            else "has no condition EdgeBox uses for it"
            if key is not None
            else "has no entry for it"
        )
        names = ", ".join(_json_key(k) for k in list(imports)[:10])
        raise Unresolved(
            f"cannot resolve '{spec}': the \"imports\" of {pjson.file} {why} (conditions: {conditions})",
            f"it defines {names}"
            if names
            else f'define it in {pjson.file}: {{"imports": {{"{spec}": "./x.js"}}}}',
            code="ERR_PACKAGE_IMPORT_NOT_DEFINED",
        )

    # PACKAGE_IMPORTS_EXPORTS_RESOLVE -----------------------------------------------------

    def package_imports_exports_resolve(
        self, match_key: str, match_obj: dict[str, Any], pjson: PackageJSON, is_imports: bool,
        conditions: Conditions,
    ) -> tuple[_TargetResult, str | None]:  # fmt: skip
        """The entry of "exports" (subpaths) or "imports" for `match_key`: an exact key, else
        the most specific "*" pattern. Returns the result and the key that matched."""
        if match_key in match_obj and "*" not in match_key:
            return self.package_target_resolve(
                pjson, match_obj[match_key], None, is_imports, conditions
            ), match_key
        for key in sorted((k for k in match_obj if k.count("*") == 1), key=cmp_to_key(pattern_key_compare)):
            base, trailer = key.split("*")
            if (
                match_key.startswith(base)
                and match_key != base
                and (not trailer or (match_key.endswith(trailer) and len(match_key) >= len(key)))
            ):
                matched = match_key[len(base) : len(match_key) - len(trailer)]
                return self.package_target_resolve(
                    pjson, match_obj[key], matched, is_imports, conditions
                ), key
        return None, None

    # PACKAGE_TARGET_RESOLVE --------------------------------------------------------------

    def package_target_resolve(
        self, pjson: PackageJSON, target: Any, pattern_match: str | None, is_imports: bool,
        conditions: Conditions,
    ) -> _TargetResult:  # fmt: skip
        field_name = '"imports"' if is_imports else '"exports"'
        if isinstance(target, str):
            if not target.startswith("./"):
                if is_imports and not target.startswith(("../", "/")) and not _URL_SCHEME.match(target):
                    spec = target.replace("*", pattern_match) if pattern_match is not None else target
                    found = self.package_resolve(spec, pjson.dir, conditions)
                    return _Target(found.path, (), found)
                raise _InvalidTarget(
                    f"invalid {field_name} target {_json_key(target)} in {pjson.file}: targets start "
                    'with "./" and name a file inside the package'
                    + (' (or, in "imports", name another package)' if is_imports else "")
                )
            if _has_bad_segment(target[2:]):
                raise _InvalidTarget(
                    f"invalid {field_name} target {_json_key(target)} in {pjson.file}: a target may not "
                    'contain ".", ".." or "node_modules" segments (it must stay inside the package)'
                )
            if pattern_match is None:
                return _Target(_within(pjson.dir, target[2:]))
            if _has_bad_segment(pattern_match):
                raise Unresolved(
                    f"invalid specifier: '{pattern_match}', what {_json_key(target)} in {pjson.file} "
                    'matched, may not contain ".", ".." or "node_modules" segments',
                    code="ERR_INVALID_MODULE_SPECIFIER",
                )
            return _Target(_within(pjson.dir, target[2:].replace("*", pattern_match)))
        if isinstance(target, dict):
            numeric = next((k for k in target if _is_array_index(k)), None)
            if numeric is not None:
                raise Unresolved(
                    f"invalid {field_name} in {pjson.file}: condition objects cannot have numeric keys "
                    f"({_json_key(numeric)})",
                    "report it to the package's authors",
                    code="ERR_INVALID_PACKAGE_CONFIG",
                )
            for key, value in target.items():
                if key in conditions:
                    result = self.package_target_resolve(pjson, value, pattern_match, is_imports, conditions)
                    if result is None:
                        continue
                    if isinstance(result, _Target):
                        return _Target(result.path, (key, *result.via), result.resolution)
                    return result
            return None
        if isinstance(target, list):
            if not target:
                return _NULL
            last: _TargetResult | _InvalidTarget = None
            for item in target:
                try:
                    result = self.package_target_resolve(pjson, item, pattern_match, is_imports, conditions)
                except _InvalidTarget as e:
                    last = e
                    continue
                if result is None:
                    continue
                if result is _NULL:
                    last = _NULL
                    continue
                return result
            if isinstance(last, _InvalidTarget):
                raise last
            return last
        if target is None:
            return _NULL
        raise _InvalidTarget(
            f"invalid {field_name} target {json.dumps(target)} in {pjson.file}: a target is a string, "
            "an object of conditions, an array or null"
        )

    # LOOKUP_PACKAGE_SCOPE, READ_PACKAGE_JSON ---------------------------------------------

    def lookup_package_scope(self, path: Path) -> Path | None:
        """The directory of the nearest package.json above `path`, not crossing node_modules."""
        for d in path.parents:
            if d.name == "node_modules":
                return None
            if self.read_package_json(d) is not None:
                return d
        return None

    def read_package_json(self, pkg_dir: Path) -> PackageJSON | None:
        if pkg_dir in self._packages:
            return self._packages[pkg_dir]
        file = pkg_dir / "package.json"
        pjson: PackageJSON | None = None
        if reads.is_file(file):
            pjson = _parse_package_json(pkg_dir, file)
        self._packages[pkg_dir] = pjson
        return pjson

    # CommonJS ----------------------------------------------------------------------------

    def _commonjs_reason(self, path: Path) -> str | None:
        """Why `path` is CommonJS (what Node would load as CommonJS and no bundler would read
        as an ES module), or None. A .js file counts only when its package is not "type":
        "module" and it has no import or export statement but uses require or exports."""
        if path.suffix == ".cjs":
            return "is a .cjs file"
        if path.suffix != ".js":
            return None
        scope = self.lookup_package_scope(path)
        pjson = self.read_package_json(scope) if scope is not None else None
        if pjson is not None and pjson.type == "module":
            return None
        try:
            with open(path, "rb") as f:
                st = os.fstat(f.fileno())
                raw = f.read(MAX_SNIFF_BYTES + 1)
            reads.note_file(path, st, raw)
            text = raw.decode("utf-8", "replace")
        except OSError:
            return None
        if len(text) > MAX_SNIFF_BYTES:
            return None
        return _commonjs_syntax(text)


def _within(directory: Path, relative: str) -> Path:
    """`relative` under `directory`, as URL resolution joins them: a "/" at its start does
    not make it absolute."""
    return Path(f"{directory}/{relative}")


def pattern_key_compare(a: str, b: str) -> int:
    """PATTERN_KEY_COMPARE: the more specific pattern (longer prefix before "*", then longer
    key) first."""
    base_a = a.index("*") + 1 if "*" in a else len(a)
    base_b = b.index("*") + 1 if "*" in b else len(b)
    if base_a != base_b:
        return -1 if base_a > base_b else 1
    if "*" not in a:
        return 1
    if "*" not in b:
        return -1
    if len(a) != len(b):
        return -1 if len(a) > len(b) else 1
    return 0


def _package_name(spec: str) -> tuple[str, str]:
    """PACKAGE_RESOLVE steps 1-8: the package name and the subpath ("." or "./…"). A name
    that cannot be a package's counts as no package found (a wasm import name may be mapped)."""
    if not spec:
        raise Unresolved(
            "invalid specifier '': an import names a module",
            code="ERR_INVALID_MODULE_SPECIFIER",
            not_found=True,
        )
    if spec.startswith("@"):
        parts = spec.split("/", 2)
        if len(parts) < 2 or not parts[1]:
            raise Unresolved(
                f"invalid specifier '{spec}': a scoped package name is '@scope/name'",
                code="ERR_INVALID_MODULE_SPECIFIER",
                not_found=True,
            )
        name = "/".join(parts[:2])
    else:
        name = spec.split("/", 1)[0]
    if name.startswith(".") or "\\" in name or "%" in name or not name.strip("@/"):
        raise Unresolved(
            f"invalid specifier '{spec}': '{name}' is not a package name (it may not start with "
            '".", nor contain "\\" or "%")',
            "name a file with a relative path ('./x.js') instead",
            code="ERR_INVALID_MODULE_SPECIFIER",
            not_found=True,
        )
    subpath = "." + spec[len(name) :]
    if subpath.endswith("/"):
        raise Unresolved(
            f"invalid specifier '{spec}': a package subpath may not end with \"/\"",
            f"name a file, like '{spec}index.js'",
            code="ERR_INVALID_MODULE_SPECIFIER",
            not_found=True,
        )
    return name, subpath


def _builtin_message(spec: str) -> tuple[str, str]:
    name = spec.removeprefix("node:")
    what = (
        "it is a Node.js built-in module"
        if name in NODE_BUILTINS or name in NODE_ONLY_PREFIXED
        else "'node:' names Node.js built-in modules"
    )
    return (
        f"cannot import '{spec}': {what}, and EdgeBox has only node:fs, node:fs/promises and node:process "
        "(its sandbox offers web-platform APIs)",
        f"use a package that runs in browsers or edge runtimes, or map '{spec}' to a file of your "
        f"own with --import-map {spec}=./{name.replace('/', '-')}.js",
    )


def _invalid_config(message: str) -> Unresolved:
    return Unresolved(message, "fix or reinstall the package", code="ERR_INVALID_PACKAGE_CONFIG")


def _parse_package_json(pkg_dir: Path, file: Path) -> PackageJSON:
    shown = display_path(file)
    try:
        with open(file, "rb") as f:
            st = os.fstat(f.fileno())
            size = st.st_size
            if size > MAX_PACKAGE_JSON_BYTES:
                raise _invalid_config(
                    f"{shown} is {size:,} bytes; a package.json may have at most {MAX_PACKAGE_JSON_BYTES:,}"
                )
            raw = f.read()
        reads.note_file(file, st, raw)
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as e:
        raise _invalid_config(f"{shown} is not valid JSON: {e or 'it nests too deeply'}") from None
    except OSError as e:
        raise _invalid_config(f"cannot read {shown}: {e.strerror}") from None
    if not isinstance(data, dict):
        raise _invalid_config(f"{shown} is not a JSON object")

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    def json_field(key: str) -> Any:
        value = data.get(key)
        return _ABSENT if value is None else value

    for key in ("exports", "imports"):
        if _contains_nul(data.get(key)):
            raise _invalid_config(f'{shown}: "{key}" cannot contain a NUL character')
    return PackageJSON(
        pkg_dir,
        name=text("name"),
        type=text("type"),
        main=text("main") if "\0" not in (text("main") or "") else None,
        module=text("module") if "\0" not in (text("module") or "") else None,
        exports=json_field("exports"),
        imports=json_field("imports"),
    )


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\0" in value
    if isinstance(value, dict):
        return any("\0" in k or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


# String literals (kept) or comments (blanked): a comment's "import x" or "require('y')" says
# nothing about the file, and a "/*" inside a string is not a comment.
_STRINGS_OR_COMMENTS = re.compile(
    r"(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|/\*.*?\*/|//[^\n]*", re.S
)
_ESM_SYNTAX = re.compile(
    r"(?:^|[;}\s)])(?:import\s*[{*\"'`]|import\s+[\w$]|export\s*[{*]|export\s+[\w$])|\bimport\.meta\b"
)
_CJS_SYNTAX = re.compile(
    r"\b(?:(?P<require>require)\s*\(\s*[\"'`]|(?P<module>module\.exports)\b|(?P<exports>exports)\s*(?:\.\s*[\w$]+|\[)\s*=(?!=)"
    r"|Object\.defineProperty\(\s*(?P<define>exports)\b)"
)


def _commonjs_syntax(text: str) -> str | None:
    """What marks `text` as CommonJS, or None: it has no import or export statement and
    calls require or assigns module.exports or exports.x (comments aside). A heuristic,
    leaning towards "not CommonJS": a wrong "no" leaves the file to the ES module parser."""
    code = _STRINGS_OR_COMMENTS.sub(lambda m: m.group(1) or " ", text)
    if _ESM_SYNTAX.search(code):
        return None
    m = _CJS_SYNTAX.search(code)
    if m is None:
        return None
    if m.group("require"):
        return "calls require()"
    if m.group("module"):
        return "assigns module.exports"
    return "assigns to exports"
