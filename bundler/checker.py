"""Build-time signature checks: JS call sites against the wasm exports they reach.

Every way an export can reach a call site counts: namespace imports (`m.add()`,
`m["add"]()`), named and renamed imports, default imports, re-exports through JS
modules (`export { add } from`, `export * from`, chains of them) and dynamic
`import()` awaited into a binding, at the top level or inside a function or block
(where the binding is that scope's own). Each mistake becomes a `Diagnostic` with a
stable code; docs/diagnostics.md documents every one with a wrong and a right
example.

The per-module facts come from analysis.py (cached by content hash); this phase
only joins them with the wasm signatures, which is cheap.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

from .analysis import Arg, CallSite, ModuleFacts, analyze_cached
from .diagnostics import Diagnostic
from .errors import SourceSpan
from .graph import JSModule, JSONModule, LeftOut, Module, ModuleGraph, WasmModule, display_path
from .wasm_types import WasmExport

I32_MIN, I32_MAX = -(2**31), 2**31 - 1
I64_MIN, I64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class ExportRef:
    """A binding that reaches one export of a wasm module."""

    module: str
    export: WasmExport


@dataclass(frozen=True)
class NamespaceRef:
    """A binding that is a wasm module's namespace."""

    module: str


@dataclass(frozen=True)
class Missing:
    """The name is not exported by `module`; `names` are what it does export."""

    module: str
    name: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class JSValue:
    """The name is bound by `module`, a JS module, itself (a function, class or value of
    its own): found, and not a wasm export, so nothing to check."""

    module: str


Resolved = ExportRef | NamespaceRef | Missing | JSValue | None  # None: cannot tell (a cycle, JSON)


class Resolver:
    """What an imported name binds, following re-export chains.

    Results are memoised per (module, name) and per module, so a graph where many
    `export *` paths lead through the same modules costs linear time, not exponential
    (41 files of diamond-shaped `export *` took 11 s). A result that a cycle cut short
    (None at a module already on the path) is not memoised: from another start it may
    resolve differently.
    """

    def __init__(self, graph: ModuleGraph):
        self.graph = graph
        self._resolved: dict[tuple[str, str], Resolved] = {}
        self._names: dict[str, set[str]] = {}

    def target(self, module_id: str, specifier: str) -> str | None:
        return self.graph.resolve.get(module_id, {}).get(specifier)

    def export_names(self, module_id: str) -> set[str]:
        names, _ = self._export_names(module_id, frozenset())
        return names

    def _export_names(self, module_id: str, seen: frozenset[str]) -> tuple[set[str], bool]:
        """(names, complete): complete is False when a cycle cut the walk short."""
        if module_id in self._names:
            return self._names[module_id], True
        mod = self.graph.modules.get(module_id)
        if isinstance(mod, WasmModule):
            return {e.name for e in mod.interface.exports}, True
        if isinstance(mod, JSONModule):
            return {"default"}, True
        if not isinstance(mod, JSModule):
            return set(), True
        if module_id in seen:
            return set(), False
        names = {e.exported for e in mod.facts.exports}
        complete = True
        for spec in mod.facts.star_exports:
            t = self.target(module_id, spec)
            if t is not None:
                more, done = self._export_names(t, seen | {module_id})
                names |= more - {"default"}
                complete = complete and done
        if complete:
            self._names[module_id] = names
        return names, complete

    def resolve(self, module_id: str | None, name: str) -> Resolved:
        """What `import { name } from <module_id>` binds (name "*" for the namespace)."""
        return self._resolve(module_id, name, frozenset())[0]

    def _resolve(self, module_id: str | None, name: str, seen: frozenset[str]) -> tuple[Resolved, bool]:
        """(result, complete): complete is False when a cycle cut the search short."""
        if module_id is None:
            return None, True
        key = (module_id, name)
        if key in self._resolved:
            return self._resolved[key], True
        if module_id in seen:
            return None, False
        result, complete = self._resolve_uncached(module_id, name, seen | {module_id})
        if complete:
            self._resolved[key] = result
        return result, complete

    def _resolve_uncached(self, module_id: str, name: str, seen: frozenset[str]) -> tuple[Resolved, bool]:
        mod = self.graph.modules.get(module_id)
        if isinstance(mod, WasmModule):
            if name == "*":
                return NamespaceRef(module_id), True
            exp = mod.interface.export(name)
            if exp is not None:
                return ExportRef(module_id, exp), True
            return Missing(module_id, name, tuple(e.name for e in mod.interface.exports)), True
        if isinstance(mod, JSONModule):
            return (None if name in ("*", "default") else Missing(module_id, name, ("default",))), True
        if not isinstance(mod, JSModule) or name == "*":
            return None, True
        facts = mod.facts
        for e in facts.exports:
            if e.exported != name:
                continue
            if e.specifier is not None:
                return self._resolve(self.target(module_id, e.specifier), e.imported or name, seen)
            binding = next((b for b in facts.bindings if b.local == e.local and not b.dynamic), None)
            if binding is not None:
                return self._resolve(self.target(module_id, binding.specifier), binding.imported, seen)
            return JSValue(module_id), True
        complete = True
        if name != "default":
            for spec in facts.star_exports:
                r, done = self._resolve(self.target(module_id, spec), name, seen)
                complete = complete and done
                if r is not None and not isinstance(r, Missing):
                    return r, True
        names, done = self._export_names(module_id, seen - {module_id})
        return Missing(module_id, name, tuple(sorted(names))), complete and done


def _suggest(name: str, names: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return close[0] if close else None


def _missing(m: Missing, span: SourceSpan, how: str) -> Diagnostic:
    guess = _suggest(m.name, m.names)
    hint = f"did you mean '{guess}'?" if guess else (
        f"{m.module} exports: {', '.join(sorted(m.names)[:8])}" if m.names else f"{m.module} exports nothing"
    )  # fmt: skip
    return Diagnostic("EB001", "error", f"{how} '{m.name}' is not exported by {m.module}", span, hint)


def _js_unusable(exp: WasmExport) -> bool:
    """A function JS cannot call, or a global JS cannot read (v128 or a reference type)."""
    if exp.signature is not None:
        return not exp.signature.js_callable
    return exp.global_type is not None and exp.global_type.type == "v128"


def _unusable(r: Resolved, span: SourceSpan) -> Diagnostic | None:
    """EB011: an import, or a namespace member read, of an export only wasm can use.

    A warning, not an error: the value can still be passed around (or the module
    linked with wasm that uses it); EB010 catches an actual call. A namespace
    import alone does not warn: its other exports may be all that JS uses.
    """
    hint = "use it from another wasm module, or export a wrapper with i32/i64/f32/f64 types"
    if isinstance(r, ExportRef) and _js_unusable(r.export):
        e = r.export
        return Diagnostic(
            "EB011", "warning", f"'{e.name}' of {r.module} is {e.describe()}, which JS cannot use", span, hint
        )  # fmt: skip
    return None


NUMERIC = ("i32", "i64", "f32", "f64")
WRONG_KIND = {
    "string": "the string {text}",
    "boolean": "the boolean {text}",
    "null": "null",
    "object": "an object literal",
    "array": "an array literal",
    "function": "a function",
}


def _check_arg(arg: Arg, param: str, index: int, fname: str, file: str) -> Diagnostic | None:
    span = arg.span.at(file)
    what = f"argument {index + 1} of '{fname}' ({param})"
    if param not in NUMERIC:
        return None
    if arg.kind in WRONG_KIND:
        hint = "pass a BigInt, e.g. 1n" if param == "i64" else "pass a number"
        desc = WRONG_KIND[arg.kind].format(text=arg.text)
        return Diagnostic("EB003", "error", f"{what} is {desc}; wasm functions take only numbers", span, hint)
    if param == "i64":
        if arg.kind == "number":
            v = arg.value
            sugg = (
                f"{int(v)}n"
                if isinstance(v, int | float) and v == v and abs(v) != float("inf") and v == int(v)
                else "a BigInt"
            )
            return Diagnostic(
                "EB003", "error",
                f"{what} is the Number `{arg.text}`; an i64 takes a BigInt (a Number throws TypeError at run time)",
                span, f"write {sugg}",
            )  # fmt: skip
        if arg.kind == "undefined":
            return Diagnostic(
                "EB003",
                "error",
                f"{what} is undefined; an i64 takes a BigInt (undefined throws TypeError)",
                span,
                "pass a BigInt",
            )
        if arg.kind == "bigint" and isinstance(arg.value, int) and not I64_MIN <= arg.value <= I64_MAX:
            wrapped = (arg.value - I64_MIN) % 2**64 + I64_MIN
            return Diagnostic(
                "EB005", "warning", f"{what} `{arg.text}` is outside the i64 range; it wraps to {wrapped}n", span,
                "use a value between -(2n**63n) and 2n**63n-1n",
            )  # fmt: skip
        return None
    if arg.kind == "bigint":
        return Diagnostic(
            "EB003", "error",
            f"{what} is the BigInt `{arg.text}`; {param} takes a Number (a BigInt throws TypeError at run time)",
            span, f"write {arg.text[:-1]}" if arg.text.endswith("n") else "pass a Number",
        )  # fmt: skip
    if param == "i32" and arg.kind == "number" and isinstance(arg.value, int | float):
        v = arg.value
        if v != v or v in (float("inf"), float("-inf")) or v != int(v):
            got = 0 if v != v or v in (float("inf"), float("-inf")) else int(v)
            return Diagnostic(
                "EB004", "warning", f"{what} `{arg.text}` is not an integer; the function receives {got}", span,
                "pass an integer (Math.trunc(x) if truncation is what you want)",
            )  # fmt: skip
        if not I32_MIN <= v <= I32_MAX:
            wrapped = (int(v) - I32_MIN) % 2**32 + I32_MIN
            return Diagnostic(
                "EB005", "warning", f"{what} `{arg.text}` is outside the i32 range; it wraps to {wrapped}", span,
                f"write {wrapped} if that is what you mean" if I32_MIN <= wrapped <= I32_MAX else None,
            )  # fmt: skip
    return None


def _check_call(call: CallSite, ref: ExportRef, file: str) -> list[Diagnostic]:
    exp = ref.export
    name = exp.name
    callee = call.callee_span.at(file)
    if exp.kind != "func" or exp.signature is None:
        return [
            Diagnostic(
                "EB006",
                "error",
                f"'{name}' is a wasm {exp.kind} export of {ref.module}, not a function",
                callee,
                "read it without calling it" if exp.kind == "global" else None,
            )  # fmt: skip
        ]
    sig = exp.signature
    if not sig.js_callable:
        return [
            Diagnostic(
                "EB010",
                "error",
                f"'{name}' has the signature {sig}, which JS cannot call (a TypeError at run time)",
                callee,
                "call it from another wasm module, or export a wrapper with i32/i64/f32/f64 types",
            )  # fmt: skip
        ]
    out: list[Diagnostic] = []
    if call.spread:
        out.append(
            Diagnostic(
                "EB008",
                "note",
                f"the arguments of this call to '{name}' {sig} cannot be checked (spread)",
                call.span.at(file),
                "pass the arguments one by one to have them checked",
            )  # fmt: skip
        )
    else:
        n, want = len(call.args), len(sig.params)
        if n != want:
            if n > want:
                first, last = call.args[want].span, call.args[-1].span
                span = first.at(file)
                span = type(span)(file, first.line, first.column, last.end_line, last.end_column)
                detail = f"{n - want} extra ignored"
            else:
                span = call.span.at(file)
                detail = "the missing ones become undefined" + (
                    " (0)" if "i64" not in sig.params[n:] else " (TypeError for i64)"
                )
            s = "" if want == 1 else "s"
            out.append(
                Diagnostic(
                    "EB002",
                    "error",
                    f"'{name}' takes {want} argument{s} {sig} but {n} {'was' if n == 1 else 'were'} given; {detail}",
                    span,
                    f"call it as {name}({', '.join(sig.params)})",
                )  # fmt: skip
            )
        for i, (arg, param) in enumerate(zip(call.args, sig.params, strict=False)):
            d = _check_arg(arg, param, i, name, file)
            if d is not None:
                out.append(d)
    if call.result_used and not sig.results:
        out.append(
            Diagnostic(
                "EB007",
                "warning",
                f"'{name}' returns nothing {sig}; using its result gives undefined",
                call.span.at(file),
                "call it as a statement",
            )  # fmt: skip
        )
    return out


def _apply_suppressions(facts: ModuleFacts, file: str, diags: list[Diagnostic]) -> list[Diagnostic]:
    kept = []
    used: set[int] = set()
    for d in diags:
        hit = next(
            (i for i, s in enumerate(facts.suppressions) if d.code in s.codes and s.line == d.span.line),
            None,
        )
        if hit is None:
            kept.append(d)
        else:
            used.add(hit)
    for i, s in enumerate(facts.suppressions):
        if i not in used:
            kept.append(
                Diagnostic(
                    "EB009",
                    "warning",
                    f"this edgebox-ignore for {', '.join(s.codes)} suppresses nothing",
                    s.span.at(file),
                    "remove it, or move it onto (or just above) the line it is meant for",
                )  # fmt: skip
            )
    return kept


def _outside(graph: ModuleGraph, module_id: str, target: str, span: SourceSpan) -> Diagnostic:
    return Diagnostic(
        "EB012",
        "warning",
        f"{module_id} imports {display_path(graph.modules[target].path)}, which lies outside the project "
        f"({display_path(graph.project)})",
        span,
        "the project is the nearest directory above the entry with package.json, edgebox.json or .git; "
        "keep bundled files inside it",
    )


def _left_out(specifier: str, why: LeftOut, span: SourceSpan) -> Diagnostic:
    return Diagnostic(
        "EB013",
        "warning",
        f"import('{specifier}') is left out of the bundle, and rejects when it runs: {why.reason}",
        span,
        "a module that cannot be linked: its import() rejects with a WebAssembly.LinkError"
        if why.error == "LinkError"
        else "fine in a branch that only runs under Node; otherwise install the package or map the "
        f"name to a file with --import-map {specifier}=./file.js",
    )


def check_module(graph: ModuleGraph, module_id: str, resolver: Resolver | None = None) -> list[Diagnostic]:
    mod = graph.modules[module_id]
    resolver = resolver or Resolver(graph)
    if isinstance(mod, WasmModule):  # its imports resolved through an import map
        file = display_path(mod.path)
        return [
            _outside(graph, module_id, t, SourceSpan(file))
            for t in sorted(set(graph.resolve.get(module_id, {}).values()))
            if graph.outside_project(t)
        ]
    if not isinstance(mod, JSModule):
        return []
    file = mod.file
    facts = mod.facts
    diags: list[Diagnostic] = []
    left_out = graph.left_out.get(module_id, {})
    for rec in facts.imports:
        if rec.phase == "source":
            target = graph.sources.get(module_id, {}).get(rec.specifier)
            if target is not None and graph.outside_project(target):
                diags.append(_outside(graph, module_id, target, rec.span.at(file)))
            continue
        if rec.specifier in left_out:
            # Not in an installed package's own files: packages reach for Node built-ins in
            # branches that only run under Node, and a warning the user cannot act on on every
            # build is noise (esbuild quiets its warnings inside node_modules the same way).
            if "node_modules" not in mod.path.parts:
                diags.append(_left_out(rec.specifier, left_out[rec.specifier], rec.span.at(file)))
            continue
        target = resolver.target(module_id, rec.specifier)
        if target is not None and graph.outside_project(target):
            diags.append(_outside(graph, module_id, target, rec.span.at(file)))
    refs: dict[tuple[str, int], Resolved] = {}  # (local name, scope) → what it binds
    for b in facts.bindings:
        target = resolver.target(module_id, b.specifier)
        r = resolver.resolve(target, b.imported)
        refs[b.local, b.scope] = r
        if isinstance(r, Missing):
            how = "the default export" if b.imported == "default" else "imported name"
            diags.append(_missing(r, b.span.at(file), how))
            refs[b.local, b.scope] = None
        elif (unusable := _unusable(r, b.span.at(file))) is not None:
            diags.append(unusable)
    called = {(c.callee_span.line, c.callee_span.column) for c in facts.calls if c.member is not None}
    for m in facts.members:
        r = refs.get((m.binding, m.scope))
        if isinstance(r, NamespaceRef):
            wasm = graph.modules[r.module]
            assert isinstance(wasm, WasmModule)
            exp = wasm.interface.export(m.member)
            if exp is None:
                names = tuple(e.name for e in wasm.interface.exports)
                diags.append(_missing(Missing(r.module, m.member, names), m.span.at(file), "member"))
            elif (m.span.line, m.span.column) not in called and (
                unusable := _unusable(ExportRef(r.module, exp), m.span.at(file))
            ):
                diags.append(unusable)
    for call in facts.calls:
        r = refs.get((call.binding, call.scope))
        ref: ExportRef | None = None
        if call.member is None and isinstance(r, ExportRef):
            ref = r
        elif call.member is not None and isinstance(r, NamespaceRef):
            wasm = graph.modules[r.module]
            assert isinstance(wasm, WasmModule)
            exp = wasm.interface.export(call.member)
            if exp is not None:
                ref = ExportRef(r.module, exp)
        if ref is not None:
            diags.extend(_check_call(call, ref, file))
    diags = _apply_suppressions(facts, file, diags)
    return sorted(diags, key=lambda d: (d.span.line, d.span.column, d.code))


def with_call_facts(graph: ModuleGraph) -> ModuleGraph:
    """The graph with full facts (esprima's) for every module whose imports reach a wasm
    export or namespace: their calls and member reads are checked and rewritten. A module
    whose facts are `partial` (scan.py) binds nothing that reaches wasm otherwise, so it
    has no call site to check and nothing to rewrite. Imports and exports are the same in
    both kinds of facts, so what each binding resolves to does not change."""
    resolver = Resolver(graph)
    modules: dict[str, Module] = {}
    for module_id, mod in graph.modules.items():
        if isinstance(mod, JSModule) and mod.facts.partial and _reaches_wasm(resolver, module_id, mod.facts):
            mod = JSModule(mod.path, mod.source, analyze_cached(mod.source, mod.path, mod.file))
        modules[module_id] = mod
    return replace(graph, modules=modules)


def _reaches_wasm(resolver: Resolver, module_id: str, facts: ModuleFacts) -> bool:
    for b in facts.bindings:
        r = resolver.resolve(resolver.target(module_id, b.specifier), b.imported)
        if isinstance(r, ExportRef | NamespaceRef):
            return True
    return False


def check_graph(graph: ModuleGraph) -> list[Diagnostic]:
    """Every diagnostic for every module of the graph, in file and position order."""
    resolver = Resolver(graph)
    out: list[Diagnostic] = []
    for module_id in sorted(graph.modules):
        out.extend(check_module(graph, module_id, resolver))
    return out
