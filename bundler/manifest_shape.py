"""The shape of manifest.json, checked before anything trusts it.

The manifest is the bundle's root of trust: every entry is verified against the
hashes it lists, but nothing verifies the manifest itself. So every field the
runtime reads is checked here for type and for what it refers to (files in the
archive, modules, instances), and a bundle that fails gets a message naming the
field, never a KeyError from deep inside the loader.
"""

from __future__ import annotations

from typing import Any

from .errors import BundleError


class _Marker:
    """A wrapper around a shape. Plain classes, not dataclasses: this module is
    imported by every edgebox-exec, and each dataclass costs ~0.5 ms to create."""

    __slots__ = ("shape",)

    def __init__(self, shape: Any):
        self.shape = shape


class Omittable(_Marker):
    """A key that may be absent."""


class Nullable(_Marker):
    """null, or the wrapped shape."""


class MapOf(_Marker):
    """An object whose keys are free-form strings, every value of one shape."""


class OneOf:
    __slots__ = ("values",)

    def __init__(self, values: tuple[Any, ...]):
        self.values = values


NAT = "non-negative integer"
VALTYPES = OneOf(("i32", "i64", "f32", "f64", "v128", "funcref", "externref", "(ref extern)", "ref"))
SIGNATURE = {"params": [VALTYPES], "results": [VALTYPES]}
MODULE = {
    "kind": OneOf(("js", "wasm", "json")),
    "code": str,
    "wasm": Omittable(str),
    "exports": Omittable([{"name": str, "kind": OneOf(("func", "table", "memory", "global", "tag"))}]),
    "imports": Omittable([{"module": str, "name": str, "kind": str}]),
    "map": Omittable(str),  # its source map's table (sourcemap.py)
}
BINDING = {"source": OneOf(("wasi", "js", "wasm")), "name": Omittable(str), "module": Omittable(str),
           "trampoline": Omittable(NAT)}  # fmt: skip
MANIFEST = {
    "engine": {"name": str, "version": str, "sha256": str},
    "entry": str,
    "files": MapOf(str),
    "modules": MapOf(MODULE),
    "resolve": MapOf(MapOf(str)),
    "unbundled": Omittable(MapOf(MapOf(str))),  # import() left out: importer → specifier → why
    "assets": Omittable(MapOf(str)),  # new URL("./x", import.meta.url): asset id → file
    "link": {
        "adapter": str,
        "imports": str,
        "instances": [str],
        "deferred": Omittable([str]),  # instantiated by their stub when it is evaluated
        "bindings": MapOf([BINDING]),
        "js_imports": [{"id": NAT, "importer": str, "js_module": str, "name": str, **SIGNATURE}],
        "slots": [{"slot": NAT, "kind": str, "module": str, "export": str, **SIGNATURE}],
    },
    "limits": Omittable({"wasm_memory": NAT, "heap": NAT, "time": Nullable(float)}),
    "permissions": Omittable({"read": [str], "write": [str], "env": bool}),
    "run": Omittable({"trap_mode": Omittable(OneOf(("abort", "exception")))}),
    # edgebox-bundle --snapshot (snapshot.py): the engine's memory after the entry's imports ran
    "snapshot": Omittable(
        {
            "engine": str,
            "image": str,
            "pages": NAT,
            "block": Omittable(NAT),  # bytes per block of `runs` (64 KiB when absent)
            "runs": [[NAT]],
            "stack_probe": NAT,
            "import_stack": NAT,
            "evaluated": [str],
            # each user module instantiated at start, rewritten to hold its state (snapshot_wasm.py)
            "wasm": Omittable(MapOf(str)),
        }
    ),
}


def _describe(shape: Any) -> str:
    if shape is str:
        return "a string"
    if shape is bool:
        return "true or false"
    if shape is float:
        return "a number"
    if shape == NAT:
        return "a non-negative integer"
    if isinstance(shape, OneOf):
        return "one of " + ", ".join(repr(v) for v in shape.values)
    if isinstance(shape, list):
        return "a list"
    return "an object"


def _check(value: Any, shape: Any, where: str) -> None:
    if isinstance(shape, Nullable):
        if value is not None:
            _check(value, shape.shape, where)
        return
    ok = (
        (shape is str and isinstance(value, str))
        or (shape is bool and isinstance(value, bool))
        or (shape is float and isinstance(value, int | float) and not isinstance(value, bool))
        or (shape == NAT and isinstance(value, int) and not isinstance(value, bool) and value >= 0)
        or (isinstance(shape, OneOf) and isinstance(value, str | int) and value in shape.values)
        or (isinstance(shape, list) and isinstance(value, list))
        or (isinstance(shape, dict | MapOf) and isinstance(value, dict))
    )
    if not ok:
        raise BundleError(f"manifest.json: {where} should be {_describe(shape)}, not {_short(value)}")
    if isinstance(value, str):
        _utf8(value, where)
    if isinstance(shape, list):
        for i, item in enumerate(value):
            _check(item, shape[0], f"{where}[{i}]")
    elif isinstance(shape, MapOf):
        for key, item in value.items():
            _utf8(key, f"{where} key {key!r}")
            _check(item, shape.shape, f"{where}[{key!r}]")
    elif isinstance(shape, dict):
        for key, sub in shape.items():
            if key in value:
                _check(value[key], sub.shape if isinstance(sub, Omittable) else sub, f"{where}.{key}")
            elif not isinstance(sub, Omittable):
                raise BundleError(f"manifest.json: {where} has no field {key!r}")


def _utf8(text: str, where: str) -> None:
    """JSON may spell a lone surrogate (\\ud800); no module id, path or name can hold one."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BundleError(f"manifest.json: {where} is not valid Unicode (a lone surrogate)") from None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_manifest(obj: dict[str, Any]) -> None:
    """Raise BundleError unless `obj` has every field the runtime reads, each of the
    right type, and every reference between them resolves."""
    for key, shape in MANIFEST.items():
        if key in obj:
            _check(obj[key], shape.shape if isinstance(shape, Omittable) else shape, key)
        elif not isinstance(shape, Omittable):
            raise BundleError(f"manifest.json has no field {key!r}")
    files, modules, link = obj["files"], obj["modules"], obj["link"]

    def need_file(path: str, where: str) -> None:
        if path not in files:
            raise BundleError(f"manifest.json: {where} names {path!r}, which the bundle does not list")

    for mod_id in modules:
        parts = mod_id.split("/")
        if mod_id.startswith("/") or "" in parts or "." in parts or ".." in parts or "\0" in mod_id:
            # ids are relative paths; the engine's own modules are named so no id can match them
            raise BundleError(f"manifest.json: the module id {mod_id!r} is not a relative path")
    if obj["entry"] not in modules:
        raise BundleError(f"manifest.json: the entry {obj['entry']!r} is not one of its modules")
    for mod_id, mod in modules.items():
        need_file(mod["code"], f"modules[{mod_id!r}].code")
        if "map" in mod:
            need_file(mod["map"], f"modules[{mod_id!r}].map")
        if mod["kind"] == "wasm":
            if "wasm" not in mod:
                raise BundleError(f"manifest.json: wasm module {mod_id!r} has no field 'wasm'")
            need_file(mod["wasm"], f"modules[{mod_id!r}].wasm")
    for asset_id, path in obj.get("assets", {}).items():
        need_file(path, f"assets[{asset_id!r}]")
    if "snapshot" in obj:
        need_file(obj["snapshot"]["image"], "snapshot.image")
        for mod_id, path in obj["snapshot"].get("wasm", {}).items():
            if mod_id not in link["instances"]:
                raise BundleError(
                    f"manifest.json: snapshot.wasm names {mod_id!r}, which is not instantiated at start"
                )
            need_file(path, f"snapshot.wasm[{mod_id!r}]")
    need_file(link["adapter"], "link.adapter")
    need_file(link["imports"], "link.imports")
    trampolines = {j["id"] for j in link["js_imports"]}
    seen: list[str] = []
    for mod_id in link["instances"]:
        if modules.get(mod_id, {}).get("kind") != "wasm" or mod_id in seen:
            raise BundleError(
                f"manifest.json: link.instances lists {mod_id!r}, not a wasm module of the bundle"
            )
        for i, b in enumerate(link["bindings"].get(mod_id, [])):
            where = f"link.bindings[{mod_id!r}][{i}]"
            needed = {"wasi": ("name",), "js": ("trampoline",), "wasm": ("module", "name")}[b["source"]]
            if any(k not in b for k in needed):
                raise BundleError(f"manifest.json: {where} needs {' and '.join(needed)}")
            if b["source"] == "js" and b["trampoline"] not in trampolines:
                raise BundleError(
                    f"manifest.json: {where} names JS import {b['trampoline']}, which is not listed"
                )
            if b["source"] == "wasm" and b["module"] not in seen:
                raise BundleError(
                    f"manifest.json: {where} links to {b['module']!r} before it is instantiated"
                )
        seen.append(mod_id)
