"""Generated JS: a typed stub ES module and a .d.ts per wasm module, a module per JSON file.

The stub is what `import * as math from "./math.wasm"` really imports inside the
engine: one JS function per export, each bound to its link-plan slot. The .d.ts
beside it gives editors the types (i32/f32/f64 → number, i64 → bigint).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .graph import JSONModule, ModuleGraph
from .link import FuncSlot, LinkPlan
from .templates import render

IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
RESERVED = frozenset(
    "break case catch class const continue debugger default delete do else enum export extends "
    "false finally for function if import in instanceof new null return super switch this throw "
    "true try typeof var void while with yield let static implements interface package private "
    "protected public await".split()
)
TS_TYPE = {"i32": "number", "f32": "number", "f64": "number", "i64": "bigint"}


@dataclass(frozen=True)
class GeneratedModule:
    """JS source standing in for a non-JS module, plus its .d.ts where there is one."""

    module_id: str
    js: str
    dts: str | None


def export_name(name: str) -> str:
    """How an export name is written in `export { x as NAME }`: an identifier or a string."""
    return name if IDENTIFIER.match(name) and name not in RESERVED else json.dumps(name)


def _ts(t: str) -> str:
    return TS_TYPE.get(t, "never")


def _func_view(f: FuncSlot) -> dict[str, object]:
    sig = f.signature
    results = [_ts(t) for t in sig.results]
    ts_result = "void" if not results else results[0] if len(results) == 1 else f"[{', '.join(results)}]"
    return {
        "slot": f.slot,
        "export": f.export,
        "export_name": export_name(f.export),
        "signature": str(sig),
        "params": sig.param_letters,
        "results": sig.result_letters,
        "ts_params": ", ".join(f"a{i}: {_ts(t)}" for i, t in enumerate(sig.params)),
        "ts_result": ts_result,
    }


def generate_modules(graph: ModuleGraph, plan: LinkPlan) -> dict[str, GeneratedModule]:
    out: dict[str, GeneratedModule] = {}
    for mod_id, mod in graph.wasm_modules().items():
        funcs = [_func_view(f) for f in plan.funcs if f.module == mod_id]
        values = {"module_id": mod_id, "sha256": mod.interface.sha256, "funcs": funcs}
        out[mod_id] = GeneratedModule(
            mod_id, render("wasm_stub.js.j2", **values), render("wasm_stub.d.ts.j2", **values)
        )
    for mod_id, json_mod in graph.modules.items():
        if isinstance(json_mod, JSONModule):
            text = json_mod.source.strip()
            out[mod_id] = GeneratedModule(
                mod_id, render("json_module.js.j2", module_id=mod_id, json_text=text), None
            )
    return out


def write_types(generated: dict[str, GeneratedModule], out_dir: Path) -> list[Path]:
    """Write each .d.ts as OUT_DIR/<module id>.d.ts (math.wasm → math.wasm.d.ts)."""
    written = []
    for mod_id, gen in sorted(generated.items()):
        if gen.dts is None:
            continue
        target = out_dir / f"{mod_id}.d.ts"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(gen.dts, encoding="utf-8")
        written.append(target)
    return written
