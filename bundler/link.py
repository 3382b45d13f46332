"""The link plan: which instances exist, in what order, what each import binds to,
and the two generated modules that connect them.

- **Slots.** Everything JS reaches in a wasm module goes through a numbered slot:
  a function export (`call`), a global's value (`global`), or an operation on an
  exported memory (`mem.size`, `mem.grow`, `mem.read`, `mem.write`). The engine's
  JS function for a slot carries the number; calling it goes engine →
  `adapter.invoke(slot, slots_ptr)` → the export, all wasm-to-wasm.
- **JS imports.** A user module's import of a JS function gets a trampoline in
  the imports module (templates/imports.wat.j2), which calls back into the engine.
- **wasm imports.** An import of another wasm module's export is linked to that
  instance's export directly; types are checked here, at bundle time.

Instantiation order: the imports module, user modules (dependencies first; a
wasm ↔ wasm cycle is an error), the adapter, then the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import wasmtime

from .errors import LinkError, SourceSpan
from .escape import Code
from .graph import JS_STRING_MODULE, JSModule, ModuleGraph, WasmModule, display_path, is_wasi_module
from .templates import render
from .wasm_types import JS_CALLABLE_TYPES, REFERENCE_TYPES, WasmExport, WasmImport, WasmSignature

SLOT_BYTES = 8  # glue.c: union Slot
# Up to this many slots the adapter's cases are inline behind a br_table (fastest); past
# it, functions behind a table, which compile in parallel (templates/adapter.wat.j2).
INLINE_CASES = 512
# ("global.set" and "table.*" only at run time, for the JS API: engine/late_link.py)
SlotKind = Literal[
    "call", "global", "global.set", "table.size", "table.get", "table.set", "table.grow",
    "mem.size", "mem.grow", "mem.read", "mem.write",
]  # fmt: skip

# The signature the engine sees for each memory operation (glue.c converts as for calls).
MEMORY_OPS: dict[str, WasmSignature] = {
    "mem.size": WasmSignature((), ("i32",)),
    "mem.grow": WasmSignature(("i32",), ("i32",)),
    "mem.read": WasmSignature(("i32", "i32", "i32"), ("i32",)),  # engine ptr, user offset, length
    "mem.write": WasmSignature(("i32", "i32", "i32"), ("i32",)),  # user offset, engine ptr, length
}


@dataclass(frozen=True)
class Slot:
    """One thing JS reaches in a wasm module, by number."""

    slot: int
    kind: SlotKind
    module: str
    export: str
    signature: WasmSignature  # for a global: () -> (its type)

    def to_json(self) -> dict[str, Any]:
        return {
            "slot": self.slot,
            "kind": self.kind,
            "module": self.module,
            "export": self.export,
            "params": list(self.signature.params),
            "results": list(self.signature.results),
        }


@dataclass(frozen=True)
class JSImportSlot:
    """A JS function a wasm module imports: trampoline `j<id>` in the imports module."""

    id: int
    importer: str  # the wasm module id
    specifier: str
    name: str
    js_module: str  # the JS module id that provides it
    signature: WasmSignature


@dataclass(frozen=True)
class ImportBinding:
    """What one import of a user module is bound to, in import order."""

    source: Literal["wasi", "js", "wasm"]
    module: str = ""  # wasm: the exporting module id
    name: str = ""  # wasm: the export name; wasi: the function name
    js_slot: int = -1  # js: the trampoline id

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source}
        if self.source == "wasm":
            out.update(module=self.module, name=self.name)
        elif self.source == "js":
            out["trampoline"] = self.js_slot
        else:
            out["name"] = self.name
        return out


@dataclass(frozen=True)
class LinkPlan:
    instances: tuple[str, ...]  # user wasm modules, in instantiation order
    slots: tuple[Slot, ...]
    js_imports: tuple[JSImportSlot, ...]
    bindings: dict[str, tuple[ImportBinding, ...]]  # per user module, one per import
    adapter_wat: str
    imports_wat: str
    uses_wasi: bool = field(default=False)
    # Modules instantiated by their stub when it is evaluated, not before the program starts:
    # they import a global from a JS module (which has no value until that module has run),
    # or import from such a module. No slots: their exports come from the JS API's path.
    deferred: tuple[str, ...] = ()

    @property
    def funcs(self) -> tuple[Slot, ...]:
        return tuple(s for s in self.slots if s.kind == "call")

    def adapter_wasm(self) -> bytes:
        return bytes(wasmtime.wat2wasm(self.adapter_wat))

    def imports_wasm(self) -> bytes:
        return bytes(wasmtime.wat2wasm(self.imports_wat))

    def to_json(self) -> dict[str, Any]:
        return {
            "instances": list(self.instances),
            "slots": [s.to_json() for s in self.slots],
            "js_imports": [
                {
                    "id": j.id,
                    "importer": j.importer,
                    "specifier": j.specifier,
                    "name": j.name,
                    "js_module": j.js_module,
                    "params": list(j.signature.params),
                    "results": list(j.signature.results),
                }
                for j in self.js_imports
            ],
            "bindings": {m: [b.to_json() for b in bs] for m, bs in self.bindings.items()},
            **({"deferred": list(self.deferred)} if self.deferred else {}),
        }


def _functype(sig: WasmSignature) -> str:
    p = " (param " + " ".join(sig.params) + ")" if sig.params else ""
    r = " (result " + " ".join(sig.results) + ")" if sig.results else ""
    return p + r


# An externref crosses as a number: the engine keeps the JS value in a list (glue.c
# ref_of) and wasm holds its index as an i31ref made extern; -1 is null. Both directions
# are wasm, in every generated module that passes one (adapter, trampolines, run-time
# cases). A reference wasm made itself (not from JS) does not cast to i31: that traps.
REF_HELPERS = """
  (func $to_ref (param $h i32) (result externref)
    (if (result externref) (i32.lt_s (local.get $h) (i32.const 0))
      (then (ref.null extern))
      (else (extern.convert_any (ref.i31 (local.get $h))))))
  (func $from_ref (param $r externref) (result i32)
    (if (result i32) (ref.is_null (local.get $r))
      (then (i32.const -1))
      (else (i31.get_s (ref.cast (ref i31) (any.convert_extern (local.get $r)))))))"""


def slot_load(t: str, offset: int) -> str:
    """A value of type `t` from the 8-byte slot at `offset` from $p."""
    if t in REFERENCE_TYPES:
        ref = f"(call $to_ref (i32.load offset={offset} (local.get $p)))"
        return f"(ref.as_non_null {ref})" if t == "(ref extern)" else ref  # glue.c refuses null first
    return f"({t}.load offset={offset} (local.get $p))"


def slot_store(t: str, offset: int, value: str) -> str:
    """Store `value`, of type `t`, into the 8-byte slot at `offset` from $p."""
    if t in REFERENCE_TYPES:
        return f"(i32.store offset={offset} (local.get $p) (call $from_ref {value}))"
    return f"({t}.store offset={offset} (local.get $p) {value})"


def result_locals(results: tuple[str, ...]) -> list[tuple[str, str]]:
    """The locals a call with several results keeps them in, as (name, type)."""
    if len(results) < 2:
        return []
    return [(f"r{i}_{'ref' if t in REFERENCE_TYPES else t}", t) for i, t in enumerate(results)]


def _store_results(sig_results: tuple[str, ...], call: str) -> list[str]:
    """Run `call` and store its results into the slots."""
    if not sig_results:
        return [call]
    if len(sig_results) == 1:
        return [slot_store(sig_results[0], 0, call)]
    locals_ = result_locals(sig_results)
    lines = [call]
    lines += [f"(local.set ${name})" for name, _ in reversed(locals_)]
    lines += [slot_store(t, i * SLOT_BYTES, f"(local.get ${name})") for i, (name, t) in enumerate(locals_)]
    return lines


def _case_body(s: Slot, ref: str, done: str) -> list[str]:
    """The adapter's code for one slot; `ref` is the imported item's $name, `done` the
    instruction that leaves the case early (its form depends on the adapter's layout)."""
    sig = s.signature
    if s.kind == "call":
        if not sig.js_callable:
            return ["unreachable ;; not callable from JS: the engine throws TypeError first"]
        args = " ".join(slot_load(t, i * SLOT_BYTES) for i, t in enumerate(sig.params))
        return _store_results(sig.results, f"(call {ref}{' ' + args if args else ''})")
    if s.kind == "global":
        return [slot_store(sig.results[0], 0, f"(global.get {ref})")]
    if s.kind == "mem.size":
        return [f"(i32.store (local.get $p) (memory.size {ref}))"]
    if s.kind == "mem.grow":
        return [f"(i32.store (local.get $p) (memory.grow {ref} (i32.load (local.get $p))))"]
    # bulk copies between the engine's memory (0) and the user memory, bounds-checked
    # first so a bad offset is a RangeError in JS rather than a trap
    user_off = "(i32.load offset=8 (local.get $p))" if s.kind == "mem.read" else "(i32.load (local.get $p))"
    engine_ptr = "(i32.load (local.get $p))" if s.kind == "mem.read" else "(i32.load offset=8 (local.get $p))"
    length = "(i32.load offset=16 (local.get $p))"
    copy = (
        f"(memory.copy $engine {ref} {engine_ptr} {user_off} {length})"
        if s.kind == "mem.read"
        else f"(memory.copy {ref} $engine {user_off} {engine_ptr} {length})"
    )
    return [
        f"(if (i64.gt_u (i64.add (i64.extend_i32_u {user_off}) (i64.extend_i32_u {length}))",
        f"           (i64.mul (i64.extend_i32_u (memory.size {ref})) (i64.const 65536)))",
        f"  (then (i32.store (local.get $p) (i32.const 1)) {done}))",
        copy,
        "(i32.store (local.get $p) (i32.const 0))",
    ]


def _describe(kind: str, exp: WasmExport | WasmImport) -> str:
    if exp.signature is not None:
        return f"func {exp.signature}"
    if exp.global_type is not None:
        return f"global {exp.global_type}"
    if exp.limits is not None:
        unit = " pages" if kind == "memory" else " elements"
        top = f", at most {exp.limits.max:,}" if exp.limits.max is not None else ", no maximum"
        return f"{kind} of at least {exp.limits.min:,}{unit}{top}"
    return kind


def _compatible(imp: WasmImport, exp: WasmExport) -> bool:
    if imp.kind != exp.kind:
        return False
    if imp.kind == "func":
        return imp.signature == exp.signature
    if imp.kind == "global":
        return imp.global_type == exp.global_type
    if imp.kind in ("memory", "table") and imp.limits and exp.limits:
        if exp.limits.min < imp.limits.min:
            return False
        if imp.limits.max is not None and (exp.limits.max is None or exp.limits.max > imp.limits.max):
            return False
    return True


def _topological(graph: ModuleGraph, deps: dict[str, set[str]]) -> tuple[str, ...]:
    order: list[str] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(m: str, path: list[str]) -> None:
        if state.get(m) == 2:
            return
        if state.get(m) == 1:
            cycle = path[path.index(m) :] + [m]
            raise LinkError(
                "wasm modules import each other in a cycle: " + " -> ".join(cycle),
                SourceSpan(str(graph.modules[m].path)),
                hint="a wasm instance needs its imports before it exists; break the cycle through JS",
            )
        state[m] = 1
        for d in sorted(deps.get(m, ())):
            visit(d, path + [m])
        state[m] = 2
        order.append(m)

    for m in sorted(deps):
        visit(m, [])
    return tuple(order)


def _js_exports_function(graph: ModuleGraph, js_id: str, name: str) -> str | None:
    """Why `name` of JS module `js_id` cannot serve as a wasm function import, or None."""
    mod = graph.modules[js_id]
    if not isinstance(mod, JSModule):
        return f"{js_id} is not a JS module"
    from .checker import Missing, Resolver

    r = Resolver(graph).resolve(js_id, name)
    if isinstance(r, Missing):
        return f"{js_id} does not export '{name}'" + (
            f" (it exports: {', '.join(sorted(r.names))})" if r.names else ""
        )
    entry = next((e for e in mod.facts.exports if e.exported == name), None)
    if entry is not None and entry.value_kind == "value":
        return f"'{name}' exported by {js_id} is not a function"
    return None


# JS String Builtins (the ESM-integration proposal turns them on for imported modules): the
# engine provides `wasm:js-string`; a module that imports one of them with another type does
# not link. e = externref, E = (ref extern), i = i32; params:results.
JS_STRING_BUILTINS = {
    "cast": "e:E", "test": "e:i", "fromCharCode": "i:E", "fromCodePoint": "i:E", "charCodeAt": "ei:i",
    "codePointAt": "ei:i", "length": "e:i", "concat": "ee:E", "substring": "eii:E", "equals": "ee:i",
    "compare": "ee:i",
}  # fmt: skip


def is_builtin_module(name: str) -> bool:
    """Modules wasm imports from that are not files: WASI's, and the JS String Builtins."""
    return is_wasi_module(name) or name == JS_STRING_MODULE


def _js_string_builtin(mod_id: str, imp: WasmImport, file: str) -> None:
    """Refuse an import of `wasm:js-string` that is not one of its functions with its type."""
    want = JS_STRING_BUILTINS.get(imp.name)
    sig = imp.signature
    got = f"{sig.param_letters}:{sig.result_letters}" if sig is not None else imp.kind
    if want is None or got != want:
        raise LinkError(
            f"{mod_id} imports '{imp.name}' from {JS_STRING_MODULE}, which "
            + (
                "has no function of that name"
                if want is None
                else f"has it with another type ({want}, not {got})"
            ),
            SourceSpan(file),
            hint=f"the JS String Builtins are: {', '.join(JS_STRING_BUILTINS)}",
        )


def _deferred(graph: ModuleGraph, wasm: dict[str, WasmModule]) -> set[str]:
    """The modules to instantiate when their stub is evaluated (LinkPlan.deferred)."""
    out = {
        mod_id
        for mod_id, mod in wasm.items()
        for imp in mod.interface.imports
        if imp.kind == "global"
        and not is_builtin_module(imp.module)
        and isinstance(graph.modules[graph.resolve[mod_id][imp.module]], JSModule)
    }
    grew = True
    while grew:  # and what imports from one of them: it can exist only after it
        before = len(out)
        out |= {
            mod_id
            for mod_id, mod in wasm.items()
            for imp in mod.interface.imports
            if not is_builtin_module(imp.module) and graph.resolve[mod_id][imp.module] in out
        }
        grew = len(out) > before
    return out


def _js_exports(graph: ModuleGraph, js_id: str, name: str) -> str | None:
    """Why JS module `js_id` cannot give wasm `name` (a global's value), or None."""
    from .checker import Missing, Resolver

    r = Resolver(graph).resolve(js_id, name)
    if isinstance(r, Missing):
        return f"{js_id} does not export '{name}'" + (
            f" (it exports: {', '.join(sorted(r.names))})" if r.names else ""
        )
    return None


def plan_links(graph: ModuleGraph) -> LinkPlan:
    wasm = graph.wasm_modules()
    deferred = _deferred(graph, wasm)
    deps: dict[str, set[str]] = {m: set() for m in wasm if m not in deferred}
    bindings: dict[str, tuple[ImportBinding, ...]] = {}
    js_imports: list[JSImportSlot] = []
    uses_wasi = False
    for mod_id, mod in sorted(wasm.items()):
        file = display_path(mod.path)
        binds = []
        for imp in mod.interface.imports:
            if is_wasi_module(imp.module):
                uses_wasi = True
                binds.append(ImportBinding("wasi", name=imp.name))
                continue
            if imp.module == JS_STRING_MODULE:
                _js_string_builtin(mod_id, imp, file)
                if mod_id not in deferred:
                    assert imp.signature is not None
                    slot = JSImportSlot(
                        len(js_imports), mod_id, imp.module, imp.name, JS_STRING_MODULE, imp.signature
                    )
                    js_imports.append(slot)
                    binds.append(ImportBinding("js", js_slot=slot.id))
                continue
            target = graph.resolve[mod_id][imp.module]
            tmod = graph.modules[target]
            if mod_id in deferred:  # linked by the engine when its stub runs: check names only
                why = None
                if isinstance(tmod, WasmModule) and tmod.interface.export(imp.name) is None:
                    why = f"{target} does not export it"
                elif isinstance(tmod, JSModule) and imp.kind in ("global", "func"):
                    why = _js_exports(graph, target, imp.name)
                elif isinstance(tmod, JSModule):
                    why = f"a JS module can give wasm functions and globals in EdgeBox, not a {imp.kind}"
                if why:
                    raise LinkError(
                        f"{mod_id} imports '{imp.name}' from {target}, but {why}", SourceSpan(file)
                    )
                continue
            if isinstance(tmod, WasmModule):
                exp = tmod.interface.export(imp.name)
                if exp is None:
                    raise LinkError(
                        f"{mod_id} imports '{imp.name}' from {target}, which does not export it",
                        SourceSpan(file),
                        hint=f"{target} exports: {', '.join(e.name for e in tmod.interface.exports)}",
                    )
                if not _compatible(imp, exp):
                    raise LinkError(
                        f"{mod_id} imports '{imp.name}' from {target} as {_describe(imp.kind, imp)}, "
                        f"but {target} exports it as {_describe(exp.kind, exp)}",
                        SourceSpan(file),
                    )
                deps[mod_id].add(target)
                binds.append(ImportBinding("wasm", module=target, name=imp.name))
            elif isinstance(tmod, JSModule):
                if imp.kind != "func" or imp.signature is None:
                    raise LinkError(
                        f"{mod_id} imports '{imp.name}' from {target} as a {imp.kind}; "
                        "a JS module can only provide functions to wasm in EdgeBox",
                        SourceSpan(file),
                    )
                if not imp.signature.js_callable:
                    raise LinkError(
                        f"{mod_id} imports '{imp.name}' from {target} with the signature {imp.signature}, "
                        "which cannot cross between wasm and JS (v128 or a reference type)",
                        SourceSpan(file),
                    )
                why = _js_exports_function(graph, target, imp.name)
                if why:
                    raise LinkError(
                        f"{mod_id} imports the function '{imp.name}' from {target}, but {why}",
                        SourceSpan(file),
                    )
                slot = JSImportSlot(len(js_imports), mod_id, imp.module, imp.name, target, imp.signature)
                js_imports.append(slot)
                binds.append(ImportBinding("js", js_slot=slot.id))
            else:
                raise LinkError(
                    f"{mod_id} imports '{imp.name}' from {target}, which is not JS or wasm", SourceSpan(file)
                )
        if mod_id not in deferred:
            bindings[mod_id] = tuple(binds)
    instances = _topological(graph, deps)

    slots: list[Slot] = []
    for mod_id in instances:
        for exp in wasm[mod_id].interface.exports:
            if exp.kind == "func" and exp.signature is not None:
                slots.append(Slot(len(slots), "call", mod_id, exp.name, exp.signature))
            elif (
                exp.kind == "global"
                and exp.global_type is not None
                and exp.global_type.type in JS_CALLABLE_TYPES
            ):
                slots.append(
                    Slot(len(slots), "global", mod_id, exp.name, WasmSignature((), (exp.global_type.type,)))
                )
            elif exp.kind == "memory":
                for op, sig in MEMORY_OPS.items():
                    slots.append(Slot(len(slots), op, mod_id, exp.name, sig))  # type: ignore[arg-type]

    # the adapter imports each item a slot reaches, once
    module_index = {m: i for i, m in enumerate(instances)}
    inline = len(slots) <= INLINE_CASES
    done = "(return (i32.const 0))" if inline else "(return)"
    imports: list[dict[str, str]] = []
    refs: dict[tuple[str, str], str] = {}
    rendered = []
    all_locals: set[tuple[str, str]] = set()
    for s in slots:
        key = (s.module, s.export)
        if key not in refs:
            exp = wasm[s.module].interface.export(s.export)
            assert exp is not None
            ref = f"$x{len(refs)}"
            refs[key] = ref
            if exp.kind == "func":
                desc = f"(func {ref}{_functype(s.signature)})"
            elif exp.kind == "global":
                assert exp.global_type is not None
                t = exp.global_type.type
                desc = f"(global {ref} {'(mut ' + t + ')' if exp.global_type.mutable else t})"
            else:
                assert exp.limits is not None
                desc = f"(memory {ref} {exp.limits.min})"
            imports.append({"module": f"m{module_index[s.module]}", "name": s.export, "desc": Code(desc)})
        case_locals: list[tuple[str, str]] = []
        if s.kind == "call" and s.signature.js_callable:
            case_locals = result_locals(s.signature.results)
            all_locals.update(case_locals)
        rendered.append(
            {
                "slot": s.slot,
                "module": s.module,
                "export": s.export,
                "signature": f"{s.kind} {s.signature}",
                "locals": [(Code(n), Code(t)) for n, t in case_locals],
                "body": [Code(line) for line in _case_body(s, refs[key], done)],
            }
        )
    adapter = render(
        "adapter.wat.j2",
        ref_helpers=Code(REF_HELPERS),
        inline=inline,
        funcs=rendered,
        locals=[(Code(n), Code(t)) for n, t in sorted(all_locals)],
        imports=imports,
    )
    trampolines = [_trampoline_view(j) for j in js_imports]
    imports_wat = render("imports.wat.j2", trampolines=trampolines, late=False, ref_helpers=Code(REF_HELPERS))
    return LinkPlan(
        instances,
        tuple(slots),
        tuple(js_imports),
        bindings,
        adapter,
        imports_wat,
        uses_wasi,
        tuple(sorted(deferred)),
    )


def _trampoline_view(j: JSImportSlot) -> dict[str, Any]:
    sig = j.signature
    n = max(len(sig.params), len(sig.results), 1)
    return {
        "id": j.id,
        "describe": f"{j.importer} imports {j.name!r} from {j.js_module} {sig}",
        "wat_params": Code(" (param " + " ".join(sig.params) + ")" if sig.params else ""),
        "wat_results": Code(" (result " + " ".join(sig.results) + ")" if sig.results else ""),
        "frame": n * SLOT_BYTES,
        "result_locals": [(Code(f"r{i}"), Code(t)) for i, t in enumerate(sig.results)],
        "stores": [Code(slot_store(t, i * SLOT_BYTES, f"(local.get {i})")) for i, t in enumerate(sig.params)],
        "loads": [
            Code(f"(local.set $r{i} {slot_load(t, i * SLOT_BYTES)})") for i, t in enumerate(sig.results)
        ],
    }
