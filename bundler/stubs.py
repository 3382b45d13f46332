"""Generated JS: a typed stub ES module and a .d.ts per wasm module, a module per JSON file.

The stub is what `import * as math from "./math.wasm"` really imports inside the
engine: one JS function per export, each bound to its link-plan slot. The .d.ts
beside it gives editors the types (i32/f32/f64 → number, i64 → bigint).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import LinkError, SourceSpan
from .escape import Code, is_identifier
from .graph import JSONModule, ModuleGraph, WasmModule, display_path
from .link import LinkPlan, Slot, is_builtin_module
from .output import OutputError, write_output
from .templates import render, template_dir
from .wasm_types import WasmExport

RUNTIME_DTS = "edgebox-runtime.d.ts"

TS_TYPE = {
    "i32": "number",
    "f32": "number",
    "f64": "number",
    "i64": "bigint",
    "externref": "unknown",
    "(ref extern)": "unknown",
}


@dataclass(frozen=True)
class GeneratedModule:
    """JS source standing in for a non-JS module, plus its .d.ts where there is one."""

    module_id: str
    js: str
    dts: str | None


def _ts(t: str) -> str:
    return TS_TYPE.get(t, "never")


def _ts_params(types: tuple[str, ...], names: tuple[str, ...]) -> Code:
    """`a: number, b: bigint`: the module's own parameter names (its name section) where
    they are usable identifiers, else a0, a1, …"""
    out, used = [], set()
    for i, t in enumerate(types):
        name = names[i] if i < len(names) else ""
        if not is_identifier(name) or name in used:
            name = f"a{i}"
        while name in used:
            name += "_"
        used.add(name)
        out.append(f"{name}: {_ts(t)}")
    return Code(", ".join(out))


def _func_view(f: Slot, exp: WasmExport | None) -> dict[str, object]:
    sig = f.signature
    results = [_ts(t) for t in sig.results]
    ts_result = "void" if not results else results[0] if len(results) == 1 else f"[{', '.join(results)}]"
    return {
        "slot": f.slot,
        "export": f.export,
        "signature": str(sig),
        "params": sig.param_letters,
        "results": sig.result_letters,
        "ts_params": _ts_params(sig.params, exp.param_names if exp else ()),
        "ts_result": Code(ts_result),
    }


def _wasm_stub_values(graph: ModuleGraph, plan: LinkPlan, mod_id: str, mod: WasmModule) -> dict[str, object]:
    slots = [s for s in plan.slots if s.module == mod_id]
    funcs = [_func_view(s, mod.interface.export(s.export)) for s in slots if s.kind == "call"]
    globals_ = []
    memories: dict[str, dict[str, object]] = {}
    exports: list[dict[str, object]] = []
    first_slot: dict[str, int] = {}
    for s in slots:
        first_slot.setdefault(s.export, s.slot)
        if s.kind == "global":
            exp = mod.interface.export(s.export)
            assert exp is not None and exp.global_type is not None
            globals_.append(
                {
                    "slot": s.slot,
                    "export": s.export,
                    "type": str(exp.global_type),
                    "results": s.signature.result_letters,
                    "mutable": exp.global_type.mutable,
                    "ts_type": Code(_ts(exp.global_type.type)),
                }
            )
        elif s.kind.startswith("mem."):
            m = memories.setdefault(s.export, {"slot": s.slot, "export": s.export})
            m[s.kind[4:]] = s.slot  # size, grow, read, write
    others = []
    next_free = max((s.slot for s in plan.slots), default=-1) + 1
    tdz = set()  # v128 globals: the ESM-integration proposal makes reading one a ReferenceError
    for exp in mod.interface.exports:
        if exp.name not in first_slot:
            first_slot[exp.name] = next_free  # a placeholder number, only for the local name
            if exp.global_type is not None and exp.global_type.type == "v128":
                tdz.add(exp.name)
            others.append({"slot": next_free, "export": exp.name, "kind": exp.kind, "tdz": exp.name in tdz})
            next_free += 1
        exports.append({"slot": first_slot[exp.name], "export": exp.name, "tdz": exp.name in tdz})
    js_imports = [
        {
            "id": j.id,
            "import_name": j.name,
            "specifier": j.specifier,
            "label": f"{j.js_module}#{j.name}",
            "params": j.signature.param_letters,
            "results": j.signature.result_letters,
        }
        for j in plan.js_imports
        if j.importer == mod_id
    ]
    wasm_deps = sorted(
        {
            i.module
            for i in mod.interface.imports
            if graph.resolve.get(mod_id, {}).get(i.module) in plan.instances
        }
    )
    return {
        "module_id": mod_id,
        "sha256": mod.interface.sha256[:16] + "…",
        "funcs": funcs,
        "globals": globals_,
        "memories": list(memories.values()),
        "others": others,
        "exports": exports,
        "js_imports": js_imports,
        "wasm_deps": wasm_deps,
    }


# A stub binds one module-level variable per export (two per global) and per JS import;
# QuickJS allows a module 65,535 variables. And every function, global and memory
# operation JS reaches is a numbered slot, which the engine keeps in a QuickJS function's
# int16 magic number. The limits leave room under both, and keep the manifest, which
# lists every export and slot, well under its 16 MiB cap (ebx.MAX_MANIFEST_BYTES).
MAX_STUB_BINDINGS = 40_000
MAX_SLOTS = 32_000  # in the whole bundle (glue.c MAX_SLOT is 32,767)


def check_stub_sizes(graph: ModuleGraph) -> None:
    """Refuse, before any work, wasm modules with more exports than stubs can bind."""
    slots = 0
    for mod_id, mod in graph.wasm_modules().items():
        exports = mod.interface.exports
        n = len(exports) + sum(1 for e in exports if e.kind == "global")
        n += sum(1 for i in mod.interface.imports if not i.module.startswith("wasi"))
        slots += sum({"func": 1, "global": 1, "memory": 4}.get(e.kind, 0) for e in exports)
        if n > MAX_STUB_BINDINGS or slots > MAX_SLOTS:
            raise LinkError(
                f"{mod_id} has {len(exports):,} exports (and {len(mod.interface.imports):,} imports); "
                f"JS can reach at most {MAX_SLOTS:,} wasm exports in one bundle "
                "(each becomes a variable of a JS stub and a numbered slot of the engine)",
                SourceSpan(display_path(mod.path)),
                hint="export fewer functions, or split the module (wasm-to-wasm imports have no such limit)",
            )


def _deferred_stub_values(graph: ModuleGraph, mod_id: str, mod: WasmModule) -> dict[str, object]:
    """A module the engine instantiates when its stub runs (LinkPlan.deferred): its exports
    numbered in order (local names, not slots), and the modules its imports come from."""
    items: list[dict[str, object]] = []
    funcs, globals_ = [], []
    for n, exp in enumerate(mod.interface.exports):
        tdz = exp.global_type is not None and exp.global_type.type == "v128"
        mutable = exp.global_type is not None and exp.global_type.mutable
        items.append({"slot": n, "export": exp.name, "kind": exp.kind, "tdz": tdz, "mutable": mutable})
        if exp.signature is not None:
            funcs.append(_func_view(Slot(n, "call", mod_id, exp.name, exp.signature), exp))
        elif exp.global_type is not None and not tdz:
            globals_.append({"slot": n, "export": exp.name, "type": str(exp.global_type), "mutable": mutable,
                             "ts_type": Code(_ts(exp.global_type.type))})  # fmt: skip
    deps = sorted({i.module for i in mod.interface.imports if not is_builtin_module(i.module)})
    return {
        "module_id": mod_id,
        "sha256": mod.interface.sha256[:16] + "…",
        "deps": deps,
        "items": items,
        # for the .d.ts, which has the same shape as a bundled module's
        "funcs": funcs,
        "globals": globals_,
        "memories": [{"slot": e["slot"], "export": e["export"]} for e in items if e["kind"] == "memory"],
        "others": [e for e in items if e["kind"] in ("table", "tag")],
        "exports": [e for e in items if not e["tdz"]],
    }


def generate_modules(graph: ModuleGraph, plan: LinkPlan) -> dict[str, GeneratedModule]:
    out: dict[str, GeneratedModule] = {}
    for mod_id, mod in graph.wasm_modules().items():
        if mod_id in plan.deferred:
            values = _deferred_stub_values(graph, mod_id, mod)
            stub = render("wasm_deferred_stub.js.j2", **values)
        else:
            values = _wasm_stub_values(graph, plan, mod_id, mod)
            stub = render("wasm_stub.js.j2", **values)
        out[mod_id] = GeneratedModule(mod_id, stub, render("wasm_stub.d.ts.j2", **values))
    for mod_id, json_mod in graph.modules.items():
        if isinstance(json_mod, JSONModule):
            out[mod_id] = GeneratedModule(
                mod_id, render("json_module.js.j2", module_id=mod_id, json_text=json_mod.source), None
            )
    return out


def write_types(
    generated: dict[str, GeneratedModule], out_dir: Path, inputs: Iterable[Path] = ()
) -> list[Path]:
    """Write each .d.ts as OUT_DIR/<module id>.d.ts (math.wasm → math.wasm.d.ts)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--emit-types {out_dir}: it is a file, not a directory")
    written = []
    for mod_id, gen in sorted(generated.items()):
        if gen.dts is None:
            continue
        target = out_dir / f"{mod_id}.d.ts"
        write_output(target, gen.dts.encode("utf-8"), inputs, "--emit-types")
        written.append(target)
    # EdgeBox's own globals (scriptArgs, process, import.meta, the memory API), as written
    runtime = out_dir / RUNTIME_DTS
    write_output(runtime, (template_dir() / "edgebox_runtime.d.ts").read_bytes(), inputs, "--emit-types")
    written.append(runtime)
    return written
