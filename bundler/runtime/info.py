"""edgebox-exec --info: what a bundle holds and what it asks for, without running it."""

from __future__ import annotations

from typing import Any

from ..ebx import Bundle
from ..escape import printable
from ..limits import format_size
from .run import bundle_limits, requested_permissions


def _sig(e: dict[str, object]) -> str:
    params = ", ".join(e.get("params", []))  # type: ignore[arg-type]
    results = list(e.get("results", []))  # type: ignore[call-overload]
    res = results[0] if len(results) == 1 else "(" + ", ".join(results) + ")"
    return f"({params}) -> {res}"


def _printable(value: Any) -> Any:
    """`value` with every string in it (keys too) escaped for the terminal."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    return value


def describe(bundle: Bundle, source: str) -> str:
    """The description; every string that comes from the manifest is escaped for the
    terminal, since a crafted manifest may hold anything."""
    m = bundle.manifest
    shown = m._replace(
        **{f: _printable(getattr(m, f)) for f in ("engine", "entry", "modules", "resolve", "link", "extra")},
    )
    return _describe(Bundle(shown, bundle.files), printable(source))


def _describe(bundle: Bundle, source: str) -> str:
    m = bundle.manifest
    lines = [
        f"bundle:  {source} (format {m.format_version}, {len(m.modules)} modules, {len(bundle.files)} files)",
        f"engine:  {m.engine.get('name')} {m.engine.get('version')} (sha256 {str(m.engine.get('sha256'))[:16]}…)",
        f"entry:   {m.entry}",
        "modules:",
    ]
    for mod_id, mod in sorted(m.modules.items()):
        lines.append(f"  {mod_id}  [{mod['kind']}]")
        if mod["kind"] != "wasm":
            continue
        for e in mod.get("exports", []):
            desc = (
                _sig(e) if e["kind"] == "func" else e["kind"] + (f" {e.get('type')}" if e.get("type") else "")
            )
            lines.append(f"      export {e['name']}: {desc}")
        wasi = sorted({i["name"] for i in mod.get("imports", []) if i["module"].startswith("wasi")})
        other = [
            f"{i['module']}#{i['name']}" for i in mod.get("imports", []) if not i["module"].startswith("wasi")
        ]
        if other:
            lines.append(f"      imports: {', '.join(other)}")
        if wasi:
            lines.append(f"      WASI: {', '.join(wasi)}")
    asked = requested_permissions(bundle)
    flags = asked.flags()
    lines.append(
        "permissions asked for: "
        + (" ".join(flags) + " (granted only by the same flags on edgebox-exec)" if flags else "none")
    )
    limits = bundle_limits(bundle)
    lines.append(
        f"limits:  wasm memory {format_size(limits.wasm_memory)} per module, JS heap {format_size(limits.heap)}, "
        f"time {f'{limits.time:g}s' if limits.time else 'none'} (edgebox-exec flags override)"
    )
    run = m.extra.get("run", {})
    if run:
        lines.append("run defaults: " + ", ".join(f"{k}={v}" for k, v in sorted(run.items())))
    return "\n".join(lines) + "\n"
