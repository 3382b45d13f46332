"""Run-time instantiation: the host side of `WebAssembly.compile`, `new WebAssembly.Instance`
and the rest of the JS API, for wasm bytes the program has while it runs.

The engine asks (glue.c `host_request`, one JSON request and the wasm bytes); this module
compiles, links and instantiates into the running Store, and answers in JSON. Python runs
only here, while a module is being compiled or instantiated: calls afterwards take the same
path as calls into bundled modules, because each export gets a slot like theirs.

- **Slots.** The adapter's `invoke` sends a slot past the bundle's own (the link plan's)
  to the table `late_cases`: this module generates, for each new instance, a small "cases"
  module whose functions are the slots' cases (link.py's code for them), and puts them
  there. A call costs one `call_indirect` more than a bundled export's.
- **JS imports.** A function from the import object gets a trampoline, as link.py's
  imports module has them, in a small module generated per instance; it shares the
  imports module's tag, argument stack and the engine's callback (the `late` table).
- **Handles.** Every memory, table, global and function an instance exports, and every
  global made from JS, has a handle number, so that another instance can import it: those
  link wasm to wasm directly, as at bundle time.

Compile errors and link errors come back as messages the engine throws as
`WebAssembly.CompileError` and `WebAssembly.LinkError`; a trap in a start function as a
`RuntimeError`.
"""

from __future__ import annotations

import base64
import ctypes
import json
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import wasmtime

from ..errors import EdgeBoxError, InvalidWasm
from ..limits import MAX_TABLE_ELEMENTS, cap_module, memory_share
from ..wasm_reader import WasmReader
from . import memories

if TYPE_CHECKING:
    from ..link import JSImportSlot, Slot
    from ..wasm_types import GlobalKind, ValTypeName, WasmInterface, WasmSignature
    from .sandbox import Sandbox

# link.py and templates.py (jinja2) are imported when a module is first instantiated at run
# time, not when every run starts: most programs never do.

NUMBER_TYPES = ("i32", "i64", "f32", "f64")
LATE_SLOTS_MAX = 32767  # glue.c: a slot is a QuickJS function's int16 magic number


class RequestError(Exception):
    """An answer the engine turns into a JS exception: `kind` names the class."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


class CompiledModule(NamedTuple):  # not a dataclass: see errors.SourceSpan
    interface: WasmInterface
    module: wasmtime.Module
    data: bytes  # as given: for customSections


class LateLinker:
    """The modules compiled and the things instantiated at run time, in one Sandbox."""

    def __init__(self, sandbox: Sandbox, slot_base: int, js_import_base: int):
        self.sandbox = sandbox
        self.next_slot = slot_base
        self.slot_base = slot_base
        self.next_js_import = js_import_base
        self.modules: list[CompiledModule] = []
        self.handles: list[Any] = []  # wasmtime externs, by handle number
        self.known: dict[tuple[Any, ...], int] = {}
        self.in_js: set[int] = (
            set()
        )  # handles of the memories, tables, globals JS has objects for  # handle by wasmtime's identity of the thing
        self.instances = 0
        self.deferred: dict[str, wasmtime.Instance] = {}  # bundled modules instantiated by their stub
        self._bundled: dict[tuple[Any, ...], tuple[str, str]] | None = None
        self.functions: dict[
            tuple[str, bytes], dict[str, Any]
        ] = {}  # table elements given to JS, by wasmtime's identity
        self.cases = wasmtime.Table(
            sandbox.store, wasmtime.TableType(wasmtime.ValType.funcref(), wasmtime.Limits(0, None)), None
        )

    def answer(self, request: bytes) -> bytes:
        """One request (JSON, a NUL, then the wasm bytes if any) → the answer's JSON."""
        header, _, payload = request.partition(b"\0")
        try:
            req = json.loads(header)
            op = req.get("op")
            if op == "compile":
                out = self._compile(payload)
            elif op == "source":
                out = self._compile(self.sandbox.bundled_wasm(str(req["id"])), str(req["id"]))
            elif op == "validate":
                out = {"valid": self._validate(payload)}
            elif op == "sections":
                out = self._sections(int(req["module"]), str(req["name"]))
            elif op == "reserve":
                out = {"first": self._reserve(int(req["count"]))}
            elif op == "instantiate":
                out = self._instantiate(int(req["module"]), req["imports"], str(req.get("bundled", "")))
            elif op == "namespace":
                out = self._bundled_exports(str(req["id"]))
            elif op == "asset":
                out = {"base64": base64.b64encode(self.sandbox.bundled_asset(str(req["id"]))).decode()}
            elif op == "asset_exists":
                out = {"exists": str(req["id"]) in self.sandbox.bundled_asset_ids}
            elif op == "compile_asset":
                out = self._compile(self.sandbox.bundled_asset(str(req["id"])), str(req["id"]))
            elif op == "source_map":  # the table the engine's mapStack reads (sourcemap.py)
                out = json.loads(self.sandbox.source_map_table(str(req["id"])))
            elif op == "wasm_ids":
                out = {"ids": list(self.sandbox.bundled_wasm_ids)}
            elif op == "global":
                out = self._new_global(str(req["type"]), bool(req["mutable"]), req["value"])
            elif op == "memory":
                out = self._new_memory(int(req["initial"]), req.get("maximum"))
            elif op == "table":
                out = self._new_table(str(req["element"]), int(req["initial"]), req.get("maximum"))
            elif op == "bundled":
                out = self._bundled_export(str(req["id"]), str(req["name"]))
            elif op == "table.get":
                out = self._table_get(self._table(req), int(req["index"]))
            elif op == "table.set":
                out = self._table_set(self._table(req), int(req["index"]), int(req["value"]))
            elif op == "table.grow":
                out = self._table_grow(self._table(req), int(req["delta"]), int(req["value"]))
            else:
                raise RequestError("TypeError", f"unknown request {op!r}")
        except RequestError as e:
            out = {"error": e.kind, "message": e.message}
        except (ValueError, KeyError, TypeError, IndexError) as e:
            out = {"error": "TypeError", "message": f"bad request to the host: {e}"}
        except wasmtime.ExitTrap:
            raise  # proc_exit in a start function: the program's exit status, not an error
        except (wasmtime.WasmtimeError, OSError, EdgeBoxError) as e:
            # nothing of Python's reaches the program: an error it can catch, saying what failed
            why = (
                e.message
                if isinstance(e, EdgeBoxError)
                else (str(e).strip().splitlines() or [type(e).__name__])[0]
            )
            out = {"error": "Error", "message": f"the host could not do it: {why}"}
        return json.dumps(out).encode()

    # ---- compile ------------------------------------------------------------------

    def _validate(self, data: bytes) -> bool:
        """What compile would take: wasmtime's validation and EdgeBox's own refusals (64-bit
        and shared memories, types the interface reader does not know), so that feature
        detection picks a build that loads."""
        from ..wasm_types import read_interface

        try:
            wasmtime.Module.validate(self.sandbox.store.engine, data)
            read_interface(data, "a module")
            cap_module(data, self.sandbox.limits.wasm_memory, "a module", cap_maximum=not memories.AVAILABLE)
            return True
        except (wasmtime.WasmtimeError, EdgeBoxError):
            return False

    def _compile(self, data: bytes, name: str = "") -> dict[str, Any]:
        from ..wasm_types import read_interface
        from .sandbox import compiled_module

        name = name or f"module {len(self.modules)} (compiled at run time)"
        try:
            interface = read_interface(data, name)
        except InvalidWasm as e:
            raise RequestError("CompileError", e.message.replace(f"{name} is not", "not", 1)) from None
        try:
            capped = cap_module(
                data, self.sandbox.limits.wasm_memory, name, cap_maximum=not memories.AVAILABLE
            )
            module = compiled_module(capped, self.sandbox.epoch, name)
        except EdgeBoxError as e:
            raise RequestError("CompileError", e.message) from None
        self.modules.append(CompiledModule(interface, module, data))
        return {
            "module": len(self.modules) - 1,
            "imports": [_describe_import(i) for i in interface.imports],
            "exports": [_describe_export(e) for e in interface.exports],
        }

    def _sections(self, module: int, name: str) -> dict[str, Any]:
        data = self.modules[module].data
        found = []
        r = WasmReader(data, 8)
        while r.pos < r.end:
            sid, size = r.byte(), r.uleb()
            end = r.pos + size
            if sid == 0:
                section = WasmReader(data, r.pos)
                n = section.uleb()
                section_name = bytes(data[section.pos : section.pos + n]).decode("utf-8", "replace")
                if section_name == name:
                    found.append(base64.b64encode(data[section.pos + n : end]).decode())
            r.pos = end
        return {"sections": found}

    def _reserve(self, count: int) -> int:
        first = self.next_js_import
        self.next_js_import += max(count, 0)
        return first

    def _new_global(self, type_: str, mutable: bool, value: Any) -> dict[str, Any]:
        from ..wasm_types import GlobalKind

        if type_ == "externref":
            g = self._ref_global(int(value), mutable)
        elif type_ in NUMBER_TYPES:
            g = wasmtime.Global(
                self.sandbox.store, wasmtime.GlobalType(_valtype(type_), mutable), _val(type_, value)
            )
        else:
            raise RequestError("TypeError", f"a global of type {type_} is not supported in EdgeBox yet")
        return self._global_slots(g, GlobalKind(type_, mutable))  # type: ignore[arg-type]

    def _ref_global(self, ref: int, mutable: bool) -> Any:
        """An externref global holding the JS value numbered `ref` (glue.c ref_of): made by a
        module whose constant expression builds the i31ref, as link.py REF_HELPERS do."""
        from .sandbox import compiled_module

        init = "(ref.null extern)" if ref < 0 else "(extern.convert_any (ref.i31 (global.get $h)))"
        t = "(mut externref)" if mutable else "externref"
        wat = f'(module (import "i" "h" (global $h i32)) (global (export "g") {t} {init}))'
        module = compiled_module(bytes(wasmtime.wat2wasm(wat)), self.sandbox.epoch, "an externref global")
        store = self.sandbox.store
        h = wasmtime.Global(store, wasmtime.GlobalType(wasmtime.ValType.i32(), False), wasmtime.Val.i32(ref))
        return wasmtime.Instance(store, module, [h]).exports(store)["g"]

    def _new_memory(self, initial: int, maximum: Any) -> dict[str, Any]:
        limit = self.sandbox.limits.wasm_memory // PAGE
        top = limit if maximum is None else min(int(maximum), limit)
        if initial > top:
            raise RequestError(
                "RangeError",
                f"WebAssembly.Memory(): {initial} pages is more than the wasm memory limit allows "
                f"({limit} pages); raise it with --wasm-memory-limit",
            )
        from .sandbox import compiled_module

        # Made by a module that defines it, not by wasmtime.Memory: wasmtime asks the memory
        # creator (memories.py: a memfd, so a live buffer) only for memories of instances.
        limits = f"{initial}" if maximum is None else f"{initial} {top}"
        wat = f'(module (memory (export "memory") {limits}))'
        module = compiled_module(bytes(wasmtime.wat2wasm(wat)), self.sandbox.epoch, "a WebAssembly.Memory")
        memories.expecting("user", [], top * PAGE)
        try:
            memory = wasmtime.Instance(self.sandbox.store, module, []).exports(self.sandbox.store)["memory"]
        except wasmtime.WasmtimeError as e:
            raise RequestError("RangeError", f"WebAssembly.Memory(): {_first_line(e)}") from None
        finally:
            memories.expecting("other")
        return self._memory_slots(memory)

    def _new_table(self, element: str, initial: int, maximum: Any) -> dict[str, Any]:
        if element not in ("anyfunc", "funcref", "externref"):
            raise RequestError(
                "TypeError", f"WebAssembly.Table(): a table of {element} is not supported in EdgeBox yet"
            )
        # the cap every module's tables get (limits.py): tables live in host memory, outside
        # every linear-memory limit, so a table made in JS gets it too
        top = MAX_TABLE_ELEMENTS if maximum is None else min(int(maximum), MAX_TABLE_ELEMENTS)
        if initial > top:
            raise RequestError(
                "RangeError",
                f"WebAssembly.Table(): {initial:,} elements; EdgeBox's tables hold at most {top:,}",
            )
        limits = wasmtime.Limits(initial, top)
        kind = wasmtime.ValType.externref() if element == "externref" else wasmtime.ValType.funcref()
        try:
            table = wasmtime.Table(self.sandbox.store, wasmtime.TableType(kind, limits), None)
        except wasmtime.WasmtimeError as e:
            raise RequestError("RangeError", f"WebAssembly.Table(): {_first_line(e)}") from None
        return self._table_slots(table)

    def _bundled_export(self, module_id: str, name: str) -> dict[str, Any]:
        """A bundled module's exported table, for its stub's WebAssembly.Table object."""
        extern = self.sandbox.links.get(self.sandbox.store, self.sandbox.link_names[module_id], name)
        if not isinstance(extern, wasmtime.Table):
            raise RequestError("TypeError", f"{module_id} does not export a table {name!r}")
        return self._table_slots(extern)

    def _table(self, req: dict[str, Any]) -> wasmtime.Table:
        table = self.handles[int(req["handle"])]
        if not isinstance(table, wasmtime.Table):
            raise RequestError("TypeError", "not a WebAssembly.Table")
        return table

    def _table_get(self, table: wasmtime.Table, index: int) -> dict[str, Any]:
        store = self.sandbox.store
        if not 0 <= index < table.size(store):
            raise RequestError("RangeError", f"WebAssembly.Table.get(): index {index} is out of bounds")
        value = table.get(store, index)
        if not isinstance(value, wasmtime.Func):
            return {"null": True}
        return self._function(value)

    def _function(self, func: wasmtime.Func) -> dict[str, Any]:
        """A wasm function from a table: a handle and a slot to call it by (one per function)."""
        from ..link import _functype

        key = _identity(func)
        if key in self.functions:
            return self.functions[key]
        bundled = self._bundled_functions().get(key)
        if bundled is not None:  # a bundled module's export: JS has its function already
            self.functions[key] = {"handle": self._handle(func), "bundled": list(bundled)}
            return self.functions[key]
        if self.may_have_v128():  # wasmtime-py's type reflection aborts the process on v128
            raise RequestError(
                "TypeError", "reading a function from a table is not supported where a module uses v128"
            )
        sig = _signature(func.type(self.sandbox.store))
        slot = self._slot("call", "table element", sig)
        described = {"handle": self._handle(func), "slot": slot.slot, "params": sig.param_letters,
                     "results": sig.result_letters}  # fmt: skip
        self._install(
            [(slot, "$x0")], [f'(import "i" "0" (func $x0{_functype(sig)}))'], [self.sandbox.memory, func]
        )
        self.functions[key] = described
        return described

    def _bundled_functions(self) -> dict[tuple[Any, ...], tuple[str, str]]:
        """wasmtime's identity of each function a bundled module exports to JS → (module, export)."""
        if self._bundled is None:
            sandbox = self.sandbox
            self._bundled = {}
            for module_id, export in sandbox.trap_context.funcs.values():
                try:
                    func = sandbox.links.get(sandbox.store, sandbox.link_names[module_id], export)
                except (KeyError, wasmtime.WasmtimeError):
                    continue
                self._bundled[_identity(func)] = (module_id, export)
        return self._bundled

    def may_have_v128(self) -> bool:
        datas = [*self.sandbox.user_bytes, *(m.data for m in self.modules)]
        return any(_may_have_v128(d) for d in datas)

    def _element(self, value: int) -> Any:
        if value < 0:
            return None
        func = self.handles[value]
        if not isinstance(func, wasmtime.Func):
            raise RequestError("TypeError", "a table element must be a wasm function or null")
        return func

    def _table_set(self, table: wasmtime.Table, index: int, value: int) -> dict[str, Any]:
        store = self.sandbox.store
        if not 0 <= index < table.size(store):
            raise RequestError("RangeError", f"WebAssembly.Table.set(): index {index} is out of bounds")
        table.set(store, index, self._element(value))
        return {}

    def _table_grow(self, table: wasmtime.Table, delta: int, value: int) -> dict[str, Any]:
        try:
            return {"old": table.grow(self.sandbox.store, delta, self._element(value))}
        except wasmtime.WasmtimeError:
            raise RequestError("RangeError", f"WebAssembly.Table.grow(): cannot grow by {delta}") from None

    # ---- instantiate ----------------------------------------------------------------

    def _bundled_extern(self, module_id: str, name: str, where: str) -> Any:
        sandbox = self.sandbox
        instance = self.deferred.get(module_id)
        try:
            if instance is not None:
                return instance.exports(sandbox.store)[name]
            return sandbox.links.get(sandbox.store, sandbox.link_names[module_id], name)
        except (KeyError, wasmtime.WasmtimeError):
            raise RequestError("LinkError", f"{where}: {module_id} does not export {name!r}") from None

    def _wasi(self, name: str, where: str) -> Any:
        try:
            return self.sandbox.wasi.get(self.sandbox.store, "wasi_snapshot_preview1", name)
        except wasmtime.WasmtimeError:
            raise RequestError("LinkError", f"{where}: WASI preview 1 has no function {name!r}") from None

    def _bundled_exports(self, module_id: str) -> dict[str, Any]:
        """What `WebAssembly.namespaceInstance` needs of a bundled module: its exports' kinds,
        with a Global's slots (the namespace has the other things themselves)."""
        from ..wasm_types import read_interface as read

        if module_id not in self.sandbox.link_names and module_id not in self.deferred:
            raise RequestError(
                "TypeError", "WebAssembly.namespaceInstance(): not the namespace of a wasm module"
            )
        interface = read(self.sandbox.bundled_wasm(module_id), module_id)
        out = []
        for exp in interface.exports:
            described: dict[str, Any] = {"name": exp.name, "kind": exp.kind}
            if exp.kind == "global" and exp.global_type is not None:
                extern = self._bundled_extern(module_id, exp.name, where=exp.name)
                described.update(self._global_slots(extern, exp.global_type))
            out.append(described)
        return {"exports": out}

    def _instantiate(self, module: int, imports: list[dict[str, Any]], bundled: str = "") -> dict[str, Any]:
        compiled = self.modules[module]
        sandbox, store = self.sandbox, self.sandbox.store
        if len(imports) != len(compiled.interface.imports):
            raise RequestError("LinkError", "the import object does not give every import")
        externs: list[Any] = []
        from ..link import JSImportSlot

        js: list[tuple[int, JSImportSlot]] = []
        for index, (imp, given) in enumerate(zip(compiled.interface.imports, imports, strict=True)):
            where = f"import {index} ({imp.module!r} {imp.name!r})"
            if "handle" in given:
                externs.append(self.handles[int(given["handle"])])
            elif "bundled" in given:  # an export of a wasm module in the bundle: linked directly
                module_id, name = given["bundled"]
                externs.append(self._bundled_extern(str(module_id), str(name), where))
            elif "wasi" in given:
                externs.append(self._wasi(imp.name, where))
            elif imp.kind == "func" and "js" in given:
                assert imp.signature is not None
                if not imp.signature.js_callable:
                    raise RequestError(
                        "LinkError", f"{where}: a v128 or reference type cannot cross between wasm and JS yet"
                    )
                slot = JSImportSlot(int(given["js"]), "a module compiled at run time", imp.module, imp.name,
                                    "the import object", imp.signature)  # fmt: skip
                js.append((len(externs), slot))
                externs.append(None)
            elif imp.kind == "global" and "ref" in given:
                externs.append(self._ref_global(int(given["ref"]), False))
            elif imp.kind == "global" and "value" in given:
                assert imp.global_type is not None
                if imp.global_type.type not in NUMBER_TYPES:
                    raise RequestError(
                        "LinkError", f"{where}: a global of type {imp.global_type.type} is not supported"
                    )
                externs.append(
                    wasmtime.Global(store, wasmtime.GlobalType(_valtype(imp.global_type.type), False),
                                    _val(imp.global_type.type, given["value"]))
                )  # fmt: skip
            else:
                raise RequestError("LinkError", f"{where}: {given.get('why', 'not given')}")
        if js:
            trampolines = self._trampolines([slot for _, slot in js])
            for at, slot in js:
                externs[at] = trampolines.exports(store)[f"j{slot.id}"]
        created: list[memories.LinearMemory] = []
        memories.expecting("user", created, memory_share(compiled.data, sandbox.limits.wasm_memory))
        try:
            instance = wasmtime.Instance(store, compiled.module, externs)
        except wasmtime.Trap as e:
            if e.trap_code is not None and e.trap_code.name == "INTERRUPT":
                raise  # the time limit: it ends the run, it is not the program's to catch
            raise RequestError("RuntimeError", f"its start function trapped: {e.message}") from None
        except wasmtime.WasmtimeError as e:
            raise RequestError("LinkError", str(e).strip().splitlines()[0]) from None
        finally:
            memories.expecting("other")
        self.instances += 1
        if bundled:  # a bundled module instantiated when its stub is evaluated: others link to it
            self.deferred[bundled] = instance
        return {"exports": self._exports(compiled.interface, instance)}

    def _trampolines(self, slots: list[JSImportSlot]) -> wasmtime.Instance:
        from ..escape import Code
        from ..link import REF_HELPERS, _trampoline_view
        from ..templates import render
        from .sandbox import compiled_module

        wat = render("imports.wat.j2", trampolines=[_trampoline_view(j) for j in slots], late=True,
                     ref_helpers=Code(REF_HELPERS))  # fmt: skip
        module = compiled_module(bytes(wasmtime.wat2wasm(wat)), self.sandbox.epoch, "run-time trampolines")
        return self.sandbox.links.instantiate(self.sandbox.store, module)

    def _exports(self, interface: WasmInterface, instance: wasmtime.Instance) -> list[dict[str, Any]]:
        store = self.sandbox.store
        items = instance.exports(store)
        out: list[dict[str, Any]] = []
        cases: list[tuple[Slot, str]] = []  # each new slot, with the export its case reaches
        for exp in interface.exports:
            extern = items[exp.name]
            handle = self._handle(extern)
            described: dict[str, Any] = {"name": exp.name, "kind": exp.kind, "handle": handle}
            if handle in self.in_js and exp.kind != "func":
                pass  # JS has its object already (it gave it as an import, or had it exported)
            elif exp.kind == "func" and exp.signature is not None:
                slot = self._slot("call", exp.name, exp.signature)
                cases.append((slot, exp.name))
                described.update(slot=slot.slot, params=exp.signature.param_letters,
                                 results=exp.signature.result_letters)  # fmt: skip
                # read back from a table, it is this same function (one JS object per function)
                self.functions.setdefault(
                    _identity(extern), {k: described[k] for k in ("handle", "slot", "params", "results")}
                )
            elif exp.kind == "memory":
                described.update(self._memory_slots(extern, register=False))
            elif exp.kind == "table":
                described.update(self._table_slots(extern, register=False))
            elif exp.kind == "global" and exp.global_type is not None:
                described.update(self._global_slots(extern, exp.global_type, register=False))
            if exp.kind != "func":
                self.in_js.add(handle)
            out.append(described)
        self._add_cases(cases, instance, interface)
        return out

    def _memory_slots(self, memory: Any, register: bool = True) -> dict[str, Any]:
        """A memory's size, grow, read and write slots, and its window (0 when it has none)."""
        from ..link import MEMORY_OPS

        described: dict[str, Any] = {"handle": self._handle(memory)} if register else {}
        if register:
            self.in_js.add(described["handle"])
        ops = {op: self._slot(op, "memory", sig) for op, sig in MEMORY_OPS.items()}
        described.update({op.split(".")[1]: s.slot for op, s in ops.items()})
        described["window"] = self._window(memory)
        self._install([(s, "$x0") for s in ops.values()], ['(import "i" "0" (memory $x0 0))'],
                      [self.sandbox.memory, memory])  # fmt: skip
        return described

    def _table_slots(self, table: Any, register: bool = True) -> dict[str, Any]:
        """A table's size slot (`length` is read often); get, set and grow ask the host."""
        from ..wasm_types import WasmSignature

        element = _type_name(table.type(self.sandbox.store).element)
        described: dict[str, Any] = {"handle": self._handle(table)} if register else {}
        if register:
            self.in_js.add(described["handle"])
        size = self._slot("table.size", "table", WasmSignature((), ("i32",)))
        described.update(size=size.slot, element=element)
        slots = [size]
        if element == "externref":  # JS values: read and written in wasm, through slots
            ops = {
                "get": self._slot("table.get", "table", WasmSignature(("i32",), ("externref",))),
                "set": self._slot("table.set", "table", WasmSignature(("i32", "externref"), ())),
                "grow": self._slot("table.grow", "table", WasmSignature(("i32", "externref"), ("i32",))),
            }
            described.update({op: slot.slot for op, slot in ops.items()})
            slots += ops.values()
        self._install([(s, "$x0") for s in slots], [f'(import "i" "0" (table $x0 0 {element}))'],
                      [self.sandbox.memory, table])  # fmt: skip
        return described

    def _global_slots(self, g: Any, kind: GlobalKind, register: bool = True) -> dict[str, Any]:
        """A global's get (and, when mutable, set) slots, in a cases module of its own."""
        from ..wasm_types import WasmSignature

        described: dict[str, Any] = {"type": kind.type, "mutable": kind.mutable}
        if register:
            described["handle"] = self._handle(g)
            self.in_js.add(described["handle"])
        if kind.type not in (*NUMBER_TYPES, "externref"):
            return described
        get = self._slot("global", "g", WasmSignature((), (kind.type,)))
        described["get"] = get.slot
        slots = [get]
        if kind.mutable:
            put = self._slot("global.set", "g", WasmSignature((kind.type,), ()))
            described["set"] = put.slot
            slots.append(put)
        self._add_global_cases(slots, g, kind)
        return described

    def _slot(self, kind: str, export: str, sig: WasmSignature) -> Slot:
        from ..link import Slot

        if self.next_slot > LATE_SLOTS_MAX:
            raise RequestError("RangeError", "too many wasm exports instantiated at run time")
        slot = Slot(self.next_slot, kind, "", export, sig)  # type: ignore[arg-type]
        self.next_slot += 1
        return slot

    def _handle(self, extern: Any) -> int:
        """The handle of a wasm thing: the same one each time it comes back (a table an
        instance imports and exports again is one WebAssembly.Table in JS)."""
        key = _identity(extern)
        if key in self.known:
            return self.known[key]
        self.handles.append(extern)
        self.known[key] = len(self.handles) - 1
        return len(self.handles) - 1

    def _window(self, memory: Any) -> int:
        """The engine address of a window onto this memory, 0 when it has none."""
        sandbox = self.sandbox
        if not isinstance(memory, wasmtime.Memory) or sandbox.engine_memory is None:
            return 0
        base = ctypes.cast(memory.data_ptr(sandbox.store), ctypes.c_void_p).value or 0
        linear = memories.by_base(base)
        if linear is None:
            return 0
        try:
            window = memories.open_window(linear, sandbox.engine_memory, sandbox.grow_engine,
                                          lambda: sandbox.memory.size(sandbox.store) * 65536)  # fmt: skip
        except memories.WindowUnavailable:
            return 0
        linear.generation_at = sandbox.generation_address
        return window

    # ---- the cases modules --------------------------------------------------------

    def _add_cases(
        self, cases: list[tuple[Slot, str]], instance: wasmtime.Instance, interface: WasmInterface
    ) -> None:
        """The exported functions' cases: one module, the same for every instance of a module
        (so its machine code is cached, and precompile.py compiles it with the module's)."""
        if not cases:
            return
        wat, _ = function_cases(interface, [slot for slot, _ in cases])
        externs = [self.sandbox.memory, *(instance.exports(self.sandbox.store)[name] for _, name in cases)]
        self._place(wat, [slot for slot, _ in cases], externs)

    def _add_global_cases(self, slots: list[Slot], g: Any, kind: GlobalKind) -> None:
        t = f"(mut {kind.type})" if kind.mutable else kind.type
        self._install(
            [(s, "$x0") for s in slots], [f'(import "i" "0" (global $x0 {t}))'], [self.sandbox.memory, g]
        )

    def _install(self, cases: list[tuple[Slot, str]], imports: list[str], externs: list[Any]) -> None:
        """Compile a module of `cases` (one function each) and put them in their table slots."""
        self._place(cases_wat(cases, imports), [slot for slot, _ in cases], externs)

    def _place(self, wat: str, slots: list[Slot], externs: list[Any]) -> None:
        from .sandbox import compiled_module

        module = compiled_module(bytes(wasmtime.wat2wasm(wat)), self.sandbox.epoch, "run-time glue")
        store = self.sandbox.store
        exports = wasmtime.Instance(store, module, externs).exports(store)
        top = max(s.slot for s in slots) - self.slot_base + 1
        size = self.cases.size(store)
        if top > size:
            self.cases.grow(store, top - size, None)
        for k, slot in enumerate(slots):
            self.cases.set(store, slot.slot - self.slot_base, exports[f"c{k}"])


def cases_wat(cases: list[tuple[Slot, str]], imports: list[str]) -> str:
    """A module of the adapter's cases for `cases` (slot, the $name of what it reaches): case
    k is its export "c{k}", so the text does not depend on which slots they get."""
    from ..escape import Code
    from ..link import REF_HELPERS, _case_body, result_locals, slot_load, slot_store
    from ..templates import render

    funcs = []
    for slot, ref in cases:
        if slot.kind == "global.set":
            body = [f"(global.set {ref} {slot_load(slot.signature.params[0], 0)})"]
        elif slot.kind == "table.size":
            body = [f"(i32.store (local.get $p) (table.size {ref}))"]
        elif slot.kind == "table.get":  # an externref table's element, index in slot 0
            body = [slot_store("externref", 0, f"(table.get {ref} (i32.load (local.get $p)))")]
        elif slot.kind == "table.set":
            body = [f"(table.set {ref} (i32.load (local.get $p)) {slot_load('externref', 8)})"]
        elif slot.kind == "table.grow":  # delta in slot 0, the new elements' value in slot 1
            grow = f"(table.grow {ref} {slot_load('externref', 8)} (i32.load (local.get $p)))"
            body = [f"(i32.store (local.get $p) {grow})"]
        else:
            body = _case_body(slot, ref, "(return)")
        results = slot.signature.results if slot.kind == "call" else ()
        funcs.append({
            "locals": [(Code(name), Code(t)) for name, t in result_locals(results)],
            "body": [Code(line) for line in body],
        })  # fmt: skip
    return render(
        "late_cases.wat.j2", imports=[Code(i) for i in imports], funcs=funcs, ref_helpers=Code(REF_HELPERS)
    )


def function_cases(interface: WasmInterface, slots: list[Slot] | None = None) -> tuple[str, list[Slot]]:
    """The cases module for a module's exported functions (in export order), and their slots
    (numbered from 0 when none are given: the text is the same either way)."""
    from ..link import Slot as SlotType
    from ..link import _functype

    exports = [e for e in interface.exports if e.kind == "func" and e.signature is not None]
    if slots is None:
        slots = [SlotType(k, "call", "", e.name, e.signature) for k, e in enumerate(exports)]  # type: ignore[arg-type]
    imports = [f'(import "i" "{k}" (func $x{k}{_functype(e.signature)}))' for k, e in enumerate(exports)]  # type: ignore[arg-type]
    return cases_wat([(slot, f"$x{k}") for k, slot in enumerate(slots)], imports), slots


PAGE = 65536


def _identity(extern: Any) -> tuple[Any, ...]:
    """wasmtime's identity of a func, table, memory or global: the fields of its handle struct
    (a store id and an index), equal for every Python object that stands for the same thing.
    Field by field: the struct's padding bytes are not the same from one copy to the next."""
    for field in ("_func", "_table", "_memory", "_global"):
        raw = getattr(extern, field, None)
        if raw is not None:
            return (field, *_fields(raw))
    return ("other", id(extern))


def _fields(struct: Any) -> tuple[Any, ...]:
    out: list[Any] = []
    for name, *_ in struct._fields_:
        value = getattr(struct, name)
        out.extend(_fields(value) if hasattr(value, "_fields_") else [value])
    return tuple(out)


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0]


def _signature(ft: wasmtime.FuncType) -> WasmSignature:
    from ..wasm_types import WasmSignature

    def names(types: list[wasmtime.ValType]) -> tuple[ValTypeName, ...]:
        return tuple(cast("ValTypeName", _type_name(t)) for t in types)

    return WasmSignature(names(ft.params), names(ft.results))


def _type_name(t: wasmtime.ValType) -> str:
    """The WAT name of a value type (wasmtime-py's str() calls externref "anyref")."""
    if t == wasmtime.ValType.externref():
        return "externref"
    if t == wasmtime.ValType.funcref():
        return "funcref"
    return str(t)


def _may_have_v128(data: bytes) -> bool:
    """Whether the module's type section could name v128 (0x7b): conservative."""
    r = WasmReader(data, 8)
    try:
        while r.pos < r.end:
            sid, size = r.byte(), r.uleb()
            if sid == 1:
                return b"\x7b" in data[r.pos : r.pos + size]
            r.pos += size
    except ValueError:
        return True
    return False


def _valtype(t: str) -> wasmtime.ValType:
    return {"i32": wasmtime.ValType.i32, "i64": wasmtime.ValType.i64,
            "f32": wasmtime.ValType.f32, "f64": wasmtime.ValType.f64}[t]()  # fmt: skip


def _val(t: str, value: Any) -> wasmtime.Val:
    if t == "i32":
        return wasmtime.Val.i32(((int(value) + 2**31) % 2**32) - 2**31)
    if t == "i64":
        return wasmtime.Val.i64(((int(value) + 2**63) % 2**64) - 2**63)
    if t == "f32":
        return wasmtime.Val.f32(float(value))
    return wasmtime.Val.f64(float(value))


_KIND_NAMES = {"func": "function", "table": "table", "memory": "memory", "global": "global", "tag": "tag"}


def _describe_import(imp: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"module": imp.module, "name": imp.name, "kind": _KIND_NAMES[imp.kind]}
    _add_type(out, imp)
    return out


def _describe_export(exp: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": exp.name, "kind": _KIND_NAMES[exp.kind]}
    _add_type(out, exp)
    return out


def _add_type(out: dict[str, Any], item: Any) -> None:
    if item.signature is not None:
        out.update(params=item.signature.param_letters, results=item.signature.result_letters,
                   callable=item.signature.js_callable)  # fmt: skip
    if item.global_type is not None:
        out.update(type=item.global_type.type, mutable=item.global_type.mutable)
