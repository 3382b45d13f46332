"""The link plan: which instances exist, in what order, and the adapter between them.

Every function export of every wasm module gets a slot number. The engine's JS
function for an export carries that number; calling it goes engine →
`adapter.invoke(slot, slots_ptr)` → the user export, all wasm-to-wasm. The
adapter is generated here from templates/adapter.wat.j2 and assembled with
wasmtime's WAT parser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import wasmtime

from .graph import ModuleGraph
from .templates import render
from .wasm_types import WasmSignature

SLOT_BYTES = 8  # glue.c: union Slot


@dataclass(frozen=True)
class FuncSlot:
    """One wasm function export as the engine reaches it."""

    slot: int
    module: str
    export: str
    signature: WasmSignature

    def to_json(self) -> dict[str, Any]:
        return {
            "slot": self.slot,
            "module": self.module,
            "export": self.export,
            "params": list(self.signature.params),
            "results": list(self.signature.results),
        }


@dataclass(frozen=True)
class LinkPlan:
    instances: tuple[str, ...]  # user wasm modules, in instantiation order
    funcs: tuple[FuncSlot, ...]
    adapter_wat: str

    def adapter_wasm(self) -> bytes:
        return bytes(wasmtime.wat2wasm(self.adapter_wat))

    def to_json(self) -> dict[str, Any]:
        return {"instances": list(self.instances), "funcs": [f.to_json() for f in self.funcs]}


def _wat_string(s: str) -> str:
    """A WAT string literal for any export name (bytes escaped as \\hh)."""
    out = []
    for b in s.encode("utf-8"):
        ch = chr(b)
        out.append(ch if 0x20 <= b < 0x7F and ch not in '"\\' else f"\\{b:02x}")
    return '"' + "".join(out) + '"'


def _wat_functype(sig: WasmSignature) -> str:
    p = " (param " + " ".join(sig.params) + ")" if sig.params else ""
    r = " (result " + " ".join(sig.results) + ")" if sig.results else ""
    return p + r


def _case_body(f: FuncSlot) -> list[str]:
    """Load arguments from the slots, call, store results back into the slots."""
    sig = f.signature
    if not sig.js_callable:
        return ["unreachable ;; not callable from JS: the engine throws TypeError first"]
    args = " ".join(f"({t}.load offset={i * SLOT_BYTES} (local.get $p))" for i, t in enumerate(sig.params))
    call = f"(call $f{f.slot}{' ' + args if args else ''})"
    if not sig.results:
        return [call]
    if len(sig.results) == 1:
        return [f"({sig.results[0]}.store (local.get $p) {call})"]
    lines = [call]
    lines += [f"(local.set $r{i}_{t})" for i, t in reversed(list(enumerate(sig.results)))]
    lines += [
        f"({t}.store offset={i * SLOT_BYTES} (local.get $p) (local.get $r{i}_{t}))"
        for i, t in enumerate(sig.results)
    ]
    return lines


def plan_links(graph: ModuleGraph) -> LinkPlan:
    wasm = graph.wasm_modules()
    instances = tuple(sorted(wasm))
    funcs: list[FuncSlot] = []
    for mod_id in instances:
        for exp in wasm[mod_id].interface.exports:
            if exp.kind == "func" and exp.signature is not None:
                funcs.append(FuncSlot(len(funcs), mod_id, exp.name, exp.signature))
    module_index = {m: i for i, m in enumerate(instances)}
    locals_: set[tuple[str, str]] = set()
    rendered = []
    for f in funcs:
        if f.signature.js_callable and len(f.signature.results) > 1:
            locals_ |= {(f"r{i}_{t}", t) for i, t in enumerate(f.signature.results)}
        rendered.append(
            {
                "slot": f.slot,
                "module": json.dumps(f.module),
                "export": json.dumps(f.export),
                "signature": str(f.signature),
                "import_module": f"m{module_index[f.module]}",
                "import_name": _wat_string(f.export),
                "wat_type": _wat_functype(f.signature),
                "body": _case_body(f),
            }
        )
    wat = render("adapter.wat.j2", funcs=rendered, locals=sorted(locals_))
    return LinkPlan(instances, tuple(funcs), wat)
