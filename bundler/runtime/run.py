"""Run a verified bundle: check the engine identity, prelink, hand over the modules, run."""

from __future__ import annotations

from collections.abc import Sequence

from ..ebx import Bundle
from ..engine.build import ensure_engine
from ..engine.sandbox import Permissions, Sandbox, TrapContext, UserModule, run_sandboxed
from ..errors import BundleError
from ..limits import Limits

NO_PERMISSIONS = Permissions()


def prelink(
    bundle: Bundle,
    trap_mode: str | None = None,
    permissions: Permissions = NO_PERMISSIONS,
    limits: Limits | None = None,
    quiet: bool = False,
    capture: tuple[str, str] | None = None,
    wasm_override: dict[str, bytes] | None = None,
) -> Sandbox:
    """Instantiate the bundle's user modules, adapter and the engine in one Store.
    `wasm_override`: other bytes for some user modules (the snapshot's instrumented copies)."""
    manifest = bundle.manifest
    # a snapshot's user modules were rewritten to hold their state, their start already run
    snapshotted = manifest.extra.get("snapshot", {}).get("wasm", {})
    engine = ensure_engine()
    wanted = manifest.engine.get("sha256")
    if wanted != engine.sha256:
        raise BundleError(
            f"this bundle was built for engine {manifest.engine.get('name')} "
            f"{manifest.engine.get('version')} ({str(wanted)[:16]}…), but this edgebox has "
            f"{engine.quickjs_version} ({engine.sha256[:16]}…); rebuild it with edgebox-bundle"
        )
    link = manifest.link
    users = []
    for mod_id in link["instances"]:
        mod = manifest.modules[mod_id]
        exports = mod.get("exports", [])
        digest, cached = None, True
        if wasm_override and mod_id in wasm_override:
            # used once, by the snapshot run: its machine code is not worth a cache entry
            data, cached = wasm_override[mod_id], False
        else:
            path = snapshotted.get(mod_id, mod["wasm"])
            data, digest = bundle.file(path), manifest.files.get(path)
        users.append(
            UserModule(
                mod_id,
                data,
                tuple(_binding(b) for b in link["bindings"].get(mod_id, [])),
                memory=next((e["name"] for e in exports if e["kind"] == "memory"), None),
                reactor=mod_id not in snapshotted
                and any(e["name"] == "_initialize" and e["kind"] == "func" for e in exports),
                sha256=digest,
                cached=cached,
            )
        )
    trap_context = TrapContext(
        {s["slot"]: (s["module"], s["export"]) for s in link["slots"] if s["kind"] == "call"},
        {j["id"]: f"{j['js_module']}#{j['name']}" for j in link["js_imports"]},
    )
    mode = trap_mode or manifest.extra.get("run", {}).get("trap_mode", "abort")
    return Sandbox(
        engine,
        bundle.file(link["adapter"]),
        users,
        trap_context,
        bundle.file(link["imports"]),
        trap_mode=mode,
        permissions=permissions,
        limits=limits or bundle_limits(bundle),
        quiet=quiet,
        capture=capture,
        memory_slots={
            s["slot"]: (s["module"], s["export"]) for s in link["slots"] if s["kind"] == "mem.size"
        },
        bundled_counts=(len(link["slots"]), len(link["js_imports"])),
        bundled_wasm=lambda mod_id: bundle.file(manifest.modules[mod_id]["wasm"]),
        bundled_wasm_ids=[m for m, mod in manifest.modules.items() if mod["kind"] == "wasm"],
        bundled_assets=lambda asset_id: bundle.file(manifest.extra.get("assets", {})[asset_id]),
        bundled_asset_ids=list(manifest.extra.get("assets", {})),
        source_maps={m: mod["map"] for m, mod in manifest.modules.items() if "map" in mod},
        bundled_file=bundle.file,
    )


def _binding(b: dict[str, object]) -> tuple[str, ...]:
    if b["source"] == "wasi":
        return ("wasi", str(b["name"]))
    if b["source"] == "js":
        return ("js", str(b["trampoline"]))
    return ("wasm", str(b["module"]), str(b["name"]))


def bundle_limits(bundle: Bundle) -> Limits:
    """The limits recorded in the bundle (edgebox-bundle flags), else the defaults."""
    return Limits.from_json(bundle.manifest.extra.get("limits"))


def requested_permissions(bundle: Bundle) -> Permissions:
    """What the bundle's author asked for at bundle time (granted only by edgebox-exec flags)."""
    asked = bundle.manifest.extra.get("permissions", {})
    return Permissions(
        tuple(asked.get("read", ())), tuple(asked.get("write", ())), bool(asked.get("env", False))
    )


def ungranted(asked: Permissions, granted: Permissions) -> list[str]:
    """The flags the bundle asks for that this run does not give."""
    have = set(granted.flags()) | {f"--allow-read={d}" for d in granted.write}
    return [f for f in asked.flags() if f not in have]


def run_bundle(
    bundle: Bundle,
    args: Sequence[str] = (),
    trap_mode: str | None = None,
    permissions: Permissions = NO_PERMISSIONS,
    limits: Limits | None = None,
    capture: tuple[str, str] | None = None,
) -> int:
    """Run the bundle's entry to completion; returns the process exit code. `capture`:
    files to send the program's stdout and stderr to instead of the process's."""
    limits = limits or bundle_limits(bundle)

    def go() -> int:
        sandbox = prelink(bundle, trap_mode, permissions, limits, capture=capture)
        if "snapshot" in bundle.manifest.extra:
            # its modules are in the image, the entry's imports already evaluated (snapshot.py)
            from ..snapshot import restore

            restore(sandbox, bundle)
            sandbox.rearm(args)
            return sandbox.run(bundle.manifest.entry)
        sandbox.init(bundle.manifest.resolve, args, unbundled=bundle.manifest.extra.get("unbundled"))
        sandbox.add_modules(
            (mod_id, bundle.file(mod["code"]), True) for mod_id, mod in bundle.manifest.modules.items()
        )
        return sandbox.run(bundle.manifest.entry)

    return run_sandboxed(go, limits)
