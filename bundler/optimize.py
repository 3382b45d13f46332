"""Bundle-time rewrite: `ns.member` on a wasm namespace import becomes a direct import binding.

`import * as math from "./math.wasm"; math.add(1, 2)` is rewritten to call
`math$add`, imported by name. esbuild does the same when it bundles. It matters
here because QuickJS looks a namespace member up on every access: about 15 ns of
a ~75 ns call (bench/call_overhead.py). The replacement has the same length as
the original text (`.` → `$`) and the new import goes at the end of the module,
so every line:column in stacks and diagnostics still points at the user's source.

The rewrite is conservative: it only happens where it cannot change meaning.
The namespace binding must never be shadowed or redeclared in the module, the
member must be an export of the wasm module (a function, which ignores `this`),
the access must be a read on one line, and the alias must be a fresh name.

`rewrite_for_engine` also takes out the source-phase imports QuickJS cannot parse,
by the same rules: equal lengths, additions at the end (source_phase.py).
"""

from __future__ import annotations

from .escape import is_identifier_name, js_export_name, js_string
from .graph import JSModule, ModuleGraph, WasmModule
from .source_phase import Edit, source_import_edits


def rewrite_for_engine(mod_id: str, mod: JSModule, graph: ModuleGraph) -> str:
    """What QuickJS compiles for `mod`: its source with both rewrites applied."""
    edits, tail = _namespace_edits(mod, graph.resolve.get(mod_id, {}), graph)
    more, source_tail = source_import_edits(mod, graph.sources.get(mod_id, {}))
    return _apply(mod.source, edits + more, tail + source_tail)


def rewrite_namespace_calls(mod: JSModule, resolve: dict[str, str], graph: ModuleGraph) -> str:
    """The module's source with wasm namespace member reads turned into direct bindings."""
    return _apply(mod.source, *_namespace_edits(mod, resolve, graph))


def _apply(source: str, edits: list[Edit], tail: str) -> str:
    if not edits and not tail:
        return source
    parts = []
    last = 0
    for start, end, text in sorted(edits):
        parts.append(source[last:start])
        parts.append(text)
        last = end
    parts.append(source[last:])
    return "".join(parts) + tail + "\n"


def _namespace_edits(mod: JSModule, resolve: dict[str, str], graph: ModuleGraph) -> tuple[list[Edit], str]:
    """The namespace rewrite's edits, and the imports to append."""
    facts = mod.facts
    namespaces: dict[str, tuple[str, set[str]]] = {}  # local → (specifier, function exports)
    for b in facts.bindings:
        if b.imported != "*" or b.dynamic or b.local in facts.shadowed:
            continue
        target = graph.modules.get(resolve.get(b.specifier, ""))
        if isinstance(target, WasmModule):
            funcs = {e.name for e in target.interface.exports if e.kind == "func"}
            namespaces[b.local] = (b.specifier, funcs)
    if not namespaces:
        return [], ""
    identifiers = set(facts.identifiers)
    source = mod.source
    edits: list[Edit] = []
    imports: dict[str, dict[str, str]] = {}
    aliases: dict[str, tuple[str, str]] = {}  # alias → the (specifier, member) it stands for
    for read in facts.members:
        if read.binding not in namespaces or read.scope != 0 or read.written or not read.single_line:
            continue
        specifier, funcs = namespaces[read.binding]
        if read.member not in funcs or not is_identifier_name(read.member):
            continue
        start, end = read.range
        alias = f"{read.binding}${read.member}"
        original = source[start:end]
        if not original.startswith(read.binding) or len(alias) > len(original):
            continue  # positions in the source string do not match what was parsed
        if alias in identifiers or aliases.setdefault(alias, (specifier, read.member)) != (
            specifier,
            read.member,
        ):
            continue  # the name is taken (`a.b$c` and `a$b.c` would both want a$b$c)
        edits.append((start, end, alias.ljust(len(original))))
        imports.setdefault(specifier, {})[read.member] = alias
    if not edits:
        return [], ""
    tail = "".join(
        "\nimport { "
        + ", ".join(f"{js_export_name(n)} as {a}" for n, a in sorted(m.items()))
        + f" }} from {js_string(s)};"
        for s, m in sorted(imports.items())
    )
    return edits, tail
