"""Source-phase imports: what the engine runs in place of `import source` and `import.source()`.

`import source m from "./x.wasm"` gives the wasm module's `WebAssembly.Module`, without
instantiating it (the ESM-integration and source-phase imports proposals). QuickJS
parses neither form, so the bundle rewrites them, keeping every line:column:

- each wasm module that source-phase imports reach gets a generated module (its id
  ends in ".wasm", which lets it import the engine's "edgebox:wasm") whose default
  export is `moduleSource(id)`: the one `WebAssembly.Module` of that module, compiled by
  the host from the bundle's bytes, the same object however often it is asked for;
- `import source m from "./x.wasm";` becomes spaces (line breaks kept), and
  `import m from "edgebox:source/x.wasm";` goes at the end of the module: import
  declarations hoist, and the generated module runs no wasm, so nothing observable moves;
- `import.source("./x.wasm")` becomes `$src0(          )`, the same length, calling an
  async function appended at the end that imports the generated module and returns
  its default export. Column positions after it on the line are unchanged.

The "edgebox:source/" specifiers cannot collide with a user's: the graph refuses every
user specifier starting "edgebox:". They resolve only through each importer's entries in
the bundle's resolve map.

A wasm module that only source-phase imports reach (a `WasmSource`) is in the bundle
for its bytes, but not in the link plan: its code entry is a module that throws, for the
one way left to reach it (an `import()` whose specifier is computed at run time).
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import blank
from .escape import js_string
from .graph import JSModule, ModuleGraph, WasmSource
from .stubs import GeneratedModule
from .templates import render

SPECIFIER_PREFIX = "edgebox:source/"

Edit = tuple[int, int, str]  # replace source[start:end] with text of the same length


@dataclass(frozen=True)
class SourceModules:
    """The generated modules of the bundle's source-phase imports."""

    modules: dict[str, GeneratedModule]  # generated id → module; a WasmSource's stub under its own id
    ids: dict[str, str]  # wasm module id → its generated source module's id
    resolve: dict[str, dict[str, str]]  # importer id → "edgebox:source/…" specifier → generated id


def specifier(wasm_id: str) -> str:
    return SPECIFIER_PREFIX + wasm_id


def plan_sources(graph: ModuleGraph) -> SourceModules:
    modules: dict[str, GeneratedModule] = {}
    ids: dict[str, str] = {}
    for wasm_id in graph.source_targets():
        n, gen_id = 1, f"{wasm_id}?source.wasm"
        while gen_id in graph.modules or gen_id in modules:  # a real file of that name
            n += 1
            gen_id = f"{wasm_id}?source{n}.wasm"
        ids[wasm_id] = gen_id
        modules[gen_id] = GeneratedModule(gen_id, render("wasm_source.js.j2", module_id=wasm_id), None)
    for mod_id, mod in graph.modules.items():
        if isinstance(mod, WasmSource):
            message = (
                f"{mod_id} is in the bundle only as a module source (import source): "
                "it was not instantiated and its imports were not linked, so its exports cannot be imported"
            )
            text = render("wasm_source_only.js.j2", module_id=mod_id, message=message)
            modules[mod_id] = GeneratedModule(mod_id, text, None)
    resolve = {
        importer: {specifier(t): ids[t] for t in sorted(set(specs.values()))}
        for importer, specs in graph.sources.items()
    }
    return SourceModules(modules, ids, resolve)


def source_import_edits(mod: JSModule, targets: dict[str, str]) -> tuple[list[Edit], str]:
    """The edits that take `mod`'s source-phase imports out, and the text to append.

    `targets`: specifier → wasm module id (the importer's entries in graph.sources)."""
    facts = mod.facts
    if not facts.source_imports:
        return [], ""
    edits: list[Edit] = []
    tail: list[str] = []
    taken = set(facts.identifiers)
    helpers: dict[str, str] = {}  # wasm id → the name of the async function that imports its source
    for imp in facts.source_imports:
        start, end = imp.range
        original = mod.source[start:end]
        spec = js_string(specifier(targets[imp.specifier]))
        if imp.local is not None:
            edits.append((start, end, blank(original)))
            tail.append(f"import {imp.local} from {spec};")
            continue
        wasm_id = targets[imp.specifier]
        name = helpers.get(wasm_id)
        if name is None:
            name = _fresh(taken)
            helpers[wasm_id] = name
            tail.append(f"async function {name}() {{ return (await import({spec})).default; }}")
        call = f"{name}("
        assert len(call) + 1 <= len(original), "import.source(...) is at least 17 characters"
        edits.append((start, end, call + blank(original[len(call) : -1]) + ")"))
    return edits, "".join("\n" + line for line in tail)


def _fresh(taken: set[str]) -> str:
    """A function name no identifier of the module uses, so nothing can shadow it."""
    n = 0
    while f"$src{n}" in taken:
        n += 1
    taken.add(f"$src{n}")
    return f"$src{n}"
